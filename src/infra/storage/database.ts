import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

export type Drizzle = PgDatabase<PgQueryResultHKT>;
export type StorageMode = 'embedded' | 'postgres';

/** How the database was reached, for what shares it (the job queue): the PGlite instance, or PostgreSQL's URL. */
export type DatabaseConnection =
  | { mode: 'embedded'; client: PGlite }
  | { mode: 'postgres'; url: string; schema: string; timeoutMs: number };

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
  private readonly beforeCloseHooks: (() => Promise<void>)[] = [];

  constructor(
    readonly db: Drizzle,
    readonly connection: DatabaseConnection,
    private readonly closeConnection: () => Promise<void>,
    private readonly runMigrations: (set: MigrationSet) => Promise<void>,
  ) {}

  get mode(): StorageMode {
    return this.connection.mode;
  }

  /** Runs before the connection closes (what shares it, such as the job queue, stops first), last registered first. */
  beforeClose(hook: () => Promise<void>): void {
    this.beforeCloseHooks.unshift(hook);
  }

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
    this.closing ??= (async () => {
      for (const hook of this.beforeCloseHooks) await hook();
      await this.closeConnection();
    })();
    return this.closing;
  }
}
