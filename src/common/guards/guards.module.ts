import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AdminGuard } from './admin.guard';
import { AdminTokenVerifier } from './admin-token.verifier';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';
import { PolicyGuard } from './policy.guard';
import { RateLimitStorage } from './rate-limit.storage';
import { RedisRateLimitStorage } from './redis-rate-limit.storage';
import { RedisConnection } from '../../infra/redis/redis-connection';
import { RedisModule } from '../../infra/redis/redis.module';

/** One global guard for the client policies (rate limit, LAN_ONLY, MOBILE_MODE, API keys); admin is per route. */
@Module({
  imports: [DiscoveryModule, RedisModule],
  providers: [
    FixedWindowThrottlerStorage,
    {
      provide: RateLimitStorage,
      inject: [RedisConnection, FixedWindowThrottlerStorage],
      // With REDIS_URL the limit is one for every instance (each instance's own windows while Redis is away).
      useFactory: (redis: RedisConnection, local: FixedWindowThrottlerStorage) => (redis.client ? new RedisRateLimitStorage(redis, local) : local),
    },
    PolicyGuard,
    { provide: APP_GUARD, useExisting: PolicyGuard },
    AdminTokenVerifier,
    AdminGuard,
  ],
  exports: [PolicyGuard, RateLimitStorage, AdminTokenVerifier, AdminGuard],
})
export class GuardsModule {}
