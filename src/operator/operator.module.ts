import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { GptModule } from '../gpt/gpt.module';
import { OrchestratorModule } from '../orchestrator/orchestrator.module';
import { DashboardAssets } from './dashboard/dashboard-assets';
import { DashboardController } from './dashboard/dashboard.controller';
import { OperatorController } from './operator.controller';
import { OperatorService } from './operator.service';

/** What operators look at: the JSON metrics summary, the detailed health check and the dashboard. */
@Module({
  imports: [AgentsModule, GptModule, OrchestratorModule],
  controllers: [OperatorController, DashboardController],
  providers: [OperatorService, DashboardAssets],
})
export class OperatorModule {}
