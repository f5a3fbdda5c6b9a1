import { DiscoveryService } from '@nestjs/core';
import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

/** Terminus' session for one indicator's key: `up(details)`, `down(details)`. */
export type IndicatorSession = ReturnType<HealthIndicatorService['check']>;

/**
 * A health check the health module runs for every view: /health/ready, /api/health/detailed and the
 * dashboard. Implement it on a provider and mark the class with @ReadinessCheck({ key }): no list to edit.
 * `check` reports through the session it is given: `up`, `up` with `degraded: true` (a warning), or `down`
 * (rather than throwing); `message` in the details is the line the detailed view shows.
 */
export interface ReadinessIndicator {
  check(indicator: IndicatorSession): Promise<HealthIndicatorResult>;
}

export interface ReadinessCheckOptions {
  /** The indicator's name in every view; unique in the application. */
  key: string;
  /**
   * true (the default): `down` takes the instance out of rotation (readiness 503, detailed "fail").
   * false: `down` only warns (readiness stays up, detailed "warn").
   */
  gatesReadiness?: boolean;
}

export const ReadinessCheck = DiscoveryService.createDecorator<ReadinessCheckOptions>();
