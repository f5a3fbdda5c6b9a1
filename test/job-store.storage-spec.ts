import { randomUUID } from 'node:crypto';
import { Database } from '../src/infra/storage/database';
import { openDatabase } from '../src/infra/storage/open-database';
import { DrizzleJobStore } from '../src/orchestrator/jobs/drizzle-job-store';
import { sql } from 'drizzle-orm';
import { reviewInputOf } from '../src/orchestrator/github/pull-request-payload';
import type { NewJob } from '../src/orchestrator/jobs/job-store';
import { createStateBackend, type StateBackend } from './support/test-backend';

describe('DrizzleJobStore', () => {
  let backend: StateBackend;
  let database: Database;
  let store: DrizzleJobStore;
  beforeEach(async () => {
    backend = await createStateBackend();
    database = await openDatabase({ databaseUrl: backend.env.DATABASE_URL, databaseSchema: backend.env.DATABASE_SCHEMA ?? 'public', stateDir: backend.stateDir });
    store = new DrizzleJobStore(database);
  });
  afterEach(async () => {
    await database.onApplicationShutdown();
    await backend.dispose();
  });

  const job = (overrides: Partial<NewJob> = {}): NewJob => ({
    id: randomUUID(),
    event: 'pull_request.synchronize',
    repo: 'acme/shop',
    pr: 7,
    payload: { n: 1 },
    input: reviewInputOf('pull_request.synchronize', { repository: { full_name: 'acme/shop' }, number: 7 }),
    context: null,
    correlationId: randomUUID(),
    ...overrides,
  });
  const outcome = { status: 'completed' as const, results: [], decision: null, report: null, error: null };

  it('keeps the review input read at intake, and reads the payload of a row stored before that column', async () => {
    const stored = await store.create(job());
    expect((await store.get(stored.id))!.input).toMatchObject({ repo: 'acme/shop', pr: { number: 7 }, files: [] });
    const id = randomUUID();
    const payload = { repository: { full_name: 'acme/old' }, pull_request: { number: 3, title: 'Old row' }, files: [{ filename: 'a.ts', patch: '@@ -0,0 +1 @@\n+x' }] };
    await database.db.execute(
      sql`insert into orchestrator_jobs (id, event, status, payload, correlation_id) values (${id}, 'pull_request.opened', 'queued', ${JSON.stringify(payload)}::jsonb, ${randomUUID()})`,
    );
    expect((await store.get(id))!.input).toMatchObject({ repo: 'acme/old', pr: { number: 3, title: 'Old row' }, files: [{ filename: 'a.ts' }] });
  });

  it('claims jobs oldest first, once each, under an owner and a lease', async () => {
    const [a, b] = [await store.create(job()), await store.create(job())];
    const claims = await Promise.all([store.claim('one', 60_000), store.claim('two', 60_000), store.claim('three', 60_000)]);
    expect(claims.filter(Boolean).map((j) => j!.id).sort()).toEqual([a.id, b.id].sort());
    const claimed = claims.find((j) => j?.id === a.id)!;
    expect(claimed).toMatchObject({ status: 'running', attempts: 1 });
    expect(claimed.leaseUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await store.finish(a.id, 'someone-else', outcome)).toBe(false);
    expect(await store.finish(a.id, claimed.owner!, outcome)).toBe(true);
    expect((await store.get(a.id))!.status).toBe('completed');
  });

  it('takes over a job whose lease expired, and re-queues an owner\'s jobs after its restart', async () => {
    const a = await store.create(job());
    await store.claim('dead', 1);
    await new Promise((r) => setTimeout(r, 20));
    expect((await store.claim('alive', 60_000))!).toMatchObject({ id: a.id, owner: 'alive', attempts: 2 });
    expect(await store.requeueOwned('alive')).toBe(1);
    expect((await store.get(a.id))!).toMatchObject({ status: 'queued', owner: null });
  });

  it('accepts a delivery once, coalesces queued synchronize jobs of one PR, re-queues a failed one', async () => {
    const first = job();
    expect(await store.acceptDelivery(first, 'd-1', true)).toEqual({ jobId: first.id, outcome: 'queued' });
    expect(await store.acceptDelivery(job(), 'd-1', true)).toEqual({ jobId: first.id, outcome: 'duplicate' });
    const other = job({ pr: 8 });
    expect((await store.acceptDelivery(other, 'd-2', true)).outcome).toBe('queued');
    const newer = job();
    expect(await store.acceptDelivery(newer, 'd-3', true)).toEqual({ jobId: newer.id, outcome: 'coalesced' });
    expect((await store.get(first.id))!.status).toBe('superseded');
    expect((await store.get(other.id))!.status).toBe('queued');

    const claimed = (await store.claim('me', 60_000))!;
    await store.finish(claimed.id, 'me', { ...outcome, status: 'failed', error: 'boom' });
    const delivery = claimed.id === other.id ? 'd-2' : 'd-3';
    expect(await store.acceptDelivery(job(), delivery, true)).toEqual({ jobId: claimed.id, outcome: 'rerun' });
    expect((await store.get(claimed.id))!).toMatchObject({ status: 'queued', error: null });
  });

  it('gives one job to concurrent copies of one delivery', async () => {
    const copies = await Promise.all(Array.from({ length: 5 }, () => store.acceptDelivery(job(), 'same', false)));
    expect(new Set(copies.map((c) => c.jobId)).size).toBe(1);
    expect(copies.filter((c) => c.outcome === 'queued')).toHaveLength(1);
    expect((await store.list({}, 10)).jobs).toHaveLength(1);
  });
});
