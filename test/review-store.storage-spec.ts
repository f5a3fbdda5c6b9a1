import { randomUUID } from 'node:crypto';
import { Database } from '../src/infra/storage/database';
import { openDatabase } from '../src/infra/storage/open-database';
import { DrizzleReviewStore } from '../src/vector/drizzle-review-store';
import { createStateBackend, type StateBackend } from './support/test-backend';

describe('DrizzleReviewStore', () => {
  let backend: StateBackend;
  let database: Database;
  const open = () =>
    openDatabase({ databaseUrl: backend.env.DATABASE_URL, databaseSchema: backend.env.DATABASE_SCHEMA ?? 'public', stateDir: backend.stateDir });
  beforeEach(async () => {
    backend = await createStateBackend();
    database = await open();
  });
  afterEach(async () => {
    await database.onApplicationShutdown();
    await backend.dispose();
  });

  it('stores reviews, finds them by id and scans them in insertion order in chunks', async () => {
    const store = new DrizzleReviewStore(database);
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const [i, id] of ids.entries()) {
      await store.saveReview({ id, code: `code ${i}`, review: `review ${i}`, metadata: { i }, createdAt: new Date(1_700_000_000_000 + i) });
    }
    expect(await store.findReview(ids[2])).toMatchObject({ code: 'code 2', metadata: { i: 2 }, createdAt: new Date(1_700_000_000_002) });
    expect(await store.findReview(randomUUID())).toBeUndefined();
    expect((await store.findReviews([ids[4], ids[0]])).map((r) => r.id).sort()).toEqual([ids[0], ids[4]].sort());
    const first = await store.scanReviews(0, 3);
    const rest = await store.scanReviews(first[first.length - 1].seq, 3);
    expect([...first, ...rest].map((r) => r.id)).toEqual(ids);
    expect(await store.countReviews()).toBe(5);
  });

  it('counts decisions and rejection reasons, optionally since a date, and keeps them across a restart', async () => {
    const store = new DrizzleReviewStore(database);
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 0, minutes));
    const save = (action: string, reason: string | undefined, createdAt: Date) =>
      store.saveDecision({ id: randomUUID(), decision: { action, reason }, context: null, createdAt });
    await save('block_pr', 'Secret committed', at(0));
    await save('request_changes', 'Missing tests', at(10));
    await save('request_changes', 'Missing tests', at(20));
    await save('request_changes', undefined, at(25));
    await save('approve', 'Clean', at(30));
    await database.onApplicationShutdown();
    database = await open();
    const reopened = new DrizzleReviewStore(database);
    expect(await reopened.decisionCounts(['block_pr', 'request_changes'])).toEqual({
      total: 5,
      rejections: 4,
      reasons: [
        { reason: 'Missing tests', count: 2 },
        { reason: '(no reason)', count: 1 },
        { reason: 'Secret committed', count: 1 },
      ],
    });
    expect(await reopened.decisionCounts(['block_pr', 'request_changes'], at(15))).toEqual({
      total: 3,
      rejections: 2,
      reasons: [
        { reason: '(no reason)', count: 1 },
        { reason: 'Missing tests', count: 1 },
      ],
    });
  });
});
