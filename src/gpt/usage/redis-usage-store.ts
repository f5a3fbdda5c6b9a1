import type { RedisClientType } from '@redis/client';
import { UsageStore, type KeyUsage } from './usage-store';

const DAY_TTL_SECONDS = 2 * 24 * 3600;

/**
 * Usage in Redis: a hash of totals per key (a set lists the keys), and expiring counters for the request
 * window and the day's tokens, each updated in one MULTI so two instances never lose a count.
 */
export class RedisUsageStore extends UsageStore {
  constructor(
    private readonly client: RedisClientType,
    /** Key prefix: `<CACHE_NAMESPACE>:usage`. */
    private readonly prefix: string,
  ) {
    super();
  }

  async countRequest(keyId: string, windowStart: number, windowMs: number): Promise<number> {
    const window = `${this.prefix}:${keyId}:window:${windowStart}`;
    const replies = await this.client
      .multi()
      .sAdd(`${this.prefix}:keys`, keyId)
      .hIncrBy(`${this.prefix}:${keyId}`, 'requests', 1)
      .incr(window)
      .pExpire(window, windowMs)
      .exec();
    return Number(replies[2]);
  }

  async addTokens(keyId: string, day: string, promptTokens: number, completionTokens: number): Promise<void> {
    const daily = `${this.prefix}:${keyId}:day:${day}`;
    await this.client
      .multi()
      .sAdd(`${this.prefix}:keys`, keyId)
      .hIncrBy(`${this.prefix}:${keyId}`, 'promptTokens', promptTokens)
      .hIncrBy(`${this.prefix}:${keyId}`, 'completionTokens', completionTokens)
      .incrBy(daily, promptTokens + completionTokens)
      .expire(daily, DAY_TTL_SECONDS)
      .exec();
  }

  async tokensOn(keyId: string, day: string): Promise<number> {
    return Number((await this.client.get(`${this.prefix}:${keyId}:day:${day}`)) ?? 0);
  }

  async all(): Promise<KeyUsage[]> {
    const keyIds = (await this.client.sMembers(`${this.prefix}:keys`)).sort();
    const hashes = await Promise.all(keyIds.map((keyId) => this.client.hGetAll(`${this.prefix}:${keyId}`)));
    return keyIds.map((keyId, i) => ({
      keyId,
      requests: Number(hashes[i].requests ?? 0),
      promptTokens: Number(hashes[i].promptTokens ?? 0),
      completionTokens: Number(hashes[i].completionTokens ?? 0),
    }));
  }
}
