import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { BreakerRegistry, type BreakerState } from './breaker-registry';
import { BulkheadRegistry } from './bulkhead';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Breaker states and transitions, bulkhead occupancy: read from the registries. */
@Injectable()
export class ResilienceMetrics {
  constructor(breakers: BreakerRegistry, bulkheads: BulkheadRegistry, registry: MetricsRegistry) {
    new Gauge({
      name: 'bsm_breaker_state',
      help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
      labelNames: ['breaker'],
      registers: [registry],
      collect() {
        this.reset();
        for (const breaker of breakers.all()) this.set({ breaker: breaker.name }, STATE_VALUE[breaker.state]);
      },
    });
    const transitions = new Counter({
      name: 'bsm_breaker_transitions_total',
      help: 'Circuit breaker transitions by target state',
      labelNames: ['breaker', 'to'],
      registers: [registry],
    });
    breakers.onTransition((breaker, to) => transitions.inc({ breaker, to }));
    new Gauge({
      name: 'bsm_bulkhead_in_flight',
      help: 'Calls running inside each bulkhead',
      labelNames: ['bulkhead'],
      registers: [registry],
      collect() {
        this.reset();
        for (const bulkhead of bulkheads.all()) this.set({ bulkhead: bulkhead.name }, bulkhead.inFlight);
      },
    });
    new Gauge({
      name: 'bsm_bulkhead_queue_depth',
      help: 'Calls waiting for a bulkhead slot',
      labelNames: ['bulkhead'],
      registers: [registry],
      collect() {
        this.reset();
        for (const bulkhead of bulkheads.all()) this.set({ bulkhead: bulkhead.name }, bulkhead.queued);
      },
    });
  }
}
