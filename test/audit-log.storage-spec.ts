import { Database } from '../src/infra/storage/database';
import { openDatabase } from '../src/infra/storage/open-database';
import { DrizzleAuditLog } from '../src/audit/drizzle-audit-log';
import { createStateBackend, type StateBackend } from './support/test-backend';

async function open(backend: StateBackend): Promise<Database> {
  return openDatabase({
    databaseUrl: backend.env.DATABASE_URL,
    databaseSchema: backend.env.DATABASE_SCHEMA ?? 'public',
    stateDir: backend.stateDir,
  });
}

describe('DrizzleAuditLog', () => {
  let backend: StateBackend;
  let database: Database;
  beforeEach(async () => {
    backend = await createStateBackend();
    database = await open(backend);
  });
  afterEach(async () => {
    await database.onApplicationShutdown();
    await backend.dispose();
  });

  it('appends entries and pages newest first with a cursor', async () => {
    const log = new DrizzleAuditLog(database);
    for (let i = 1; i <= 5; i += 1) {
      await log.append({ action: 'cache.clear', target: `cache-${i}`, correlationId: `c-${i}`, details: { n: i } });
    }
    const first = await log.page(2);
    expect(first.entries.map((e) => e.target)).toEqual(['cache-5', 'cache-4']);
    expect(first.entries[0]).toMatchObject({ action: 'cache.clear', correlationId: 'c-5', details: { n: 5 } });
    expect(first.entries[0].createdAt).toBeInstanceOf(Date);
    const second = await log.page(2, Number(first.nextCursor));
    expect(second.entries.map((e) => e.target)).toEqual(['cache-3', 'cache-2']);
    const last = await log.page(2, Number(second.nextCursor));
    expect(last.entries.map((e) => e.target)).toEqual(['cache-1']);
    expect(last.nextCursor).toBeNull();
  });

  it('keeps what was written across a restart', async () => {
    const before = new DrizzleAuditLog(database);
    await before.append({ action: 'breaker.reset', target: 'openai', correlationId: 'restart-1', details: null });
    await database.onApplicationShutdown();
    database = await open(backend);
    const after = await new DrizzleAuditLog(database).page(10);
    expect(after.entries).toHaveLength(1);
    expect(after.entries[0]).toMatchObject({ action: 'breaker.reset', target: 'openai', correlationId: 'restart-1' });
  });

  it('reports the storage mode it runs on', () => {
    expect(database.mode).toBe(backend.env.DATABASE_URL ? 'postgres' : 'embedded');
  });
});
