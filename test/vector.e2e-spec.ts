import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Database } from '../src/infra/storage/database';
import { ReviewStore } from '../src/vector/ports/review-store';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

describe('review memory', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ env: { BODY_LIMIT: '64kb', DATA_WATCH: 'false' } });
  });
  afterEach(() => t?.dispose());

  const remember = (code: string, review: string, metadata?: object) =>
    t.http.post('/api/vector/reviews').send({ code, review, metadata }).expect(201);

  it('stores, fetches and finds similar reviews, best first, ties newest first', async () => {
    const sql = (await remember('const rows = db.query("SELECT * FROM users WHERE id = " + id)', 'SQL by concatenation', { pr: 1 })).body;
    await remember('function add(a, b) { return a + b }', 'fine');
    const newer = (await remember('const rows = db.query("SELECT * FROM users WHERE id = " + id)', 'same code, newer')).body;
    expect((await t.http.get(`/api/vector/reviews/${sql.id}`).expect(200)).body).toMatchObject({
      code: expect.stringContaining('SELECT'),
      review: 'SQL by concatenation',
      metadata: { pr: 1 },
    });
    const res = await t.http
      .post('/api/vector/reviews/search')
      .send({ code: 'const rows = db.query("SELECT * FROM orders WHERE id = " + id)', topK: 5 })
      .expect(200);
    expect(res.body.results.map((r: { id: string }) => r.id)).toEqual([newer.id, sql.id]);
    expect(res.body.results[0].score).toBeCloseTo(res.body.results[1].score);
    expect(res.body.results[0].score).toBeGreaterThan(0.5);
    expect(res.body.results[0]).toMatchObject({ review: 'same code, newer', metadata: {} });
  });

  it('finds within 2 s a review another instance stored, and one whose insert committed after a later one', async () => {
    // Another instance's writes reach this one only through the shared store.
    const store = t.app.get(ReviewStore);
    const search = async (code: string) => (await t.http.post('/api/vector/reviews/search').send({ code }).expect(200)).body.results.map((r: { review: string }) => r.review);
    const stored = Date.now();
    await store.saveReview({ id: randomUUID(), code: 'await stripe.refunds.create({ charge: chargeId, amount })', review: 'from another instance', metadata: {}, createdAt: new Date() });
    await waitFor(() => search('stripe.refunds.create({ charge: chargeId })'), (reviews) => reviews.includes('from another instance'), 2_000);
    expect(Date.now() - stored).toBeLessThan(2_000);

    // Two instances insert at once and the first insert commits last: its sequence number is a gap for a moment.
    const { db } = t.app.get(Database);
    const next = (await db.execute(sql`select nextval(pg_get_serial_sequence('vector_reviews', 'seq'))::int as seq`)) as unknown as { rows: { seq: number }[] };
    const { seq } = next.rows[0];
    const insert = (at: number, code: string, review: string) =>
      db.execute(sql`insert into vector_reviews (seq, id, code, review) values (${at}, ${randomUUID()}, ${code}, ${review})`);
    await insert(seq + 1, 'kafka.producer.send({ topic: "orders", messages })', 'committed first');
    await waitFor(() => search('kafka.producer.send({ topic })'), (reviews) => reviews.includes('committed first'), 2_000);
    await insert(seq, 'redis.multi().incr(key).pexpire(key, ttl).exec()', 'committed second');
    await waitFor(() => search('redis.multi().incr(key).pexpire(key, ttl)'), (reviews) => reviews.includes('committed second'), 2_000);
  });

  it('finds Arabic text', async () => {
    await remember('// مراجعة الكود: دالة الدفع', 'payment function review');
    const res = await t.http.post('/api/vector/reviews/search').send({ code: 'مراجعة دالة' }).expect(200);
    expect(res.body.results).toHaveLength(1);
  });

  it.each([
    [{ code: '', review: 'x' }, 'code'],
    [{ code: '   ', review: 'x' }, 'code'],
    [{ code: 42, review: 'x' }, 'code'],
    [{ review: 'x' }, 'code'],
    [{ code: 'x', review: '' }, 'review'],
    [{ code: 'x', review: 'y', metadata: 'no' }, 'metadata'],
    [{ code: 'x', review: 'y', extra: 1 }, 'extra'],
  ])('refuses a bad review %j naming %s', async (body, field) => {
    const res = await t.http.post('/api/vector/reviews').send(body).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it.each([[0], [51], [2.5], ['5']])('refuses topK %j', async (topK) => {
    const res = await t.http.post('/api/vector/reviews/search').send({ code: 'x', topK }).expect(400);
    expect(res.body.error.details[0].field).toBe('topK');
  });

  it('refuses an empty search and an oversized body', async () => {
    expect((await t.http.post('/api/vector/reviews/search').send({ code: '' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    const res = await t.http.post('/api/vector/reviews').send({ code: 'x'.repeat(70_000), review: 'y' }).expect(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses text storage cannot hold (U+0000) with 400, not a 500', async () => {
    const res = await t.http.post('/api/vector/reviews').send({ code: 'const a = 1;\u0000', review: 'fine' }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('U+0000') });
    expect(res.headers['x-correlation-id']).toBe(res.body.correlationId);
  });

  it('answers 400 for a malformed review id and 404 for an unknown one', async () => {
    expect((await t.http.get('/api/vector/reviews/not-a-uuid').expect(400)).body.error.code).toBe('INVALID_ID');
    expect((await t.http.get('/api/vector/reviews/6f1f0a4e-2b4d-4c1e-9a1e-0d6b2f1c3a4b').expect(404)).body.error.code).toBe('REVIEW_NOT_FOUND');
  });

  it('computes rejection patterns, optionally since a date', async () => {
    const decide = (action: string, reason?: string) =>
      t.http.post('/api/vector/decisions').send({ decision: { action, reason, reasons: [reason ?? 'none'] }, context: { pr: 1 } }).expect(201);
    await decide('block_pr', 'Secret committed');
    await decide('block_pr', 'Secret committed');
    await decide('request_changes', 'Missing tests');
    await decide('approve', 'All checks passed');
    const res = await t.http.get('/api/vector/rejection-patterns').expect(200);
    expect(res.body).toEqual({
      total: 4,
      rejections: 3,
      rejectionRate: '75.00%',
      commonReasons: { 'Secret committed': 2, 'Missing tests': 1 },
      since: null,
    });
    const future = await t.http.get(`/api/vector/rejection-patterns?since=${new Date(Date.now() + 60_000).toISOString()}`).expect(200);
    expect(future.body).toMatchObject({ total: 0, rejections: 0, rejectionRate: '0.00%', commonReasons: {} });
    expect((await t.http.get('/api/vector/rejection-patterns?since=yesterday').expect(400)).body.error.details[0].field).toBe('since');
    const bad = await t.http.post('/api/vector/decisions').send({ decision: { action: 'merge' } }).expect(400);
    expect(bad.body.error.details[0].field).toBe('decision.action');
  });

  it('keeps concurrent writes and searches consistent', async () => {
    const writes = Array.from({ length: 40 }, (_, i) => remember(`token_${i} shared_token`, `review ${i}`));
    const searches = Array.from({ length: 20 }, () => t.http.post('/api/vector/reviews/search').send({ code: 'shared_token', topK: 50 }));
    const [written, found] = await Promise.all([Promise.all(writes), Promise.all(searches)]);
    for (const res of found) {
      expect(res.status).toBe(200);
      for (const r of res.body.results) expect(r.review).toMatch(/^review \d+$/);
    }
    const all = await t.http.post('/api/vector/reviews/search').send({ code: 'shared_token', topK: 50 }).expect(200);
    expect(all.body.results.map((r: { id: string }) => r.id).sort()).toEqual(written.map((w) => w.body.id).sort());
  });

  it('survives a restart: same search results and rejection patterns', async () => {
    for (let i = 0; i < 12; i += 1) await remember(`alpha beta gamma_${i % 4} delta_${i}`, `r${i}`);
    await t.http.post('/api/vector/decisions').send({ decision: { action: 'request_changes', reason: 'Style' } }).expect(201);
    const query = { code: 'alpha gamma_1 delta_5', topK: 5 };
    const before = (await t.http.post('/api/vector/reviews/search').send(query).expect(200)).body;
    const patternsBefore = (await t.http.get('/api/vector/rejection-patterns').expect(200)).body;
    await t.close();
    t = await startTestApp({ backend: t.backend, env: { DATA_WATCH: 'false' } });
    expect((await t.http.get('/health/ready').expect(200)).body.info.reviewIndex).toMatchObject({ state: 'ready', indexed: 12 });
    expect((await t.http.post('/api/vector/reviews/search').send(query).expect(200)).body).toEqual(before);
    expect((await t.http.get('/api/vector/rejection-patterns').expect(200)).body).toEqual(patternsBefore);
  });
});

describe('review index capacity', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { VECTOR_MAX_INDEXED: '3', DATA_WATCH: 'false' } });
  });
  afterAll(() => t?.dispose());

  it('keeps the newest reviews in the index and every review in storage', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await t.http.post('/api/vector/reviews').send({ code: `common r${i}`, review: `${i}` }).expect(201)).body.id);
    const found = (await t.http.post('/api/vector/reviews/search').send({ code: 'common', topK: 10 }).expect(200)).body.results;
    expect(found.map((r: { id: string }) => r.id)).toEqual([ids[4], ids[3], ids[2]]);
    await t.http.get(`/api/vector/reviews/${ids[0]}`).expect(200);
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    expect(metrics).toContain('bsm_vector_index_reviews 3');
    expect(metrics).toMatch(/bsm_vector_query_seconds_count 1\b/);
  });
});
