import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { Pool } from 'pg';
import { Database, type MigrationSet } from './database';

/** The core's committed SQL migrations (drizzle-kit generate), applied at every start. */
export const CORE_MIGRATIONS: MigrationSet = { folder: resolve(__dirname, '../../../drizzle'), table: '__drizzle_migrations' };

const DEFAULT_TIMEOUT_MS = 2_000;

export interface StorageOptions {
  databaseUrl?: string;
  databaseSchema: string;
  stateDir: string;
  /** PostgreSQL: connection and query timeout (DATABASE_TIMEOUT_MS). */
  timeoutMs?: number;
  /** PostgreSQL: an idle connection's error (the server restarting): reported, never thrown. */
  onConnectionError?: (error: Error) => void;
}

export function embeddedDataDir(stateDir: string): string {
  return join(resolve(stateDir), 'pglite');
}

async function openPostgres(url: string, dbSchema: string, timeoutMs: number, onConnectionError: (error: Error) => void): Promise<Database> {
  const pool = new Pool({
    connectionString: url,
    max: 10,
    options: `-c search_path=${dbSchema}`,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // Without a listener, an idle client's error (PostgreSQL restarting) is an unhandled 'error' event and ends
  // the process. The pool drops that client; the next query opens a new connection.
  pool.on('error', onConnectionError);
  const db = drizzlePg({ client: pool });
  const migrationsSchema = dbSchema === 'public' ? 'drizzle' : dbSchema;
  const migrate = (set: MigrationSet) => migratePg(db, { migrationsFolder: set.folder, migrationsTable: set.table, migrationsSchema });
  try {
    if (dbSchema !== 'public') await db.execute(sql.raw(`create schema if not exists "${dbSchema}"`));
    await migrate(CORE_MIGRATIONS);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new Database(db, 'postgres', () => pool.end(), migrate);
}

/**
 * Postgres' default 128 MB of shared buffers live inside PGlite's WASM memory; the embedded
 * store is small (jobs, reviews, audit), and 16 MB halves the idle RSS.
 */
const EMBEDDED_CONF = ['shared_buffers=16MB'];

const INITDB_WORKER = `
const { workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.module);
const db = new PGlite(workerData.dataDir, { postgresqlconf: workerData.conf });
db.waitReady.then(() => db.close());
`;

/**
 * A new data dir needs initdb, whose WASM instance stays resident (≈ 400 MB) for the life of
 * the process that ran it. Run in a worker thread, that memory goes when the worker ends.
 */
async function initialiseDataDir(dataDir: string): Promise<void> {
  if (await access(join(dataDir, 'PG_VERSION')).then(() => true, () => false)) return;
  await new Promise<void>((resolveInit, reject) => {
    const worker = new Worker(INITDB_WORKER, {
      eval: true,
      workerData: { module: require.resolve('@electric-sql/pglite'), dataDir, conf: EMBEDDED_CONF },
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolveInit() : reject(new Error(`initdb of ${dataDir} ended with code ${code}`))));
  });
}

async function openEmbedded(stateDir: string): Promise<Database> {
  const dataDir = embeddedDataDir(stateDir);
  await mkdir(dataDir, { recursive: true });
  await initialiseDataDir(dataDir);
  const client = new PGlite(dataDir, { postgresqlconf: EMBEDDED_CONF });
  await client.waitReady;
  const db = drizzlePglite({ client });
  const migrate = (set: MigrationSet) => migratePglite(db, { migrationsFolder: set.folder, migrationsTable: set.table });
  try {
    await migrate(CORE_MIGRATIONS);
  } catch (error) {
    await client.close();
    throw error;
  }
  return new Database(db, 'embedded', () => client.close(), migrate);
}

export function openDatabase(options: StorageOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.databaseSchema, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.onConnectionError ?? (() => undefined))
    : openEmbedded(options.stateDir);
}
