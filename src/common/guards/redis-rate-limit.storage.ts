import type { RedisConnection } from '../../infra/redis/redis-connection';
import { RateLimitStorage, type RateLimitRecord } from './rate-limit.storage';

/**
 * The rate limit counted in Redis, one fixed window per client shared by every instance: INCR and PEXPIRE of
 * `<CACHE_NAMESPACE>:ratelimit:<name>:<client>:<window start>` in one MULTI. While Redis cannot answer (or does
 * not within REDIS_TIMEOUT_MS), `fallback` (this instance's own windows) counts instead, so the limit holds per
 * instance.
 */
export class RedisRateLimitStorage extends RateLimitStorage {
  constructor(
    private readonly redis: RedisConnection,
    private readonly fallback: RateLimitStorage,
  ) {
    super();
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<RateLimitRecord> {
    const client = this.redis.client;
    if (!client || !this.redis.ready) return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    const now = Date.now();
    const windowStart = now - (now % ttl);
    const id = `${this.redis.namespace}:ratelimit:${throttlerName}:${key}:${windowStart}`;
    let hits: number;
    try {
      const replies = await this.redis.bounded(client.multi().incr(id).pExpire(id, ttl).exec());
      hits = Number(replies[0]);
    } catch (error) {
      this.redis.report(error as Error);
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
    const secondsLeft = Math.max(1, Math.ceil((windowStart + ttl - now) / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }
}
