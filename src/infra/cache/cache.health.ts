import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessCheck, type IndicatorSession, type ReadinessIndicator } from '../health/readiness';
import { CacheRegistry } from './cache-registry';

/**
 * Caches in readiness. A cache serving a stale value after a failed reload is still
 * serving: up, with degraded: true. Only a cache that has never loaded and whose last
 * load failed is down.
 */
@ReadinessCheck({ key: 'caches' })
@Injectable()
export class CacheHealthIndicator implements ReadinessIndicator {
  constructor(private readonly caches: CacheRegistry) {}

  check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    const stats = this.caches.all().map((cache) => cache.stats());
    const details = Object.fromEntries(
      stats.map((s) => [s.name, { valid: s.valid, age: s.age, ttl: s.ttl, errors: s.errors, lastError: s.lastError }]),
    );
    const broken = stats.filter((s) => s.age === null && s.lastError !== null).map((s) => s.name);
    const stale = stats.filter((s) => s.lastError !== null).map((s) => s.name);
    if (broken.length > 0) return Promise.resolve(indicator.down({ ...details, degraded: true, message: `never loaded: ${broken.join(', ')}` }));
    const message = stale.length ? `serving the last good value after a failed reload: ${stale.join(', ')}` : `${stats.length} caches valid`;
    return Promise.resolve(indicator.up({ ...details, degraded: stale.length > 0, message }));
  }
}
