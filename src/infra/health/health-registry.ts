import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { BootError } from '../lifecycle/boot-error';
import { ReadinessCheck, type ReadinessIndicator } from './readiness';

export type CheckStatus = 'pass' | 'warn' | 'fail';

/** One indicator as the detailed view shows it. */
export interface Check {
  status: CheckStatus;
  message: string;
  [detail: string]: unknown;
}

interface Registered {
  key: string;
  gatesReadiness: boolean;
  indicator: ReadinessIndicator;
}

/**
 * Every provider marked @ReadinessCheck({ key }), found once the application has booted: the one set of
 * checks that readiness, the detailed health check and the dashboard all show.
 */
@Injectable()
export class HealthRegistry implements OnApplicationBootstrap {
  private found: Registered[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly terminus: HealthIndicatorService,
  ) {}

  onApplicationBootstrap(): void {
    this.found = this.discovery
      .getProviders({ metadataKey: ReadinessCheck.KEY })
      .filter((wrapper) => typeof (wrapper.instance as ReadinessIndicator | undefined)?.check === 'function')
      .map((wrapper) => {
        const options = this.discovery.getMetadataByDecorator(ReadinessCheck, wrapper);
        return { key: options?.key ?? '', gatesReadiness: options?.gatesReadiness ?? true, indicator: wrapper.instance as ReadinessIndicator };
      });
    const keys = this.found.map((r) => r.key);
    const problems = [
      ...this.found.filter((r) => !r.key).map((r) => `${r.indicator.constructor.name} has no key: @ReadinessCheck({ key })`),
      ...[...new Set(keys.filter((key, i) => key && keys.indexOf(key) !== i))].map((key) => `two indicators are named "${key}"`),
    ];
    if (problems.length > 0) throw new BootError('Health indicators', problems);
  }

  private async run({ key, indicator }: Registered): Promise<HealthIndicatorResult> {
    const session = this.terminus.check(key);
    return indicator.check(session).catch((error: Error) => session.down({ message: error.message }));
  }

  /**
   * The checks for Terminus' readiness run: an indicator that does not gate readiness reports its
   * `down` as `up` with `degraded: true`, so only gating indicators take the instance out of rotation.
   */
  readinessChecks(): Array<() => Promise<HealthIndicatorResult>> {
    return this.found.map((registered) => async () => {
      const result = await this.run(registered);
      const own = result[registered.key];
      return registered.gatesReadiness || own?.status !== 'down' ? result : { [registered.key]: { ...own, status: 'up', degraded: true } };
    });
  }

  /** Every indicator as pass / warn / fail, by key. */
  async checks(): Promise<Record<string, Check>> {
    const entries = await Promise.all(
      this.found.map(async (registered): Promise<[string, Check]> => {
        const { status, ...details } = (await this.run(registered))[registered.key] ?? { status: 'down', message: 'no result' };
        const level: CheckStatus = status === 'down' ? (registered.gatesReadiness ? 'fail' : 'warn') : details.degraded === true ? 'warn' : 'pass';
        return [registered.key, { ...details, status: level, message: typeof details.message === 'string' ? details.message : `${registered.key} ${status}` }];
      }),
    );
    return Object.fromEntries(entries);
  }
}
