import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { JobQueue } from '../../infra/queue/job-queue';
import { Database, type Drizzle } from '../../infra/storage/database';
import { GroupCommit } from '../../infra/storage/group-commit';
import { isStorageUnavailable } from '../../infra/storage/storage-errors';
import { orchestratorJobs, webhookDeliveries } from '../orchestrator.schema';
import type { ReviewInput } from '../../review/review.model';
import { reviewInputOf } from '../github/pull-request-payload';
import { JobStore, type DeliveryOutcome, type Job, type JobFilter, type JobOutcome, type JobPage, type JobStatus, type NewJob } from './job-store';
import { REVIEW_DEAD_LETTERS, REVIEW_QUEUE, type ReviewQueueEntry } from './review-queue';

type Row = typeof orchestratorJobs.$inferSelect;

interface Delivery {
  job: NewJob;
  deliveryId: string;
  coalesce: boolean;
}

/** Transactions storing deliveries at once on PostgreSQL (its pool has 10 connections; the job queue has its own). */
const POSTGRES_DELIVERY_LANES = 4;
const DELIVERIES_PER_TRANSACTION = 50;

function toJob(row: Row): Job {
  const { seq: _seq, input, ...job } = row;
  // Rows stored before the input column carry only their payload: read it as intake does now.
  return { ...job, input: (input as ReviewInput | null) ?? reviewInputOf(row.event, row.payload as Record<string, unknown>) } as Job;
}

@Injectable()
export class DrizzleJobStore extends JobStore {
  /**
   * Deliveries arriving while others are being stored are stored together in the next transaction: on the
   * embedded database (one connection) ten senders otherwise queue behind ten transactions.
   */
  private readonly deliveries: GroupCommit<Delivery, DeliveryOutcome>;

  constructor(
    private readonly database: Database,
    private readonly queue: JobQueue,
  ) {
    super();
    this.deliveries = new GroupCommit((batch) => this.storeDeliveries(batch), {
      lanes: database.mode === 'embedded' ? 1 : POSTGRES_DELIVERY_LANES,
      maxBatch: DELIVERIES_PER_TRANSACTION,
      retryAlone: (error) => !isStorageUnavailable(error),
    });
  }

  private get db() {
    return this.database.db;
  }

  /**
   * Queues stored jobs, in the transaction that stored them. A queue entry takes its job's id, so a job is
   * queued once; an id the queue still holds (a job run before) gets an entry of its own.
   */
  private async enqueue(tx: Drizzle, jobIds: string[]): Promise<void> {
    const entry = (jobId: string): ReviewQueueEntry => ({ jobId });
    const sent = new Set(await this.queue.send(REVIEW_QUEUE, jobIds.map((id) => ({ id, data: entry(id) })), tx));
    const taken = jobIds.filter((id) => !sent.has(id));
    await this.queue.send(REVIEW_QUEUE, taken.map((id) => ({ data: entry(id) })), tx);
  }

