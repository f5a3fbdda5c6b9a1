import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Orchestrator jobs. A job is stored before its 202; a running job carries its owner and
 * a lease, so a restart re-queues the instance's unfinished jobs and another instance can
 * take over a job whose lease expired.
 */
export const orchestratorJobs = pgTable(
  'orchestrator_jobs',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    event: text('event').notNull(),
    status: text('status').notNull(),
    repo: text('repo'),
    pr: integer('pr'),
    payload: jsonb('payload').notNull(),
    /** The payload read once at intake (null only on rows stored before this column existed). */
    input: jsonb('input'),
    context: jsonb('context'),
    results: jsonb('results'),
    decision: jsonb('decision'),
    report: text('report'),
    error: text('error'),
    owner: text('owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    attempts: integer('attempts').notNull().default(0),
    correlationId: text('correlation_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    index('orchestrator_jobs_status_idx').on(table.status, table.seq),
    index('orchestrator_jobs_repo_pr_idx').on(table.repo, table.pr),
  ],
);

/** Runtime overrides of events.yaml strategies (PUT /api/orchestrator/config/:event). */
export const orchestratorOverrides = pgTable('orchestrator_overrides', {
  event: text('event').primaryKey(),
  strategy: jsonb('strategy').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** GitHub deliveries seen (X-GitHub-Delivery), so a redelivery never runs twice. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    event: text('event').notNull(),
    jobId: text('job_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('webhook_deliveries_received_at_idx').on(table.receivedAt)],
);
