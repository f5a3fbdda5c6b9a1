import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Drizzle = PgDatabase<PgQueryResultHKT, typeof schema>;
export type StorageMode = 'embedded' | 'postgres';

/**
 * The open database: Drizzle over PGlite (embedded, in STATE_DIR) or over node-postgres.
 * Repositories take it by injection; it closes last, after every feature has drained.
 */
export class Database {
  constructor(
    readonly db: Drizzle,
    readonly mode: StorageMode,
    private readonly closeConnection: () => Promise<void>,
  ) {}

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
