import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { GptModule } from '../gpt/gpt.module';
import { OrchestratorModule } from '../orchestrator/orchestrator.module';
import { OperatorController } from './operator.controller';
import { OperatorService } from './operator.service';

/** What operators look at: the JSON metrics summary and the detailed health check. */
@Module({
  imports: [AgentsModule, GptModule, OrchestratorModule],
  controllers: [OperatorController],
  providers: [OperatorService],
})
export class OperatorModule {}
