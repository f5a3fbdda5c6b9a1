import { Injectable } from '@nestjs/common';
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { Database } from '../../infra/storage/database';
import { orchestratorJobs, webhookDeliveries } from '../orchestrator.schema';
import type { ReviewInput } from '../../review/review.model';
import { reviewInputOf } from '../github/pull-request-payload';
import { JobStore, type DeliveryOutcome, type Job, type JobFilter, type JobOutcome, type JobPage, type JobStatus, type NewJob } from './job-store';

type Row = typeof orchestratorJobs.$inferSelect;

function toJob(row: Row): Job {
  const { seq: _seq, input, ...job } = row;
  // Rows stored before the input column carry only their payload: read it as intake does now.
  return { ...job, input: (input as ReviewInput | null) ?? reviewInputOf(row.event, row.payload as Record<string, unknown>) } as Job;
}

@Injectable()
export class DrizzleJobStore extends JobStore {
  constructor(private readonly database: Database) {
    super();
  }

  private get db() {
    return this.database.db;
  }

  async create(job: NewJob): Promise<Job> {
    const [row] = await this.db.insert(orchestratorJobs).values({ ...job, status: 'queued' }).returning();
    return toJob(row);
  }

  async acceptDelivery(job: NewJob, deliveryId: string, coalesce: boolean): Promise<DeliveryOutcome> {
    // One statement, so the common case (a new delivery) is one round trip and atomic: the
    // delivery id, the job and the superseding of queued jobs land together or not at all.
    const t = orchestratorJobs;
    const result = await this.db.execute(sql`
      with delivery as (
        insert into ${webhookDeliveries} (id, event, job_id) values (${deliveryId}, ${job.event}, ${job.id})
        on conflict (id) do nothing
        returning job_id
      ), superseded as (
        update ${t} set status = 'superseded', finished_at = now()
        where ${coalesce} and exists (select 1 from delivery)
          and ${t.repo} = ${job.repo} and ${t.pr} = ${job.pr} and ${t.event} = ${job.event} and ${t.status} = 'queued'
        returning ${t.id}
      ), created as (
        insert into ${t} (id, event, status, repo, pr, payload, input, context, correlation_id)
        select ${job.id}, ${job.event}, 'queued', ${job.repo}, ${job.pr}, ${JSON.stringify(job.payload)}::jsonb, ${JSON.stringify(job.input)}::jsonb,
               ${job.context === null ? null : JSON.stringify(job.context)}::jsonb, ${job.correlationId}
        where exists (select 1 from delivery)
        returning id
      )
      select (select count(*)::int from created) as created, (select count(*)::int from superseded) as superseded`);
    const [counts] = (result as unknown as { rows: { created: number; superseded: number }[] }).rows;
    if (counts.created > 0) return { jobId: job.id, outcome: counts.superseded > 0 ? 'coalesced' : 'queued' };
    return this.redelivered(deliveryId);
  }

  /** A delivery seen before: its job, queued again if it failed (GitHub's redelivery reuses the id). */
  private async redelivered(deliveryId: string): Promise<DeliveryOutcome> {
    const [seen] = await this.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
    const requeued = await this.db
      .update(orchestratorJobs)
      .set({ status: 'queued', error: null, owner: null, leaseUntil: null, finishedAt: null })
      .where(and(eq(orchestratorJobs.id, seen.jobId), eq(orchestratorJobs.status, 'failed')))
      .returning({ id: orchestratorJobs.id });
    return { jobId: seen.jobId, outcome: requeued.length > 0 ? 'rerun' : 'duplicate' };
  }

  async cancel(id: string): Promise<boolean> {
    const rows = await this.db
      .update(orchestratorJobs)
      .set({ status: 'cancelled', finishedAt: new Date(), leaseUntil: null })
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

  async claim(owner: string, leaseMs: number): Promise<Job | null> {
    // SKIP LOCKED: instances sharing one PostgreSQL never take the same job.
    const next = sql`(select ${orchestratorJobs.seq} from ${orchestratorJobs}
      where ${orchestratorJobs.status} = 'queued'
         or (${orchestratorJobs.status} = 'running' and ${orchestratorJobs.leaseUntil} < now())
      order by ${orchestratorJobs.seq} limit 1 for update skip locked)`;
    const [row] = await this.db
      .update(orchestratorJobs)
      .set({
        status: 'running',
        owner,
        leaseUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
        attempts: sql`${orchestratorJobs.attempts} + 1`,
        startedAt: sql`coalesce(${orchestratorJobs.startedAt}, now())`,
      })
      .where(eq(orchestratorJobs.seq, next))
      .returning();
    return row ? toJob(row) : null;
  }

  async renew(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = await this.db
      .update(orchestratorJobs)
      .set({ leaseUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
      .where(and(eq(orchestratorJobs.id, id), eq(orchestratorJobs.owner, owner), eq(orchestratorJobs.status, 'running')))
      .returning({ id: orchestratorJobs.id });
    return rows.length > 0;
  }

  async finish(id: string, owner: string, outcome: JobOutcome): Promise<boolean> {
    const rows = await this.db
      .update(orchestratorJobs)
      .set({ ...outcome, leaseUntil: null, finishedAt: new Date() })
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

  async requeueOwned(owner: string): Promise<number> {
    const rows = await this.db
      .update(orchestratorJobs)
      .set({ status: 'queued', owner: null, leaseUntil: null })
      .where(and(eq(orchestratorJobs.owner, owner), eq(orchestratorJobs.status, 'running')))
      .returning({ id: orchestratorJobs.id });
    return rows.length;
  }
}
