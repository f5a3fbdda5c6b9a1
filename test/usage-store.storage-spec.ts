import { createHash, randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from '@redis/client';
import { RedisUsageStore } from '../src/gpt/usage/redis-usage-store';
import { MemoryUsageStore, type UsageStore } from '../src/gpt/usage/usage-store';
import { startLlmTestApp, type LlmTestApp } from './support/llm-app';
import { clearOfMinuteBoundary, waitFor } from './support/wait-for';
import { RedisConnection } from '../src/infra/redis/redis-connection';
import { ADMIN_TOKEN } from './support/test-app';
import { REDIS_URL, USING_SERVICES } from './support/test-backend';

/** Two instances' stores: one shared Redis under test:services, one process's memory otherwise. */
function stores(): { a: UsageStore; b: UsageStore; open: () => Promise<void>; close: () => Promise<void> } {
  if (!USING_SERVICES) {
    const shared = new MemoryUsageStore();
    return { a: shared, b: shared, open: async () => undefined, close: async () => undefined };
  }
  const prefix = `bsm-test-${randomBytes(4).toString('hex')}:usage`;
  const clients = [createClient({ url: REDIS_URL }), createClient({ url: REDIS_URL })];
  const [a, b] = clients.map((client) => new RedisUsageStore(client as RedisClientType, prefix));
  return {
    a,
    b,
    open: () => Promise.all(clients.map((client) => client.connect())).then(() => undefined),
    close: () => Promise.all(clients.map((client) => client.close())).then(() => undefined),
  };
}

describe(`usage store on ${USING_SERVICES ? 'Redis, shared by two instances' : 'memory'}`, () => {
  let a: UsageStore;
  let b: UsageStore;
  let close: () => Promise<void>;
  beforeEach(async () => {
    let open: () => Promise<void>;
    ({ a, b, open, close } = stores());
    await open();
  });
  afterEach(() => close());

  it('counts requests per key and window across instances, concurrent ones included', async () => {
    const counts = await Promise.all([...Array(10)].map((_, i) => (i % 2 ? a : b).countRequest('k1', 60_000, 60_000)));
    expect(counts.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await a.countRequest('k1', 120_000, 60_000)).toBe(1);
    expect(await b.countRequest('k2', 60_000, 60_000)).toBe(1);
  });

  it('adds tokens per day and in total, and lists every key', async () => {
    await a.addTokens('k1', '2026-11-29', 30, 12);
    await b.addTokens('k1', '2026-11-29', 10, 5);
    await b.addTokens('k1', '2026-11-30', 1, 1);
    await a.countRequest('k1', 0, 60_000);
    expect(await b.tokensOn('k1', '2026-11-29')).toBe(57);
    expect(await a.tokensOn('k1', '2026-11-30')).toBe(2);
    expect(await a.tokensOn('k2', '2026-11-29')).toBe(0);
    expect(await b.all()).toEqual([{ keyId: 'k1', requests: 1, promptTokens: 41, completionTokens: 18 }]);
  });
});

(USING_SERVICES ? describe : describe.skip)('API_KEY_LIMITS across two instances sharing Redis', () => {
  const KEY = 'shared-key-0123456789abcdef';
  const keyId = createHash('sha256').update(KEY).digest('hex').slice(0, 12);
  let a: LlmTestApp;
  let b: LlmTestApp;

  beforeAll(async () => {
    const env = { API_KEYS: KEY, API_KEY_LIMITS: `${keyId}:3:0`, REDIS_URL, CACHE_NAMESPACE: `bsm-test-${randomBytes(4).toString('hex')}` };
    [a, b] = await Promise.all([startLlmTestApp({ env }), startLlmTestApp({ env })]);
  });
  afterAll(() => Promise.all([a?.dispose(), b?.dispose()]));

  it('counts one window for the key whichever instance serves it, and both report the same totals', async () => {
    await waitFor(async () => a.app.get(RedisConnection).ready && b.app.get(RedisConnection).ready, Boolean);
    await clearOfMinuteBoundary();
    const ask = (t: LlmTestApp) => t.http.post('/api/chat/direct').set('x-api-key', KEY).send({ message: 'hello' });
    expect((await ask(a)).status).toBe(200);
    expect((await ask(b)).status).toBe(200);
    expect((await ask(a)).status).toBe(200);
    const refused = await ask(b);
    expect(refused.status).toBe(429);
    expect(refused.body.error.details).toMatchObject({ keyId, limit: 'requestsPerMinute' });
    const usage = async (t: LlmTestApp) =>
      (await t.http.get('/api/admin/usage').set('x-api-key', KEY).set('x-admin-token', ADMIN_TOKEN).expect(200)).body.keys.find((k: { keyId: string }) => k.keyId === keyId);
    const [fromA, fromB] = await Promise.all([usage(a), usage(b)]);
    expect(fromA).toEqual(fromB);
    expect(fromA.requests).toBeGreaterThanOrEqual(4);
  });
});
