import { randomBytes } from 'node:crypto';
import { RedisUsageStore } from '../src/gpt/usage/redis-usage-store';
import { MemoryUsageStore, type UsageStore } from '../src/gpt/usage/usage-store';
import { REDIS_URL, USING_SERVICES } from './support/test-backend';

/** Two instances' stores: one shared Redis under test:services, one process's memory otherwise. */
function stores(): { a: UsageStore; b: UsageStore; close: () => Promise<void> } {
  if (!USING_SERVICES) {
    const shared = new MemoryUsageStore();
    return { a: shared, b: shared, close: async () => undefined };
  }
  const prefix = `bsm-test-usage-${randomBytes(4).toString('hex')}`;
  const fail = (error: Error) => {
    throw error;
  };
  const a = RedisUsageStore.connect(REDIS_URL, fail, prefix);
  const b = RedisUsageStore.connect(REDIS_URL, fail, prefix);
  return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

describe(`usage store on ${USING_SERVICES ? 'Redis, shared by two instances' : 'memory'}`, () => {
  let a: UsageStore;
  let b: UsageStore;
  let close: () => Promise<void>;
  beforeEach(() => ({ a, b, close } = stores()));
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
