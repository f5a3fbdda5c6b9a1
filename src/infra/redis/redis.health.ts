import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessCheck, type IndicatorSession, type ReadinessIndicator } from '../health/readiness';
import { RedisConnection } from './redis-connection';

/**
 * Redis (with REDIS_URL): unreachable only warns — the instance keeps serving, counting and caching in process —
 * but detailed health and the dashboard say so.
 */
@ReadinessCheck({ key: 'redis', gatesReadiness: false })
@Injectable()
export class RedisHealthIndicator implements ReadinessIndicator {
  constructor(private readonly redis: RedisConnection) {}

  check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    if (!this.redis.client) return Promise.resolve(indicator.up({ message: 'not configured: counters and cache are per instance' }));
    if (this.redis.ready) return Promise.resolve(indicator.up({ message: 'connected: counters, cache and invalidations shared' }));
    return Promise.resolve(indicator.down({ message: 'unreachable: rate limit counted per instance, usage not counted, cache per instance until it returns' }));
  }
}
