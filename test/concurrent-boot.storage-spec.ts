import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { CORE_MIGRATIONS, openDatabase } from '../src/infra/storage/open-database';
import { createStateBackend, USING_SERVICES } from './support/test-backend';

// PostgreSQL only: the embedded store belongs to one process.
const onPostgres = USING_SERVICES ? it : it.skip;

describe('instances starting at once on an empty database', () => {
  onPostgres('all migrate it, one after another under an advisory lock, and every table exists once', async () => {
    const backend = await createStateBackend();
    try {
      const options = { databaseUrl: backend.env.DATABASE_URL, databaseSchema: backend.env.DATABASE_SCHEMA, stateDir: backend.stateDir };
      const opened = await Promise.allSettled(Array.from({ length: 6 }, () => openDatabase(options)));
      expect(opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
      const databases = opened.map((o) => (o as PromiseFulfilledResult<Awaited<ReturnType<typeof openDatabase>>>).value);
      await Promise.all(databases.map((d) => d.ping()));
      await Promise.all(databases.map((d) => d.onApplicationShutdown()));
      const client = new Client({ connectionString: backend.env.DATABASE_URL });
      await client.connect();
      const applied = await client.query(`select count(*)::int as n from "${backend.env.DATABASE_SCHEMA}".__drizzle_migrations`);
      await client.end();
      const journal = JSON.parse(await readFile(join(CORE_MIGRATIONS.folder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
      expect(applied.rows[0].n).toBe(journal.entries.length);
    } finally {
      await backend.dispose();
    }
  });
});
