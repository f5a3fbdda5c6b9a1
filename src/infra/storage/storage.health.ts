import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessCheck, type IndicatorSession, type ReadinessIndicator } from '../health/readiness';
import { Database } from './database';

const PING_TIMEOUT_MS = 2_000;

/** Storage answers a ping within 2 s. */
@ReadinessCheck({ key: 'storage' })
@Injectable()
export class StorageHealthIndicator implements ReadinessIndicator {
  constructor(private readonly database: Database) {}

  async check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.database.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
        }),
      ]);
      return indicator.up({ message: `${this.database.mode} storage answers`, mode: this.database.mode, latencyMs: Math.round(performance.now() - started) });
    } catch (error) {
      return indicator.down({ mode: this.database.mode, message: `storage unreachable: ${(error as Error).message}` });
    } finally {
      clearTimeout(timer);
    }
  }
}
