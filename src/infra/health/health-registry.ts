import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessCheck, type ReadinessIndicator } from './readiness';

export type CheckStatus = 'pass' | 'warn' | 'fail';

/** One indicator as the detailed view shows it. */
export interface Check {
  status: CheckStatus;
  message: string;
  [detail: string]: unknown;
}

interface Registered {
  indicator: ReadinessIndicator;
  gatesReadiness: boolean;
}

/**
 * Every provider marked @ReadinessCheck(), found once the application has booted: the one set of
 * checks that readiness, the detailed health check and the dashboard all show.
 */
@Injectable()
export class HealthRegistry implements OnApplicationBootstrap {
  private found: Registered[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    this.found = this.discovery
      .getProviders({ metadataKey: ReadinessCheck.KEY })
      .filter((wrapper) => typeof (wrapper.instance as ReadinessIndicator | undefined)?.check === 'function')
      .map((wrapper) => ({
        indicator: wrapper.instance as ReadinessIndicator,
        gatesReadiness: this.discovery.getMetadataByDecorator(ReadinessCheck, wrapper)?.gatesReadiness ?? true,
      }));
  }

  /**
   * The checks for Terminus' readiness run: an indicator that does not gate readiness reports its
   * `down` as `up` with `degraded: true`, so only gating indicators take the instance out of rotation.
   */
  readinessChecks(): Array<() => Promise<HealthIndicatorResult>> {
    return this.found.map(({ indicator, gatesReadiness }) => async () => {
      const result = await indicator.check();
      if (gatesReadiness) return result;
      return Object.fromEntries(
        Object.entries(result).map(([key, value]) => [key, value.status === 'down' ? { ...value, status: 'up', degraded: true } : value]),
      );
    });
  }

  /** Every indicator as pass / warn / fail, keyed like Terminus' result. */
  async checks(): Promise<Record<string, Check>> {
    const results = await Promise.all(
      this.found.map(async ({ indicator, gatesReadiness }) => {
        const result = await indicator.check().catch((error: Error) => ({ [indicator.constructor.name]: { status: 'down' as const, message: error.message } }));
        return Object.entries(result).map(([key, { status, ...details }]): [string, Check] => {
          const level: CheckStatus = status === 'down' ? (gatesReadiness ? 'fail' : 'warn') : details.degraded === true ? 'warn' : 'pass';
          const message = typeof details.message === 'string' ? details.message : `${key} ${status}`;
          return [key, { ...details, status: level, message }];
        });
      }),
    );
    return Object.fromEntries(results.flat());
  }
}
