import { Global, Module } from '@nestjs/common';
import { EventLoopMonitor } from './event-loop-monitor';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: MetricsRegistry, useFactory: () => MetricsRegistry.create() }, HttpMetrics, EventLoopMonitor],
  exports: [MetricsRegistry, HttpMetrics, EventLoopMonitor],
})
export class MetricsModule {}
