import { DiscoveryService } from '@nestjs/core';
import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * A dependency /health/ready checks. Implement it on a provider, mark the class with
 * @ReadinessCheck(), and the health module finds it: no registration list to edit.
 */
export interface ReadinessIndicator {
  check(): Promise<HealthIndicatorResult>;
}

export const ReadinessCheck = DiscoveryService.createDecorator<void>();
