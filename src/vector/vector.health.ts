import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessCheck, type IndicatorSession, type ReadinessIndicator } from '../infra/health/readiness';
import { VectorMemoryService } from './vector-memory.service';

/** Not ready while the review index is being rebuilt from storage ("indexing"), or if the rebuild failed. */
@ReadinessCheck({ key: 'reviewIndex' })
@Injectable()
export class VectorIndexHealthIndicator implements ReadinessIndicator {
  constructor(private readonly memory: VectorMemoryService) {}

  check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    const state = this.memory.indexState();
    const message = state.state === 'ready' ? 'review index ready' : `review index ${state.state}`;
    return Promise.resolve(state.state === 'ready' ? indicator.up({ ...state, message }) : indicator.down({ ...state, message }));
  }
}
