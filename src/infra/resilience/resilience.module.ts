import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import type { Env } from '../config/env.schema';
import { RedisModule } from '../redis/redis.module';
import { BreakerRegistry, BreakerSettings } from './breaker-registry';
import { BreakersHealthIndicator } from './breakers.health';
import { BulkheadRegistry } from './bulkhead';
import { ResilienceMetrics } from './resilience.metrics';

@Module({
  imports: [TerminusModule, RedisModule],
  providers: [
    {
      provide: BreakerSettings,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>): BreakerSettings => ({
        enabled: config.get('CIRCUIT_BREAKER_ENABLED', { infer: true }),
        errorThresholdPercentage: config.get('BREAKER_ERROR_THRESHOLD_PERCENT', { infer: true }),
        volumeThreshold: config.get('BREAKER_VOLUME_THRESHOLD', { infer: true }),
        resetTimeout: config.get('BREAKER_RESET_TIMEOUT_MS', { infer: true }),
        rollingCountTimeout: config.get('BREAKER_ROLLING_WINDOW_MS', { infer: true }),
      }),
    },
    BreakerRegistry,
    BulkheadRegistry,
    ResilienceMetrics,
    BreakersHealthIndicator,
  ],
  exports: [BreakerRegistry, BulkheadRegistry],
})
export class ResilienceModule {}
