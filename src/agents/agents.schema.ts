import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Agents started through the API, shared by every instance: a row is a running agent. */
export const agentRuns = pgTable('agent_runs', {
  agentId: text('agent_id').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
