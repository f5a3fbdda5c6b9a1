import type { ThrottlerStorage } from '@nestjs/throttler';

/** What a storage answers for one hit: hits in the window, seconds left, and whether the client is blocked. */
export type RateLimitRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Where the rate limit counts: any @nestjs/throttler storage (the in-process fixed window by
 * default; a shared one lets several instances hold one limit between them).
 */
export abstract class RateLimitStorage implements ThrottlerStorage {
  abstract increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ReturnType<ThrottlerStorage['increment']>;
}
