import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Append-only record of admin actions. Rows are never updated; retention deletes the oldest. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    action: text('action').notNull(),
    target: text('target').notNull(),
    correlationId: text('correlation_id').notNull(),
    details: jsonb('details'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('audit_log_created_at_idx').on(table.createdAt)],
);

/** Code reviews remembered for similarity search; `seq` orders the index rebuild. */
export const vectorReviews = pgTable(
  'vector_reviews',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    code: text('code').notNull(),
    review: text('review').notNull(),
    metadata: jsonb('metadata').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
);

/** Decisions (approve, request changes, block, manual review) for rejection patterns. */
export const vectorDecisions = pgTable(
  'vector_decisions',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    action: text('action').notNull(),
    reason: text('reason'),
    decision: jsonb('decision').notNull(),
    context: jsonb('context'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('vector_decisions_created_at_idx').on(table.createdAt)],
);

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
