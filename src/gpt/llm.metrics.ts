import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from '../infra/metrics/metrics.registry';
import type { LlmUsage } from './ports/llm-provider';
import { UsageService } from './usage/usage.service';

/** LLM calls by provider, model and outcome (success or the error code), and tokens used (also per caller). */
@Injectable()
export class LlmMetrics {
  private readonly duration: Histogram<'provider' | 'model' | 'outcome'>;
  private readonly tokens: Counter<'provider' | 'model' | 'kind'>;

  constructor(
    registry: MetricsRegistry,
    private readonly usage: UsageService,
  ) {
    this.duration = new Histogram({
      name: 'bsm_llm_call_duration_seconds',
      help: 'LLM calls (bulkhead wait, retries and attempts included) by provider, model and outcome',
      labelNames: ['provider', 'model', 'outcome'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.tokens = new Counter({
      name: 'bsm_llm_tokens_total',
      help: 'Tokens reported by providers, by kind (prompt, completion)',
      labelNames: ['provider', 'model', 'kind'],
      registers: [registry],
    });
  }

  /** `caller`: the API key id of a metered route's request (undefined for an orchestrator job's agents). */
  record(provider: string, model: string, outcome: string, seconds: number, usage?: LlmUsage, caller?: string): void {
    this.duration.observe({ provider, model, outcome }, seconds);
    if (usage && caller) this.usage.record(caller, usage);
    if (usage) {
      this.tokens.inc({ provider, model, kind: 'prompt' }, usage.promptTokens);
      this.tokens.inc({ provider, model, kind: 'completion' }, usage.completionTokens);
    }
  }
}
