import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

describe('FixedWindowThrottlerStorage', () => {
  let storage: FixedWindowThrottlerStorage;
  let now: number;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    storage = new FixedWindowThrottlerStorage();
  });
  afterEach(() => {
    storage.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  it('counts hits per client and blocks past the limit until the block expires', async () => {
    for (let i = 1; i <= 3; i += 1) {
      expect(await storage.increment('a', 10_000, 3, 10_000, 'default')).toMatchObject({ totalHits: i, isBlocked: false });
    }
    expect(await storage.increment('b', 10_000, 3, 10_000, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
    now += 2_500;
    expect(await storage.increment('a', 10_000, 3, 10_000, 'default')).toMatchObject({ isBlocked: true, timeToBlockExpire: 10 });
    now += 4_000;
    const still = await storage.increment('a', 10_000, 3, 10_000, 'default');
    expect(still).toMatchObject({ isBlocked: true, timeToBlockExpire: 6, totalHits: 4 });
    now += 6_000;
    expect(await storage.increment('a', 10_000, 3, 10_000, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a new window after the ttl', async () => {
    await storage.increment('a', 1_000, 2, 1_000, 'default');
    await storage.increment('a', 1_000, 2, 1_000, 'default');
    now += 1_000;
    expect(await storage.increment('a', 1_000, 2, 1_000, 'default')).toMatchObject({ totalHits: 1, timeToExpire: 1 });
  });

  it('keeps throttlers apart', async () => {
    await storage.increment('a', 1_000, 1, 1_000, 'short');
    expect(await storage.increment('a', 1_000, 1, 1_000, 'long')).toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
