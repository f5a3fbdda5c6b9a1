import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { HttpMetrics } from '../infra/metrics/http-metrics';
import { MetricsRegistry } from '../infra/metrics/metrics.registry';
import { BreakerRegistry } from '../infra/resilience/breaker-registry';

const INTERVAL_MS = 10_000;
const KEPT = 360; // one hour
const DECISIONS = ['approve', 'request_changes', 'block_pr', 'manual_review'] as const;
type DecisionCounts = Record<(typeof DECISIONS)[number], number>;

export interface HistorySample {
  /** The end of the interval (ISO). */
  at: string;
  seconds: number;
  latencyMs: { p50: number; p99: number };
  perSecond: number;
  errorRate: number;
  /** Reviews finished in the interval, by decision. */
  reviews: DecisionCounts;
  /** Breakers that opened in the interval. */
  breakerOpenings: string[];
}

/**
 * The last hour of this instance's numbers for the dashboard's charts, in 10-second samples kept in a bounded
 * ring (360 of them): latency, throughput and error rate from the request window, reviews per decision from the
 * orchestrator's job counter, breaker openings from the breaker registry. The interval in progress is served as
 * the last sample, so a chart is never a whole interval behind. Per instance: each instance keeps its own.
 */
@Injectable()
export class MetricsHistory implements OnModuleInit, OnApplicationShutdown {
  private readonly samples: HistorySample[] = [];
  private timer?: NodeJS.Timeout;
  private intervalStart = Date.now();
  private lastCounts = { total: 0, failures: 0 };
  private lastReviews = zeroDecisions();
  private openings: string[] = [];

  constructor(
    private readonly http: HttpMetrics,
    private readonly registry: MetricsRegistry,
    breakers: BreakerRegistry,
  ) {
    breakers.onTransition((name, to) => {
      if (to === 'open') this.openings.push(name);
    });
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.close(), INTERVAL_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The samples of the last `minutes`, oldest first, ending with the interval in progress. */
  async last(minutes: number, now = Date.now()): Promise<HistorySample[]> {
    const since = now - minutes * 60_000;
    const current = this.sample(now, await this.reviewsSoFar());
    return [...this.samples.filter((sample) => Date.parse(sample.at) > since), current];
  }

  /** Ends the interval in progress: its sample joins the ring, and the next one starts from here. */
  private async close(): Promise<void> {
    const reviews = await this.reviewsSoFar();
    const now = Date.now();
    this.samples.push(this.sample(now, reviews));
    if (this.samples.length > KEPT) this.samples.shift();
    this.intervalStart = now;
    this.lastCounts = this.http.window.counts();
    this.lastReviews = reviews;
    this.openings = [];
  }

  /** The interval from its start to `now`, given the reviews counted so far. */
  private sample(now: number, reviews: DecisionCounts): HistorySample {
    const elapsedMs = Math.max(1, now - this.intervalStart);
    const counts = this.http.window.counts();
    const window = this.http.window.snapshot(now, elapsedMs);
    const requests = counts.total - this.lastCounts.total;
    return {
      at: new Date(now).toISOString(),
      seconds: Math.round(elapsedMs / 100) / 10,
      latencyMs: { p50: window.latencyMs.p50, p99: window.latencyMs.p99 },
      perSecond: Math.round((requests / (elapsedMs / 1000)) * 1000) / 1000,
      errorRate: requests ? Math.round(((counts.failures - this.lastCounts.failures) / requests) * 1000) / 1000 : 0,
      reviews: Object.fromEntries(DECISIONS.map((d) => [d, reviews[d] - this.lastReviews[d]])) as DecisionCounts,
      breakerOpenings: [...this.openings],
    };
  }

  /** Finished reviews by decision since start, read from the orchestrator's counter. */
  private async reviewsSoFar(): Promise<DecisionCounts> {
    const counts = zeroDecisions();
    const counter = this.registry.getSingleMetric('bsm_orchestrator_jobs_total') as Counter | undefined;
    for (const value of (await counter?.get())?.values ?? []) {
      const decision = value.labels.decision as keyof DecisionCounts;
      if (decision in counts) counts[decision] += value.value;
    }
    return counts;
  }
}

function zeroDecisions(): DecisionCounts {
  return { approve: 0, request_changes: 0, block_pr: 0, manual_review: 0 };
}
