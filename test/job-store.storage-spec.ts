import { randomUUID } from 'node:crypto';
import { Database } from '../src/infra/storage/database';
import { openDatabase } from '../src/infra/storage/open-database';
import { createJobQueue, type PgBossJobQueue } from '../src/infra/queue/pg-boss-job-queue';
import { DrizzleJobStore } from '../src/orchestrator/jobs/drizzle-job-store';
import { REVIEW_DEAD_LETTERS, REVIEW_QUEUE, reviewQueueSettings } from '../src/orchestrator/jobs/review-queue';
import { sql } from 'drizzle-orm';
import { reviewInputOf } from '../src/orchestrator/github/pull-request-payload';
import type { NewJob } from '../src/orchestrator/jobs/job-store';
import { createStateBackend, type StateBackend } from './support/test-backend';

describe('DrizzleJobStore', () => {
  let backend: StateBackend;
  let database: Database;
  let store: DrizzleJobStore;
  let queue: PgBossJobQueue;
  beforeEach(async () => {
    backend = await createStateBackend();
    database = await openDatabase({ databaseUrl: backend.env.DATABASE_URL, databaseSchema: backend.env.DATABASE_SCHEMA ?? 'public', stateDir: backend.stateDir });
    queue = await (await createJobQueue(database, { onError: () => undefined })).start();
    await queue.define(REVIEW_DEAD_LETTERS);
    await queue.define(REVIEW_QUEUE, reviewQueueSettings(2, 60_000, 90));
    store = new DrizzleJobStore(database, queue);
  });
  /** The job ids waiting in the review queue. */
  const queued = async () => (await queue.parked<{ jobId: string }>(REVIEW_QUEUE, { limit: 100 })).map((entry) => entry.data.jobId).sort();
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

  it('queues a job in the transaction that stores it, under the job\'s own id', async () => {
    const [a, b] = [await store.create(job()), await store.create(job())];
    const entries = await queue.parked<{ jobId: string }>(REVIEW_QUEUE, { limit: 100 });
    expect(entries.map((entry) => [entry.id, entry.data.jobId]).sort()).toEqual([[a.id, a.id], [b.id, b.id]].sort());
  });

  it('starts a job under one worker, lets only that worker record its outcome, and never starts an ended one', async () => {
    const a = await store.create(job());
    expect(await store.start(a.id, 'one')).toMatchObject({ status: 'running', owner: 'one', attempts: 1 });
    expect(await store.finish(a.id, 'someone-else', outcome)).toBe(false);
    // The queue hands the job to another worker when the first one's heartbeat lapsed: it takes it over.
    expect(await store.start(a.id, 'two')).toMatchObject({ status: 'running', owner: 'two', attempts: 2 });
    expect(await store.finish(a.id, 'one', outcome)).toBe(false);
    expect(await store.finish(a.id, 'two', outcome)).toBe(true);
    expect(await store.start(a.id, 'three')).toBeNull();
    const cancelled = await store.create(job());
    await store.cancel(cancelled.id);
    expect(await store.start(cancelled.id, 'one')).toBeNull();
  });

  it('puts a running job back with no outcome, only for its worker', async () => {
    const a = await store.create(job());
    await store.start(a.id, 'one');
    expect(await store.release(a.id, 'two', null)).toBe(false);
    expect(await store.release(a.id, 'one', 'attempt 1 failed; retrying')).toBe(true);
    expect(await store.get(a.id)).toMatchObject({ status: 'queued', decision: null, report: null, error: 'attempt 1 failed; retrying' });
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
    expect(await queued()).toEqual([first.id, other.id, newer.id].sort());

    await store.start(other.id, 'me');
    await store.finish(other.id, 'me', { ...outcome, status: 'failed', error: 'boom' });
    expect(await store.acceptDelivery(job(), 'd-2', true)).toEqual({ jobId: other.id, outcome: 'rerun' });
    expect((await store.get(other.id))!).toMatchObject({ status: 'queued', error: null });
    expect((await queued()).filter((id) => id === other.id)).toHaveLength(2);
    expect(await store.acceptDelivery(job(), 'd-2', true)).toEqual({ jobId: other.id, outcome: 'duplicate' });
  });

  it('takes a UUID delivery id as the job id, unless a job still has it', async () => {
    const delivery = randomUUID();
    expect(await store.acceptDelivery(job({ id: delivery }), delivery, false)).toEqual({ jobId: delivery, outcome: 'queued' });
    // Retention forgot the delivery but not its job: GitHub redelivering it gets a job of its own.
    await store.purgeDeliveriesBefore(new Date(Date.now() + 1000));
    const again = await store.acceptDelivery(job({ id: delivery }), delivery, false);
    expect(again.outcome).toBe('queued');
    expect(again.jobId).not.toBe(delivery);
    expect(await queued()).toEqual([delivery, again.jobId].sort());
  });

  it('gives one job to concurrent copies of one delivery', async () => {
    const copies = await Promise.all(Array.from({ length: 5 }, () => store.acceptDelivery(job(), 'same', false)));
    expect(new Set(copies.map((c) => c.jobId)).size).toBe(1);
    expect(copies.filter((c) => c.outcome === 'queued')).toHaveLength(1);
    expect((await store.list({}, 10)).jobs).toHaveLength(1);
  });

  it('stores deliveries arriving together in one transaction, as if one after another', async () => {
    const before = job();
    await store.acceptDelivery(before, 'd-0', true);
    const [a1, a2, a3] = [job(), job(), job()];
    const opened = job({ event: 'pull_request.opened', pr: 8 });
    // Sent in one tick, so they are committed as one batch.
    const outcomes = await Promise.all([
      store.acceptDelivery(a1, 'd-1', true),
      store.acceptDelivery(opened, 'd-2', false),
      store.acceptDelivery(a2, 'd-3', true),
      store.acceptDelivery(job(), 'd-2', false),
      store.acceptDelivery(a3, 'd-4', true),
      store.acceptDelivery(job(), 'd-0', true),
    ]);
    expect(outcomes).toEqual([
      { jobId: a1.id, outcome: 'coalesced' },
      { jobId: opened.id, outcome: 'queued' },
      { jobId: a2.id, outcome: 'coalesced' },
      { jobId: opened.id, outcome: 'duplicate' },
      { jobId: a3.id, outcome: 'coalesced' },
      { jobId: before.id, outcome: 'duplicate' },
    ]);
    const status = async (id: string) => (await store.get(id))!.status;
    expect(await Promise.all([before, a1, a2, a3, opened].map((j) => status(j.id)))).toEqual(['superseded', 'superseded', 'superseded', 'queued', 'queued']);
    // A job superseded within its batch is never queued.
    expect(await queued()).toEqual([before.id, a3.id, opened.id].sort());
  });

  it('fails only the delivery whose data storage refuses, not the others of its batch', async () => {
    const [good, other] = [job({ pr: 1 }), job({ pr: 2 })];
    const results = await Promise.allSettled([
      store.acceptDelivery(good, 'd-1', false),
      store.acceptDelivery(job({ pr: 3, payload: { title: 'nul \u0000 byte' } }), 'd-2', false),
      store.acceptDelivery(other, 'd-3', false),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await queued()).toEqual([good.id, other.id].sort());
    expect((await store.list({}, 10)).jobs.map((j) => j.pr).sort()).toEqual([1, 2]);
  });
});
