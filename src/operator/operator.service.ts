import { Injectable } from '@nestjs/common';
import { CorrelationContext } from '../common/correlation/correlation-context';
import { CacheRegistry } from '../infra/cache/cache-registry';
import { HealthRegistry, type Check } from '../infra/health/health-registry';
import { EventLoopMonitor } from '../infra/metrics/event-loop-monitor';
import { HttpMetrics } from '../infra/metrics/http-metrics';
import { BreakerRegistry } from '../infra/resilience/breaker-registry';
import { BulkheadRegistry } from '../infra/resilience/bulkhead';
import { JobStore } from '../orchestrator/jobs/job-store';

export interface DetailedHealth {
  status: 'healthy' | 'degraded' | 'unhealthy';
  timestamp: string;
  correlationId: string;
  checks: Record<string, Check>;
}

/** The operator's view: a JSON summary of the metrics, and the detailed health check (a view of the registered indicators). */
@Injectable()
export class OperatorService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly http: HttpMetrics,
    private readonly loop: EventLoopMonitor,
    private readonly caches: CacheRegistry,
    private readonly breakers: BreakerRegistry,
    private readonly bulkheads: BulkheadRegistry,
    private readonly jobs: JobStore,
    private readonly health: HealthRegistry,
    private readonly correlation: CorrelationContext,
  ) {}

  async metrics() {
    const memory = process.memoryUsage();
    const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
    return {
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      requests: this.http.window.snapshot(),
      caches: this.caches.all().map((cache) => {
        const s = cache.stats();
        const reads = s.hits + s.misses;
        return { name: s.name, hitRate: reads ? Math.round((s.hits / reads) * 1000) / 1000 : null, hits: s.hits, misses: s.misses, errors: s.errors, valid: s.valid };
      }),
      breakers: this.breakers.all().map((b) => {
        const s = b.snapshot();
        return { name: s.name, state: s.state, failures: s.stats.failures, rejects: s.stats.rejects, nextAttemptAt: s.nextAttemptAt };
      }),
      bulkheads: this.bulkheads.all().map((b) => ({ name: b.name, inFlight: b.inFlight, queued: b.queued, maxConcurrent: b.options.maxConcurrent })),
      jobs: await this.jobs.countByStatus().catch(() => null),
      memory: { rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed), heapTotalMb: mb(memory.heapTotal) },
      eventLoop: this.loop.snapshot(),
    };
  }

  async detailedHealth(): Promise<DetailedHealth> {
    const checks = await this.health.checks();
    const statuses = Object.values(checks).map((c) => c.status);
    return {
      status: statuses.includes('fail') ? 'unhealthy' : statuses.includes('warn') ? 'degraded' : 'healthy',
      timestamp: new Date().toISOString(),
      correlationId: this.correlation.current() ?? '',
      checks,
    };
  }
}
