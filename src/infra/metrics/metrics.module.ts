import { Global, Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: MetricsRegistry, useFactory: () => MetricsRegistry.create() }, HttpMetrics],
  exports: [MetricsRegistry, HttpMetrics],
})
export class MetricsModule {}
