import { Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { Database } from '../../infra/storage/database';
import { orchestratorJobs, webhookDeliveries } from '../../infra/storage/schema';
import { JobStore, type DeliveryOutcome, type Job, type JobFilter, type JobOutcome, type JobPage, type NewJob } from './job-store';

const UNIQUE_VIOLATION = '23505';

type Row = typeof orchestratorJobs.$inferSelect;

function toJob(row: Row): Job {
  const { seq: _seq, ...job } = row;
  return job as Job;
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
    try {
      return await this.acceptOnce(job, deliveryId, coalesce);
    } catch (error) {
      // Two copies of one delivery raced; the loser now sees the winner's row.
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION && (error as { cause?: { code?: string } }).cause?.code !== UNIQUE_VIOLATION) throw error;
      return this.acceptOnce(job, deliveryId, coalesce);
    }
  }

  private acceptOnce(job: NewJob, deliveryId: string, coalesce: boolean): Promise<DeliveryOutcome> {
    return this.db.transaction(async (tx) => {
      const [seen] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
      if (seen) {
        const [row] = await tx.select().from(orchestratorJobs).where(eq(orchestratorJobs.id, seen.jobId));
        if (row.status !== 'failed') return { job: toJob(row), outcome: 'duplicate' as const };
        const [requeued] = await tx
          .update(orchestratorJobs)
          .set({ status: 'queued', error: null, owner: null, leaseUntil: null, finishedAt: null })
          .where(eq(orchestratorJobs.id, row.id))
          .returning();
        return { job: toJob(requeued), outcome: 'rerun' as const };
      }
      let superseded = 0;
      if (coalesce && job.repo !== null && job.pr !== null) {
        const rows = await tx
          .update(orchestratorJobs)
          .set({ status: 'superseded', finishedAt: new Date() })
          .where(
            and(
              eq(orchestratorJobs.repo, job.repo),
              eq(orchestratorJobs.pr, job.pr),
              eq(orchestratorJobs.event, job.event),
              eq(orchestratorJobs.status, 'queued'),
            ),
          )
          .returning({ id: orchestratorJobs.id });
        superseded = rows.length;
      }
      const [row] = await tx.insert(orchestratorJobs).values({ ...job, status: 'queued' }).returning();
      await tx.insert(webhookDeliveries).values({ id: deliveryId, event: job.event, jobId: row.id });
      return { job: toJob(row), outcome: superseded > 0 ? ('coalesced' as const) : ('queued' as const) };
    });
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
