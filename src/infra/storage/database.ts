import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

export type Drizzle = PgDatabase<PgQueryResultHKT>;
export type StorageMode = 'embedded' | 'postgres';

/** A folder of drizzle-kit SQL migrations and the table that records which of them ran. */
export interface MigrationSet {
  folder: string;
  table: string;
}

/**
 * The open database: Drizzle over PGlite (embedded, in STATE_DIR) or over node-postgres.
 * Repositories take it by injection; it closes last, after every feature has drained.
 */
export class Database {
  constructor(
    readonly db: Drizzle,
    readonly mode: StorageMode,
    private readonly closeConnection: () => Promise<void>,
    private readonly runMigrations: (set: MigrationSet) => Promise<void>,
  ) {}

  /** Applies a set of migrations not yet recorded in its table (a feature's or an embedding module's own). */
  migrate(set: MigrationSet): Promise<void> {
    return this.runMigrations(set);
  }

  async ping(): Promise<void> {
    await this.db.execute(sql`select 1`);
  }

  private closing?: Promise<void>;

  /** Closes once, however many times it is called (PGlite throws on a second close). */
  onApplicationShutdown(): Promise<void> {
    this.closing ??= this.closeConnection();
    return this.closing;
  }
}
