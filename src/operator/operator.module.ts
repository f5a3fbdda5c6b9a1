import { Module } from '@nestjs/common';
import { AppCacheModule } from '../infra/cache/cache.module';
import { HealthModule } from '../infra/health/health.module';
import { ResilienceModule } from '../infra/resilience/resilience.module';
import { OrchestratorModule } from '../orchestrator/orchestrator.module';
import { DashboardAssets } from './dashboard/dashboard-assets';
import { DashboardController, ReviewPagesController } from './dashboard/dashboard.controller';
import { OperatorController } from './operator.controller';
import { OperatorService } from './operator.service';
import { MetricsHistory } from './metrics-history';

/** What operators look at: the JSON metrics summary, the detailed health check and the dashboard. */
@Module({
  imports: [AppCacheModule, ResilienceModule, HealthModule, OrchestratorModule],
  controllers: [OperatorController, DashboardController, ReviewPagesController],
  providers: [OperatorService, DashboardAssets, MetricsHistory],
})
export class OperatorModule {}
