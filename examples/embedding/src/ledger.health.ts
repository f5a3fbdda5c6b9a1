import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessCheck, type IndicatorSession, type ReadinessIndicator } from 'bsm';

/** Ready while Acme's ledger is reachable (here, a switch a test can turn). */
@ReadinessCheck({ key: 'acme-ledger' })
@Injectable()
export class LedgerHealth implements ReadinessIndicator {
  reachable = true;

  async check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    return this.reachable ? indicator.up({ message: 'ledger answers' }) : indicator.down({ message: 'ledger unreachable' });
  }
}
