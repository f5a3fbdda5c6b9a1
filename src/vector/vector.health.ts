import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessCheck, type ReadinessIndicator } from '../infra/health/readiness';
import { VectorMemoryService } from './vector-memory.service';

/** Not ready while the review index is being rebuilt from storage ("indexing"), or if the rebuild failed. */
@ReadinessCheck()
@Injectable()
export class VectorIndexHealthIndicator implements ReadinessIndicator {
  constructor(
    private readonly memory: VectorMemoryService,
    private readonly health: HealthIndicatorService,
  ) {}

  check(): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('reviewIndex');
    const state = this.memory.indexState();
    const message = state.state === 'ready' ? 'review index ready' : `review index ${state.state}`;
    return Promise.resolve(state.state === 'ready' ? indicator.up({ ...state, message }) : indicator.down({ ...state, message }));
  }
}
