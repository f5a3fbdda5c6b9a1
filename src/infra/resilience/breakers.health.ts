import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessCheck, type IndicatorSession, type ReadinessIndicator } from '../health/readiness';
import { BreakerRegistry } from './breaker-registry';

/**
 * Breakers in readiness, always up: with a provider down BSM still serves the catalog,
 * knowledge, analyzers and memory, so taking the instance out of rotation would only
 * make things worse. An open breaker shows as degraded.
 */
@ReadinessCheck({ key: 'circuitBreakers', gatesReadiness: false })
@Injectable()
export class BreakersHealthIndicator implements ReadinessIndicator {
  constructor(private readonly breakers: BreakerRegistry) {}

  check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    const states = Object.fromEntries(this.breakers.all().map((b) => [b.name, b.state]));
    const open = Object.entries(states).filter(([, state]) => state !== 'closed').map(([name]) => name);
    const message = open.length ? `not closed: ${open.join(', ')}` : 'all closed';
    return Promise.resolve(indicator.up({ ...states, states, degraded: open.length > 0, message }));
  }
}
