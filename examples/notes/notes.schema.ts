import { bigserial, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The example module's own table, migrated from its own folder (examples/notes/drizzle). */
export const exampleNotes = pgTable('example_notes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  text: text('text').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
