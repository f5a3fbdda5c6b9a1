import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { CacheRegistry } from './cache-registry';

const EVENTS = ['hits', 'misses', 'reloads', 'stampedePrevented', 'staleServed', 'errors'] as const;

/** Mirrors every cache's stats into /metrics at scrape time. */
@Injectable()
export class CacheMetrics {
  constructor(caches: CacheRegistry, registry: MetricsRegistry) {
    new Counter({
      name: 'bsm_cache_events_total',
      help: 'Cache events by cache and kind (hits, misses, reloads, stampedePrevented, staleServed, errors)',
      labelNames: ['cache', 'event'],
      registers: [registry],
      collect() {
        this.reset();
        for (const cache of caches.all()) {
          const stats = cache.stats();
          for (const event of EVENTS) this.inc({ cache: stats.name, event }, stats[event]);
        }
      },
    });
    new Gauge({
      name: 'bsm_cache_age_seconds',
      help: 'Age of the cached value (absent when nothing is cached)',
      labelNames: ['cache'],
      registers: [registry],
      collect() {
        this.reset();
        for (const stats of caches.all().map((c) => c.stats())) {
          if (stats.age !== null) this.set({ cache: stats.name }, stats.age / 1000);
        }
      },
    });
    new Gauge({
      name: 'bsm_cache_last_load_seconds',
      help: 'Duration of the last successful load',
      labelNames: ['cache'],
      registers: [registry],
      collect() {
        this.reset();
        for (const stats of caches.all().map((c) => c.stats())) {
          if (stats.lastLoadMs !== null) this.set({ cache: stats.name }, stats.lastLoadMs / 1000);
        }
      },
    });
  }
}
