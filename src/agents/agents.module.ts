import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { GuardsModule } from '../common/guards/guards.module';
import { AppCacheModule } from '../infra/cache/cache.module';
import { DataFilesModule } from '../infra/data/data-files.module';
import { StorageModule } from '../infra/storage/storage.module';
import { AdminAgentsController } from './admin-agents.controller';
import { AgentRegistryHealthIndicator } from './agent-registry.health';
import { AgentCatalogService } from './agent-catalog.service';
import { AgentRuntimeService } from './agent-runtime.service';
import { AgentStateStore, DrizzleAgentStateStore } from './agent-state-store';
import { AgentsController } from './agents.controller';

@Module({
  imports: [TerminusModule, DataFilesModule, AppCacheModule, GuardsModule, StorageModule],
  controllers: [AgentsController, AdminAgentsController],
  providers: [AgentCatalogService, AgentRuntimeService, AgentRegistryHealthIndicator, { provide: AgentStateStore, useClass: DrizzleAgentStateStore }],
  exports: [AgentCatalogService, AgentRuntimeService],
})
export class AgentsModule {}
