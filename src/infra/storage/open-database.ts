import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { Pool, type QueryConfig } from 'pg';
import { Database, type MigrationSet } from './database';

/** The core's committed SQL migrations (drizzle-kit generate), applied at every start. */
export const CORE_MIGRATIONS: MigrationSet = { folder: resolve(__dirname, '../../../drizzle'), table: '__drizzle_migrations' };

const DEFAULT_TIMEOUT_MS = 2_000;
/** How long an instance waits for another one's migrations (its queries keep their own timeout). */
const MIGRATION_LOCK_WAIT_MS = 120_000;

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
  // Instances starting at once on an empty database would race to create the same tables (23505 … already
  // exists): migrations run on one connection holding a session advisory lock named after the schema, so they
  // run one instance after another, and the later ones find nothing left to do.
  const migrate = async (set: MigrationSet) => {
    const client = await pool.connect();
    try {
      await client.query({ text: 'select pg_advisory_lock(hashtext($1))', values: [`bsm-migrations:${dbSchema}`], query_timeout: MIGRATION_LOCK_WAIT_MS } as QueryConfig);
      try {
        if (dbSchema !== 'public') await client.query(`create schema if not exists "${dbSchema}"`);
        await migratePg(drizzlePg({ client }), { migrationsFolder: set.folder, migrationsTable: set.table, migrationsSchema });
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', [`bsm-migrations:${dbSchema}`]);
      }
    } finally {
      client.release();
    }
  };
  try {
    await migrate(CORE_MIGRATIONS);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new Database(db, { mode: 'postgres', url, schema: dbSchema, timeoutMs }, () => pool.end(), migrate);
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
  return new Database(db, { mode: 'embedded', client }, () => client.close(), migrate);
}

export function openDatabase(options: StorageOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.databaseSchema, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.onConnectionError ?? (() => undefined))
    : openEmbedded(options.stateDir);
}
