import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { JobQueue } from '../../infra/queue/job-queue';
import { Database, type Drizzle } from '../../infra/storage/database';
import { orchestratorJobs, webhookDeliveries } from '../orchestrator.schema';
import type { ReviewInput } from '../../review/review.model';
import { reviewInputOf } from '../github/pull-request-payload';
import { JobStore, type DeliveryOutcome, type Job, type JobFilter, type JobOutcome, type JobPage, type JobStatus, type NewJob } from './job-store';
import { REVIEW_DEAD_LETTERS, REVIEW_QUEUE, type ReviewQueueEntry } from './review-queue';

type Row = typeof orchestratorJobs.$inferSelect;

function toJob(row: Row): Job {
  const { seq: _seq, input, ...job } = row;
  // Rows stored before the input column carry only their payload: read it as intake does now.
  return { ...job, input: (input as ReviewInput | null) ?? reviewInputOf(row.event, row.payload as Record<string, unknown>) } as Job;
}

@Injectable()
export class DrizzleJobStore extends JobStore {
  constructor(
    private readonly database: Database,
    private readonly queue: JobQueue,
  ) {
    super();
  }

  private get db() {
    return this.database.db;
  }

  /**
   * Queues a stored job, in the transaction that stored it. The queue entry takes the job's id, so a job is
   * queued once; an id the queue still holds (a job run before) gets an entry of its own.
   */
  private async enqueue(tx: Drizzle, jobId: string): Promise<void> {
    const entry: ReviewQueueEntry = { jobId };
    if ((await this.queue.send(REVIEW_QUEUE, entry, { id: jobId, tx })) === null) await this.queue.send(REVIEW_QUEUE, entry, { tx });
  }

  create(job: NewJob): Promise<Job> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.insert(orchestratorJobs).values({ ...job, status: 'queued' }).returning();
      await this.enqueue(tx, row.id);
      return toJob(row);
    });
  }

  acceptDelivery(job: NewJob, deliveryId: string, coalesce: boolean): Promise<DeliveryOutcome> {
    return this.db.transaction(async (tx) => {
      // One statement for the rows, so the common case (a new delivery) is one round trip: the delivery id,
      // the job and the superseding of queued jobs land together or not at all. The job takes the delivery's
      // id unless a job still has it (a delivery forgotten by retention, delivered again).
      const t = orchestratorJobs;
      const result = await tx.execute(sql`
        with chosen as (
          select case when exists (select 1 from ${t} where ${t.id} = ${job.id}) then ${randomUUID()} else ${job.id} end as id
        ), delivery as (
          insert into ${webhookDeliveries} (id, event, job_id) select ${deliveryId}, ${job.event}, id from chosen
          on conflict (id) do nothing
          returning job_id
        ), superseded as (
          update ${t} set status = 'superseded', finished_at = now()
          where ${coalesce} and exists (select 1 from delivery)
            and ${t.repo} = ${job.repo} and ${t.pr} = ${job.pr} and ${t.event} = ${job.event} and ${t.status} = 'queued'
          returning ${t.id}
        ), created as (
          insert into ${t} (id, event, status, repo, pr, payload, input, context, correlation_id)
          select job_id, ${job.event}, 'queued', ${job.repo}, ${job.pr}, ${JSON.stringify(job.payload)}::jsonb, ${JSON.stringify(job.input)}::jsonb,
                 ${job.context === null ? null : JSON.stringify(job.context)}::jsonb, ${job.correlationId}
          from delivery
          returning id
        )
        select (select id from created) as created, (select count(*)::int from superseded) as superseded`);
      const [counts] = (result as unknown as { rows: { created: string | null; superseded: number }[] }).rows;
      if (counts.created !== null) {
        await this.enqueue(tx, counts.created);
        return { jobId: counts.created, outcome: counts.superseded > 0 ? 'coalesced' : 'queued' };
      }
      return this.redelivered(tx, deliveryId);
    });
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
    if (moved === 0) await this.queue.send(REVIEW_QUEUE, { jobId: seen.jobId } satisfies ReviewQueueEntry, { tx });
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
