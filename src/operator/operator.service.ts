import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AgentCatalogService } from '../agents/agent-catalog.service';
import { CorrelationContext } from '../common/correlation/correlation-context';
import { ModelRouter } from '../gpt/model-router.service';
import { CacheRegistry } from '../infra/cache/cache-registry';
import type { Env } from '../infra/config/env.schema';
import { EventLoopMonitor } from '../infra/metrics/event-loop-monitor';
import { HttpMetrics } from '../infra/metrics/http-metrics';
import { BreakerRegistry } from '../infra/resilience/breaker-registry';
import { BulkheadRegistry } from '../infra/resilience/bulkhead';
import { Database } from '../infra/storage/database';
import { JobStore } from '../orchestrator/jobs/job-store';

export type CheckStatus = 'pass' | 'warn' | 'fail';
export interface Check {
  status: CheckStatus;
  message: string;
  [detail: string]: unknown;
}

export interface DetailedHealth {
  status: 'healthy' | 'degraded' | 'unhealthy';
  timestamp: string;
  correlationId: string;
  checks: Record<'filesystem' | 'agentRegistry' | 'environment' | 'requiredFiles' | 'circuitBreakers' | 'caches' | 'storage' | 'eventLoop', Check>;
}

/** Event-loop delay (p99, ms) above which the instance is degraded, and unhealthy. */
const LOOP_WARN_MS = 200;
const LOOP_FAIL_MS = 1000;

const check = (status: CheckStatus, message: string, details: Record<string, unknown> = {}): Check => ({ status, message, ...details });

/** The operator's view: a JSON summary of the metrics, and the detailed health check. */
@Injectable()
export class OperatorService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly http: HttpMetrics,
    private readonly loop: EventLoopMonitor,
    private readonly caches: CacheRegistry,
    private readonly breakers: BreakerRegistry,
    private readonly bulkheads: BulkheadRegistry,
    private readonly jobs: JobStore,
    private readonly catalog: AgentCatalogService,
    private readonly router: ModelRouter,
    private readonly database: Database,
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
    const [filesystem, agentRegistry, requiredFiles, storage] = await Promise.all([
      this.filesystem(),
      this.agentRegistry(),
      this.requiredFiles(),
      this.storage(),
    ]);
    const checks = {
      filesystem,
      agentRegistry,
      environment: this.environment(),
      requiredFiles,
      circuitBreakers: this.circuitBreakers(),
      caches: this.cacheCheck(),
      storage,
      eventLoop: this.eventLoop(),
    };
    const statuses = Object.values(checks).map((c) => c.status);
    return {
      status: statuses.includes('fail') ? 'unhealthy' : statuses.includes('warn') ? 'degraded' : 'healthy',
      timestamp: new Date().toISOString(),
      correlationId: this.correlation.current() ?? '',
      checks,
    };
  }

  private async filesystem(): Promise<Check> {
    const readable = [resolve(this.config.get('DATA_DIR', { infer: true }))];
    const writable = [resolve(this.config.get('STATE_DIR', { infer: true })), resolve(this.config.get('REPORTS_DIR', { infer: true }))];
    const problems: string[] = [];
    for (const dir of readable) await access(dir, constants.R_OK).catch(() => problems.push(`${dir} is not readable`));
    for (const dir of writable) {
      await mkdir(dir, { recursive: true })
        .then(() => access(dir, constants.W_OK))
        .catch(() => problems.push(`${dir} is not writable`));
    }
    return problems.length ? check('fail', problems.join('; ')) : check('pass', 'data readable; state and reports writable');
  }

  private async agentRegistry(): Promise<Check> {
    try {
      const catalog = await this.catalog.snapshot();
      const details = { agents: catalog.agents.length, mode: catalog.registryMode, ungoverned: catalog.ungoverned };
      if (catalog.registryMode === 'permissive') return check('warn', 'no governance registry: every agent runs ungoverned', details);
      if (catalog.ungoverned.length > 0) return check('warn', `${catalog.ungoverned.length} agent(s) without a registry entry`, details);
      return check('pass', `${catalog.agents.length} agents, all governed`, details);
    } catch (error) {
      return check('fail', `the agent catalog cannot be loaded: ${(error as Error).message}`);
    }
  }

  private environment(): Check {
    const env = this.config.get('NODE_ENV', { infer: true });
    const providers = this.router.providers();
    const configured = providers.filter((p) => p.configured).map((p) => p.provider);
    const details = { nodeEnv: env, node: process.version, llmProviders: configured };
    if (configured.length === 0) return check('warn', 'no LLM provider is configured: LLM agents are skipped and chat answers 503', details);
    return check('pass', `${env}; LLM providers: ${configured.join(', ')}`, details);
  }

  private async requiredFiles(): Promise<Check> {
    const files = (['REGISTRY_PATH', 'MODELS_PATH', 'EVENTS_PATH'] as const).map((key) => resolve(this.config.get(key, { infer: true })));
    const missing: string[] = [];
    await Promise.all(files.map((file) => access(file, constants.R_OK).catch(() => missing.push(file))));
    // A missing registry means permissive mode (reported by agentRegistry); models and events are read at boot.
    return missing.length ? check('warn', `missing: ${missing.join(', ')}`, { files }) : check('pass', 'registry, models and events files present', { files });
  }

  private circuitBreakers(): Check {
    const states = Object.fromEntries(this.breakers.all().map((b) => [b.name, b.state]));
    const open = Object.entries(states).filter(([, state]) => state !== 'closed').map(([name]) => name);
    return open.length ? check('warn', `not closed: ${open.join(', ')}`, { states }) : check('pass', 'all closed', { states });
  }

  private cacheCheck(): Check {
    const stats = this.caches.all().map((c) => c.stats());
    const broken = stats.filter((s) => s.age === null && s.lastError !== null).map((s) => s.name);
    const stale = stats.filter((s) => s.lastError !== null).map((s) => s.name);
    if (broken.length) return check('fail', `never loaded: ${broken.join(', ')}`);
    if (stale.length) return check('warn', `serving the last good value after a failed reload: ${stale.join(', ')}`);
    return check('pass', `${stats.length} caches valid`);
  }

  private async storage(): Promise<Check> {
    const started = performance.now();
    try {
      await this.database.ping();
      return check('pass', `${this.database.mode} storage answers`, { latencyMs: Math.round(performance.now() - started) });
    } catch (error) {
      return check('fail', `storage unreachable: ${(error as Error).message}`, { mode: this.database.mode });
    }
  }

  private eventLoop(): Check {
    const lag = { ...this.loop.snapshot() };
    if (lag.p99Ms > LOOP_FAIL_MS) return check('fail', `event-loop delay p99 ${lag.p99Ms} ms`, lag);
    if (lag.p99Ms > LOOP_WARN_MS) return check('warn', `event-loop delay p99 ${lag.p99Ms} ms`, lag);
    return check('pass', `event-loop delay p99 ${lag.p99Ms} ms`, lag);
  }
}