  create(job: NewJob): Promise<Job> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.insert(orchestratorJobs).values({ ...job, status: 'queued' }).returning();
      await this.enqueue(tx, [row.id]);
      return toJob(row);
    });
  }

  acceptDelivery(job: NewJob, deliveryId: string, coalesce: boolean): Promise<DeliveryOutcome> {
    return this.deliveries.submit({ job, deliveryId, coalesce });
  }

  /**
   * Deliveries in arrival order, in one transaction and, in the common case (new deliveries), one statement
   * for the rows: delivery ids, jobs, and queued jobs superseded, land together or not at all.
   */
  private storeDeliveries(batch: Delivery[]): Promise<DeliveryOutcome[]> {
    return this.db.transaction(async (tx) => {
      const { stored, queued } = await this.storeNew(tx, batch);
      const outcomes: DeliveryOutcome[] = [];
      for (const [index, delivery] of batch.entries()) outcomes.push(stored.get(index) ?? (await this.redelivered(tx, delivery.deliveryId)));
      await this.enqueue(tx, queued);
      return outcomes;
    });
  }

  /**
   * Stores the batch's new deliveries (the first of each delivery id not seen before), as if one after another:
   * a job takes its delivery's id unless a job still has it (a delivery forgotten by retention, delivered
   * again); a coalescing delivery supersedes the queued jobs of its event and pull request, those stored before
   * and those earlier in the batch. Answers the outcome of each delivery stored, by its index in the batch, and
   * the jobs to queue (not those superseded within the batch).
   */
  private async storeNew(tx: Drizzle, batch: Delivery[]): Promise<{ stored: Map<number, DeliveryOutcome>; queued: string[] }> {
    const rows = batch.map(({ job, deliveryId, coalesce }, n) => ({
      n,
      id: job.id,
      spare: randomUUID(),
      delivery_id: deliveryId,
      event: job.event,
      repo: job.repo,
      pr: job.pr,
      payload: job.payload,
      input: job.input,
      context: job.context,
      correlation_id: job.correlationId,
      coalesce,
    }));
    const t = orchestratorJobs;
    const d = webhookDeliveries;
    const result = await tx.execute(sql`
      with batch as (
        select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as b(
          n int, id text, spare text, delivery_id text, event text, repo text, pr int, payload jsonb, input jsonb,
          context jsonb, correlation_id text, coalesce boolean)
      ), fresh as (
        select distinct on (b.delivery_id) b.*,
               case when exists (select 1 from ${t} where ${t.id} = b.id) then b.spare else b.id end as job_id
        from batch b
        where not exists (select 1 from ${d} where ${d.id} = b.delivery_id)
        order by b.delivery_id, b.n
      ), delivery as (
        insert into ${d} (id, event, job_id) select delivery_id, event, job_id from fresh order by n
        on conflict (id) do nothing
        returning ${d.id} as delivery_id
      ), stored as (
        select f.*,
               exists (select 1 from fresh g join delivery using (delivery_id)
                       where f.coalesce and g.n > f.n and g.repo = f.repo and g.pr = f.pr and g.event = f.event) as replaced,
               exists (select 1 from fresh g join delivery using (delivery_id)
                       where f.coalesce and g.n < f.n and g.repo = f.repo and g.pr = f.pr and g.event = f.event) as follows
        from fresh f join delivery using (delivery_id)
      ), superseded as (
        update ${t} set status = 'superseded', finished_at = now()
        from (select distinct repo, pr, event from stored where coalesce) k
        where ${t.repo} = k.repo and ${t.pr} = k.pr and ${t.event} = k.event and ${t.status} = 'queued'
        returning k.repo, k.pr, k.event
      ), created as (
        -- Not read below: PostgreSQL runs every data-modifying part of a WITH, read or not.
        insert into ${t} (id, event, status, repo, pr, payload, input, context, correlation_id, finished_at)
        select job_id, event, case when replaced then 'superseded' else 'queued' end, repo, pr, payload, input, context, correlation_id,
               case when replaced then now() end
        from stored order by n
      )
      select s.n, s.job_id, s.replaced,
             s.follows or exists (select 1 from superseded u where u.repo = s.repo and u.pr = s.pr and u.event = s.event) as coalesced
      from stored s`);
    const stored = (result as unknown as { rows: { n: number; job_id: string; replaced: boolean; coalesced: boolean }[] }).rows;
    return {
      stored: new Map(stored.map((row) => [row.n, { jobId: row.job_id, outcome: row.coalesced ? 'coalesced' : 'queued' }])),
      queued: stored.filter((row) => !row.replaced).map((row) => row.job_id),
    };
  }

  /**
   * A delivery seen before: its job, queued again if it failed (GitHub's redelivery reuses the id). A job that
   * failed past its retries goes back from its dead letter; one that ended failed otherwise gets a new entry.
   */
  private async redelivered(tx: Drizzle, deliveryId: string): Promise<DeliveryOutcome> {
    const [seen] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
    const requeued = await tx
      .update(orchestratorJobs)
      .set({ status: 'queued', error: null, finishedAt: null })
      .where(and(eq(orchestratorJobs.id, seen.jobId), eq(orchestratorJobs.status, 'failed')))
      .returning({ id: orchestratorJobs.id });
    if (requeued.length === 0) return { jobId: seen.jobId, outcome: 'duplicate' };
    const moved = await this.queue.redrive(REVIEW_DEAD_LETTERS, { data: { jobId: seen.jobId } }, tx);
    if (moved === 0) await this.queue.send(REVIEW_QUEUE, [{ data: { jobId: seen.jobId } satisfies ReviewQueueEntry }], tx);
    return { jobId: seen.jobId, outcome: 'rerun' };
  }

  requeueDeadLetter(jobId: string, deadLetterId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const moved = await this.queue.redrive(REVIEW_DEAD_LETTERS, { ids: [deadLetterId] }, tx);
      if (moved === 0) return false;
      await tx
        .update(orchestratorJobs)
        .set({ status: 'queued', error: null, finishedAt: null })
        .where(and(eq(orchestratorJobs.id, jobId), eq(orchestratorJobs.status, 'failed')));
      return true;
    });
  }

  async cancel(id: string): Promise<boolean> {
    const rows = await this.db
      .update(orchestratorJobs)
      .set({ status: 'cancelled', finishedAt: new Date() })
      .where(and(eq(orchestratorJobs.id, id), inArray(orchestratorJobs.status, ['queued', 'running'])))
      .returning({ id: orchestratorJobs.id });
    return rows.length > 0;
  }

  async get(id: string): Promise<Job | null> {
    const [row] = await this.db.select().from(orchestratorJobs).where(eq(orchestratorJobs.id, id));
    return row ? toJob(row) : null;
  }

  async list(filter: JobFilter, limit: number, cursor?: number): Promise<JobPage> {
    const conditions: SQL[] = [];
    if (filter.status) conditions.push(eq(orchestratorJobs.status, filter.status));
    if (filter.event) conditions.push(eq(orchestratorJobs.event, filter.event));
    if (filter.repo) conditions.push(eq(orchestratorJobs.repo, filter.repo));
    if (filter.pr !== undefined) conditions.push(eq(orchestratorJobs.pr, filter.pr));
    if (filter.decision) conditions.push(sql`${orchestratorJobs.decision}->>'action' = ${filter.decision}`);
    if (filter.since) conditions.push(gte(orchestratorJobs.createdAt, filter.since));
    if (filter.until) conditions.push(lt(orchestratorJobs.createdAt, filter.until));
    if (cursor !== undefined) conditions.push(lt(orchestratorJobs.seq, cursor));
    const rows = await this.db
      .select()
      .from(orchestratorJobs)
      .where(and(...conditions))
      .orderBy(desc(orchestratorJobs.seq))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    return { jobs: page.map(toJob), nextCursor: rows.length > limit ? String(page[page.length - 1].seq) : null };
  }

  async start(id: string, owner: string): Promise<Job | null> {
    const [row] = await this.db
      .update(orchestratorJobs)
      .set({ status: 'running', owner, attempts: sql`${orchestratorJobs.attempts} + 1`, startedAt: sql`coalesce(${orchestratorJobs.startedAt}, now())` })
      .where(and(eq(orchestratorJobs.id, id), inArray(orchestratorJobs.status, ['queued', 'running'])))
      .returning();
    return row ? toJob(row) : null;
  }

  async release(id: string, owner: string, error: string | null): Promise<boolean> {
    const rows = await this.db
      .update(orchestratorJobs)
      .set({ status: 'queued', error })
      .where(and(eq(orchestratorJobs.id, id), eq(orchestratorJobs.owner, owner), eq(orchestratorJobs.status, 'running')))
      .returning({ id: orchestratorJobs.id });
    return rows.length > 0;
  }

  async finish(id: string, owner: string, outcome: JobOutcome): Promise<boolean> {
    const rows = await this.db
      .update(orchestratorJobs)
      .set({ ...outcome, finishedAt: new Date() })
      .where(and(eq(orchestratorJobs.id, id), eq(orchestratorJobs.owner, owner), eq(orchestratorJobs.status, 'running')))
      .returning({ id: orchestratorJobs.id });
    return rows.length > 0;
  }

  async countByStatus(): Promise<Partial<Record<JobStatus, number>>> {
    const rows = await this.db
      .select({ status: orchestratorJobs.status, count: sql<number>`count(*)::int` })
      .from(orchestratorJobs)
      .groupBy(orchestratorJobs.status);
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  }

  async purgeEndedBefore(cutoff: Date): Promise<string[]> {
    const rows = await this.db
      .delete(orchestratorJobs)
      .where(and(inArray(orchestratorJobs.status, ['completed', 'failed', 'superseded', 'cancelled']), lt(orchestratorJobs.finishedAt, cutoff)))
      .returning({ id: orchestratorJobs.id });
    return rows.map((row) => row.id);
  }

  async purgeDeliveriesBefore(cutoff: Date): Promise<number> {
    const rows = await this.db.delete(webhookDeliveries).where(lt(webhookDeliveries.receivedAt, cutoff)).returning({ id: webhookDeliveries.id });
    return rows.length;
  }
}
