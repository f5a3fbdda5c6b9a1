import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
