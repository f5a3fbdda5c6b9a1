import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { embeddedDataDir } from '../../src/infra/storage/open-database';
import { templateStateDir } from './pglite-template';

/** `npm run test:services` sets BSM_TEST_BACKEND=services: storage then runs on PostgreSQL. */
export const USING_SERVICES = process.env.BSM_TEST_BACKEND === 'services';
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface StateBackend {
  /** Variables that point BSM at this backend. */
  env: Record<string, string>;
  stateDir: string;
  dispose(): Promise<void>;
}

/**
 * A fresh, isolated place for BSM's state: a copy of the PGlite template in a temp dir
 * or, under test:services, a new schema in PostgreSQL.
 */
export async function createStateBackend(): Promise<StateBackend> {
  const stateDir = await mkdtemp(join(tmpdir(), 'bsm-state-'));
  if (!USING_SERVICES) {
    await cp(embeddedDataDir(await templateStateDir()), embeddedDataDir(stateDir), { recursive: true });
    return {
      env: { STATE_DIR: stateDir, REPORTS_DIR: join(stateDir, 'reports') },
      stateDir,
      dispose: () => rm(stateDir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    env: { STATE_DIR: stateDir, REPORTS_DIR: join(stateDir, 'reports'), DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema },
    stateDir,
    dispose: async () => {
      const client = new Client({ connectionString: POSTGRES_URL });
      await client.connect();
      // The job queue keeps its tables in a schema named after BSM's.
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.query(`drop schema if exists "${schema}_pgboss" cascade`);
      await client.end();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
