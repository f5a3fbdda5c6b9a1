import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { OnModuleInit } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import type { JobWithMetadata, PgBoss, Queue } from 'pg-boss';
import type { Database, Drizzle } from '../storage/database';
import { JobQueue, type NewQueuedJob, type ParkedJob, type QueuedJob, type QueueSettings } from './job-queue';

/** How often an instance looks for jobs whose heartbeat lapsed or that outlived their time. */
const SUPERVISE_SECONDS = 2;
/**
 * A worker's poll, also when notifications work: they wake it for new jobs at once, but not for a retry whose
 * backoff ended or for a job left while the worker was busy (pg-boss's default poll with notifications is 30 s).
 */
const POLL_SECONDS = 1;

export interface JobQueueOptions {
  /** The first part of the worker identity (INSTANCE_ID, else the host name). */
  label?: string;
  /** The queue's own errors (a lost connection, a failed maintenance pass): reported, never thrown. */
  onError: (error: Error) => void;
}

/** pg-boss keeps its tables in a schema of its own, beside (and named after) BSM's. */
export function queueSchemaOf(database: Database): string {
  const schema = database.connection.mode === 'postgres' ? database.connection.schema : 'public';
  return schema === 'public' ? 'pgboss' : `${schema}_pgboss`;
}

type Adapters = Pick<typeof import('pg-boss'), 'fromDrizzle'>;

/**
 * pg-boss on the open database: over the same PGlite instance (pg-boss's `pglite` backend) or over its own small
 * pool on the same PostgreSQL. Nothing runs until `start()` (at module init), which installs or migrates its
 * schema under pg-boss's own advisory lock, so instances booting at once do it one after another. It stops
 * before the database closes.
 */
export async function createJobQueue(database: Database, options: JobQueueOptions): Promise<PgBossJobQueue> {
  const { PgBoss, fromPglite, fromDrizzle } = await import('pg-boss');
  const workerId = `${options.label ?? hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const common = {
    schema: queueSchemaOf(database),
    superviseIntervalSeconds: SUPERVISE_SECONDS,
    monitorIntervalSeconds: SUPERVISE_SECONDS,
    useListenNotify: true,
    instanceName: workerId,
  };
  const connection = database.connection;
  const boss =
    connection.mode === 'embedded'
      ? new PgBoss({ ...common, db: fromPglite(connection.client), backend: 'pglite' })
      : new PgBoss({ ...common, connectionString: connection.url, max: 4, connectionTimeoutMillis: connection.timeoutMs, application_name: 'bsm-queue' });
  boss.on('error', options.onError);
  const queue = new PgBossJobQueue(boss, workerId, { fromDrizzle }, connection.mode === 'embedded');
  database.beforeClose(() => queue.close());
  return queue;
}

export class PgBossJobQueue extends JobQueue implements OnModuleInit {
  constructor(
    private readonly boss: PgBoss,
    readonly workerId: string,
    private readonly adapters: Adapters,
    /** Only this process uses the database (PGlite): a job running at start was left by a process that died. */
    private readonly exclusive: boolean,
  ) {
    super();
  }

  /** Installs or migrates pg-boss's schema, then starts its supervision (timers: only once the app inits). */
  async start(): Promise<this> {
    await this.boss.start();
    return this;
  }

  onModuleInit(): Promise<this> {
    return this.start();
  }

  private inTransaction(tx?: Drizzle) {
    return tx ? { db: this.adapters.fromDrizzle(tx as never, sql as never) } : {};
  }

  async define(name: string, settings?: QueueSettings): Promise<void> {
    const options: Omit<Queue, 'name'> = { notify: true };
    if (settings) {
      Object.assign(options, {
        retryLimit: settings.retryLimit,
        retryDelay: settings.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: settings.expireInSeconds,
        retentionSeconds: settings.retentionSeconds,
        deleteAfterSeconds: settings.retentionSeconds,
      });
      // pg-boss refuses these keys present but undefined.
      if (settings.heartbeatSeconds !== undefined) options.heartbeatSeconds = settings.heartbeatSeconds;
      if (settings.deadLetter !== undefined) options.deadLetter = settings.deadLetter;
    }
    if (await this.boss.getQueue(name)) {
      const { heartbeatSeconds: _fixedAtCreation, ...updatable } = options;
      await this.boss.updateQueue(name, updatable);
      return;
    }
    // Another instance may create it between the look and the create: only a queue still missing is an error.
    await this.boss.createQueue(name, options).catch(async (error: Error) => {
      if (!(await this.boss.getQueue(name))) throw error;
    });
  }

  async send(name: string, jobs: NewQueuedJob[], tx?: Drizzle): Promise<string[]> {
    if (jobs.length === 0) return [];
    // pg-boss's insert: one multi-row statement, with the queue's settings (retries, expiry, dead letter) as send's.
    return (await this.boss.insert(name, jobs, { returnId: true, ...this.inTransaction(tx) })) ?? [];
  }

  async work<T>(name: string, concurrency: number, handler: (job: QueuedJob<T>) => Promise<void>): Promise<void> {
    if (this.exclusive) await this.failRunning(name, 'the process running it stopped');
    const options = { includeMetadata: true, batchSize: 1, localConcurrency: concurrency, pollingIntervalSeconds: POLL_SECONDS, notifyPollingIntervalSeconds: POLL_SECONDS } as const;
    await this.boss.work(name, options, async ([job]: JobWithMetadata<T>[]) => {
      await handler({ id: job.id, data: job.data, attempt: job.retryCount + 1, lastAttempt: job.retryCount >= job.retryLimit });
    });
  }

  stopWork(name: string): Promise<void> {
    return this.boss.offWork(name, { wait: false });
  }

  private async failRunning(name: string, reason: string): Promise<void> {
    const running = (await this.boss.findJobs(name)).filter((job) => job.state === 'active').map((job) => job.id);
    if (running.length > 0) await this.boss.fail(name, running, { message: reason });
  }

  async parked<T>(name: string, query: { limit: number; after?: string; id?: string }): Promise<ParkedJob<T>[]> {
    const jobs = await this.boss.findJobs<T>(name, { queued: true, limit: query.limit, ...(query.after ? { after: query.after } : {}), ...(query.id ? { id: query.id } : {}) });
    return jobs.map((job) => {
      const output = job.sourceOutput as { message?: unknown } | null | undefined;
      return { id: job.id, data: job.data, error: typeof output?.message === 'string' ? output.message : null, parkedAt: job.createdOn };
    });
  }

  redrive(name: string, filter: { ids?: string[]; data?: object }, tx?: Drizzle): Promise<number> {
    return this.boss.redrive(name, { ...filter, ...this.inTransaction(tx) });
  }

  async schedule(name: string, cron: string, handler: () => Promise<void>): Promise<void> {
    await this.define(name);
    await this.boss.schedule(name, cron);
    await this.boss.work(name, { pollingIntervalSeconds: 30 }, () => handler());
  }

  /** Stops workers and maintenance; a job still running is failed by pg-boss, so it is retried elsewhere. */
  close(): Promise<void> {
    return this.boss.stop({ graceful: false, close: true });
  }
}
