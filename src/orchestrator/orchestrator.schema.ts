import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Orchestrator jobs: what was asked and what came of it. A job is stored (and queued, in the same
 * transaction) before its 202; the queue (pg-boss, in its own schema) says when and where it runs, and a
 * running job carries its worker's identity, so only that worker records its outcome.
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

/** A finished job's report (JSON and Markdown), served by any instance. */
export const orchestratorReports = pgTable('orchestrator_reports', {
  jobId: text('job_id').primaryKey(),
  json: jsonb('json').notNull(),
  markdown: text('markdown').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
