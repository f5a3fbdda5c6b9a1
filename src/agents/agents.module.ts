import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { GuardsModule } from '../common/guards/guards.module';
import { AppCacheModule } from '../infra/cache/cache.module';
import { DataFilesModule } from '../infra/data/data-files.module';
import { AdminAgentsController } from './admin-agents.controller';
import { AgentRegistryHealthIndicator } from './agent-registry.health';
import { AgentCatalogService } from './agent-catalog.service';
import { AgentRuntimeService } from './agent-runtime.service';
import { AgentsController } from './agents.controller';

@Module({
  imports: [TerminusModule, DataFilesModule, AppCacheModule, GuardsModule],
  controllers: [AgentsController, AdminAgentsController],
  providers: [AgentCatalogService, AgentRuntimeService, AgentRegistryHealthIndicator],
  exports: [AgentCatalogService, AgentRuntimeService],
})
export class AgentsModule {}
