import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The application's Prometheus registry. Each app instance owns one instead of using
 * prom-client's global registry, so several apps in one process (e2e tests, embedding
 * BSM in another Nest app) never collide on metric names. Features register their
 * families here with `registers: [registry]`.
 */
export class MetricsRegistry extends Registry {
  static create(): MetricsRegistry {
    const registry = new MetricsRegistry();
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
    return registry;
  }
}
