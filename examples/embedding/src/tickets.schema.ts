import { bigserial, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Acme's own table, migrated at boot from ./drizzle, tracked apart from BSM's migrations. */
export const acmeTickets = pgTable('acme_tickets', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  title: text('title').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
