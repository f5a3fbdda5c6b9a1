import { DiscoveryService } from '@nestjs/core';
import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * A Terminus indicator the health module runs for every view: /health/ready, /api/health/detailed and
 * the dashboard. Implement it on a provider and mark the class with @ReadinessCheck(): no list to edit.
 * An indicator reports `up`, `up` with `degraded: true` (a warning), or `down`; `message` in its
 * details is the line the detailed view shows.
 */
export interface ReadinessIndicator {
  check(): Promise<HealthIndicatorResult>;
}

export interface ReadinessCheckOptions {
  /**
   * true (the default): `down` takes the instance out of rotation (readiness 503, detailed "fail").
   * false: `down` only warns (readiness stays up, detailed "warn").
   */
  gatesReadiness?: boolean;
}

export const ReadinessCheck = DiscoveryService.createDecorator<ReadinessCheckOptions | undefined>();
