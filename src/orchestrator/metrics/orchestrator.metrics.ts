import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '../../infra/metrics/metrics.registry';

@Injectable()
export class OrchestratorMetrics {
  readonly jobs: Counter<'event' | 'status' | 'decision'>;
  /** Knowledge snapshots taken: one per run, whatever the number of agents. */
  readonly knowledgeLoads: Counter;
  readonly deliveries: Counter<'outcome'>;

  constructor(registry: MetricsRegistry) {
    this.jobs = new Counter({
      name: 'bsm_orchestrator_jobs_total',
      help: 'Finished orchestrator jobs by event, status and decision',
      labelNames: ['event', 'status', 'decision'],
      registers: [registry],
    });
    this.deliveries = new Counter({
      name: 'bsm_webhook_deliveries_total',
      help: 'GitHub webhook deliveries by outcome (accepted, coalesced, duplicate, requeued, skipped, rejected)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.knowledgeLoads = new Counter({
      name: 'bsm_orchestrator_knowledge_loads_total',
      help: 'Knowledge snapshots taken by orchestrator runs (one per run)',
      registers: [registry],
    });
  }
}
