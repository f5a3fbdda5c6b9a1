import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessCheck, type ReadinessIndicator } from '../health/readiness';
import { CacheRegistry } from './cache-registry';

/**
 * Caches in readiness. A cache serving a stale value after a failed reload is still
 * serving: up, with degraded: true. Only a cache that has never loaded and whose last
 * load failed is down.
 */
@ReadinessCheck()
@Injectable()
export class CacheHealthIndicator implements ReadinessIndicator {
  constructor(
    private readonly caches: CacheRegistry,
    private readonly health: HealthIndicatorService,
  ) {}

  check(): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('caches');
    const stats = this.caches.all().map((cache) => cache.stats());
    const details = Object.fromEntries(
      stats.map((s) => [s.name, { valid: s.valid, age: s.age, ttl: s.ttl, errors: s.errors, lastError: s.lastError }]),
    );
    const broken = stats.filter((s) => s.age === null && s.lastError !== null);
    const degraded = stats.some((s) => s.lastError !== null);
    return Promise.resolve(
      broken.length > 0 ? indicator.down({ ...details, degraded: true }) : indicator.up({ ...details, degraded }),
    );
  }
}
