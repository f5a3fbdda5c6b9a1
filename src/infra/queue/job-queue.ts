import type { Drizzle } from '../storage/database';

/** How a queue retries, bounds and keeps its jobs. */
export interface QueueSettings {
  /** Retries after the first attempt; past them the job goes to `deadLetter`. */
  retryLimit: number;
  /** The first retry's delay; each later one doubles it (with jitter). */
  retryDelaySeconds: number;
  /** A running job's worker proves it is alive this often; a job whose proof lapses is retried at once. */
  heartbeatSeconds?: number;
  /** A running job that outlives this fails (and is retried). */
  expireInSeconds: number;
  /** How long jobs are kept, waiting or ended. */
  retentionSeconds: number;
  /** The queue that receives the jobs that failed past their retry limit. */
  deadLetter?: string;
}

export interface QueuedJob<T> {
  id: string;
  data: T;
  /** 1 for the first run. */
  attempt: number;
  /** This is the last attempt: if it throws, the job goes to the dead letters. */
  lastAttempt: boolean;
}

/** A job waiting in a queue nobody works (a dead-letter queue): what it carried and why its source failed. */
export interface ParkedJob<T> {
  id: string;
  data: T;
  /** The last error of the failed job it was copied from. */
  error: string | null;
  parkedAt: Date;
}

/** A job to send: what it carries and, optionally, its id (a UUID). */
export interface NewQueuedJob {
  id?: string;
  data: object;
}

/**
 * Port: the durable job queue, on the same database as everything else (embedded or PostgreSQL). Several
 * instances share it; each job runs in one worker at a time; a job that throws is retried with backoff and,
 * past its limit, parked in its dead-letter queue.
 */
export abstract class JobQueue {
  /** This process's worker identity: unique per process, never reused after a restart. */
  abstract readonly workerId: string;
  /** Creates the queue, or brings its settings up to date. */
  abstract define(name: string, settings?: QueueSettings): Promise<void>;
  /**
   * Sends jobs in one statement; with `tx`, in that transaction (they exist exactly when the rest of it commits).
   * Answers the ids of the jobs created: a job whose id exists already is not sent.
   */
  abstract send(name: string, jobs: NewQueuedJob[], tx?: Drizzle): Promise<string[]>;
  /**
   * Runs `handler` for the queue's jobs, up to `concurrency` at once. A handler that resolves completes its job;
   * one that throws fails this attempt. On the embedded database (one process), jobs left running by a process
   * that died are failed first, so they are retried now rather than when their heartbeat lapses.
   */
  abstract work<T>(name: string, concurrency: number, handler: (job: QueuedJob<T>) => Promise<void>): Promise<void>;
  /** Stops taking jobs from the queue; handlers already running go on. */
  abstract stopWork(name: string): Promise<void>;
  /** Jobs waiting in a queue, oldest first: a page after the job `after`, or the one job `id`. */
  abstract parked<T>(name: string, query: { limit: number; after?: string; id?: string }): Promise<ParkedJob<T>[]>;
  /** Moves parked jobs back to the queue they failed in; returns how many moved. */
  abstract redrive(name: string, filter: { ids?: string[]; data?: object }, tx?: Drizzle): Promise<number>;
  /** Runs `handler` on a cron schedule, on one instance at a time. */
  abstract schedule(name: string, cron: string, handler: () => Promise<void>): Promise<void>;
}
