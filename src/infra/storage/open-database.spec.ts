import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from './open-database';

describe('openDatabase (embedded)', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'bsm-open-db-'));
  });
  afterEach(() => rm(stateDir, { recursive: true, force: true }));

  it('creates the database on an empty state dir (initdb in a worker), migrates it, and reopens it with its rows', async () => {
    const first = await openDatabase({ stateDir, databaseSchema: 'public' });
    expect(first.mode).toBe('embedded');
    await first.db.execute(sql`insert into audit_log (action, target, correlation_id) values ('test.action', 'x', 'c-1')`);
    await first.onApplicationShutdown();

    const again = await openDatabase({ stateDir, databaseSchema: 'public' });
    const result = await again.db.execute(sql`select action, current_setting('shared_buffers') as buffers from audit_log`);
    await again.onApplicationShutdown();
    expect((result as unknown as { rows: unknown[] }).rows).toEqual([{ action: 'test.action', buffers: '16MB' }]);
  }, 60_000);
});
