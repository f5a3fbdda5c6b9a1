import KeyvRedis from '@keyv/redis';
import { createCache, type Cache } from 'cache-manager';
import { Keyv } from 'keyv';
import { randomBytes } from 'node:crypto';
import { CachedResource } from '../src/infra/cache/cached-resource';
import { REDIS_URL, USING_SERVICES } from './support/test-backend';
import { waitFor } from './support/wait-for';

/** The cache-manager stack the app builds: memory, plus Redis under test:services. */
function createStore(): { store: Cache; close: () => Promise<void> } {
  const namespace = `bsm-test-${randomBytes(4).toString('hex')}`;
  const stores = [new Keyv({ namespace })];
  if (USING_SERVICES) stores.push(new Keyv({ store: new KeyvRedis(REDIS_URL), namespace }));
  const store = createCache({ stores });
  return { store, close: async () => { await store.clear(); await store.disconnect(); } };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`CachedResource on ${USING_SERVICES ? 'memory + Redis' : 'memory'}`, () => {
  let store: Cache;
  let close: () => Promise<void>;
  beforeEach(() => ({ store, close } = createStore()));
  afterEach(() => close());

  function resource<T>(load: () => Promise<T>, options: { ttlMs?: number; singleFlight?: boolean; errorBackoffMs?: number } = {}) {
    return new CachedResource<T>({
      name: 'agents',
      ttlMs: options.ttlMs ?? 60_000,
      load,
      store,
      singleFlight: options.singleFlight ?? true,
      errorBackoffMs: options.errorBackoffMs ?? 0,
    });
  }

  it('runs the loader once for 1,000 concurrent reads of a cold cache, and all get that value', async () => {
    let calls = 0;
    const gate = deferred<void>();
    const cache = resource(async () => {
      calls += 1;
      await gate.promise;
      return { version: calls, agents: ['a', 'b'] };
    });
    const reads = Array.from({ length: 1000 }, () => cache.get());
    gate.resolve();
    const values = await Promise.all(reads);
    expect(calls).toBe(1);
    expect(new Set(values.map((v) => JSON.stringify(v))).size).toBe(1);
    expect(values[0]).toEqual({ version: 1, agents: ['a', 'b'] });
    expect(cache.stats()).toMatchObject({ misses: 1000, reloads: 1, stampedePrevented: 999, errors: 0, valid: true });
  });

  it('serves an expired value at once to 1,000 concurrent reads while exactly one reload runs', async () => {
    let calls = 0;
    const gate = deferred<void>();
    const cache = resource(
      async () => {
        calls += 1;
        if (calls > 1) await gate.promise;
        return { version: calls };
      },
      // Long enough that the reloaded value (written to Redis too) is still fresh when the test reads it.
      { ttlMs: 400 },
    );
    expect(await cache.get()).toEqual({ version: 1 });
    await sleep(450);
    const values = await Promise.all(Array.from({ length: 1000 }, () => cache.get()));
    expect(values.every((v) => v.version === 1)).toBe(true);
    expect(calls).toBe(2);
    expect(cache.stats()).toMatchObject({ staleServed: 1000, loading: true, valid: false });
    gate.resolve();
    // The reload also writes the shared layer (Redis under test:services): wait for it to finish, not a fixed time.
    await waitFor(async () => cache.stats(), (stats) => !stats.loading, 5_000);
    expect(await cache.get()).toEqual({ version: 2 });
    expect(calls).toBe(2);
    expect(cache.stats()).toMatchObject({ reloads: 2, loading: false, valid: true });
  });

  it('keeps the last good value when a reload fails, counts the error and retries on a later read', async () => {
    let fail = false;
    let calls = 0;
    const cache = resource(
      async () => {
        calls += 1;
        if (fail) throw new Error('agents/x.yaml: id: bad');
        return { version: calls };
      },
      { ttlMs: 30, errorBackoffMs: 50 },
    );
    await cache.get();
    fail = true;
    await sleep(40);
    expect(await cache.get()).toEqual({ version: 1 });
    await waitFor(async () => cache.stats(), (stats) => !stats.loading);
    expect(cache.stats()).toMatchObject({ errors: 1, lastError: 'agents/x.yaml: id: bad' });
    expect(await cache.get()).toEqual({ version: 1 });
    expect(calls).toBe(2);
    fail = false;
    await sleep(60);
    expect(await cache.get()).toEqual({ version: 1 });
    await waitFor(async () => cache.stats(), (stats) => !stats.loading);
    expect(await cache.get()).toEqual({ version: 3 });
    expect(cache.stats()).toMatchObject({ errors: 1, lastError: null, valid: true });
  });

  it('a failed refresh keeps the value and marks it stale until a reload succeeds', async () => {
    let fail = false;
    let calls = 0;
    const cache = resource(async () => {
      calls += 1;
      if (fail) throw new Error('broken');
      return calls;
    });
    await cache.get();
    fail = true;
    expect(await cache.refresh()).toEqual({ reloaded: false, error: 'broken' });
    expect(await cache.get()).toBe(1);
    expect(cache.stats().valid).toBe(false);
    fail = false;
    expect(await cache.refresh()).toEqual({ reloaded: true });
    expect(await cache.get()).toBe(4);
  });

  it('propagates the error when there is no last good value', async () => {
    const cache = resource(async () => {
      throw new Error('index.json: file not found');
    });
    await expect(cache.get()).rejects.toThrow('index.json: file not found');
    expect(cache.stats()).toMatchObject({ errors: 1, valid: false, age: null });
  });

  it('with single-flight off (the rollback switch) every concurrent miss loads', async () => {
    let calls = 0;
    const cache = resource(
      async () => {
        calls += 1;
        await sleep(5);
        return calls;
      },
      { singleFlight: false },
    );
    await Promise.all(Array.from({ length: 20 }, () => cache.get()));
    expect(calls).toBe(20);
    expect(cache.stats().stampedePrevented).toBe(0);
  });
});
