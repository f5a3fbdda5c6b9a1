import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { Pool } from 'pg';
import { Database } from './database';
import * as schema from './schema';

/** Committed SQL migrations (drizzle-kit generate), applied at every start. */
export const MIGRATIONS_FOLDER = resolve(__dirname, '../../../drizzle');

export interface StorageOptions {
  databaseUrl?: string;
  databaseSchema: string;
  stateDir: string;
}

export function embeddedDataDir(stateDir: string): string {
  return join(resolve(stateDir), 'pglite');
}

async function openPostgres(url: string, dbSchema: string): Promise<Database> {
  const pool = new Pool({ connectionString: url, max: 10, options: `-c search_path=${dbSchema}` });
  const db = drizzlePg({ client: pool, schema });
  try {
    if (dbSchema !== 'public') await db.execute(sql.raw(`create schema if not exists "${dbSchema}"`));
    await migratePg(db, { migrationsFolder: MIGRATIONS_FOLDER, migrationsSchema: dbSchema === 'public' ? 'drizzle' : dbSchema });
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new Database(db, 'postgres', () => pool.end());
}

async function openEmbedded(stateDir: string): Promise<Database> {
  const dataDir = embeddedDataDir(stateDir);
  await mkdir(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  await client.waitReady;
  const db = drizzlePglite({ client, schema });
  try {
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await client.close();
    throw error;
  }
  return new Database(db, 'embedded', () => client.close());
}

export function openDatabase(options: StorageOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.databaseSchema)
    : openEmbedded(options.stateDir);
}
