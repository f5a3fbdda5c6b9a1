import { Module } from '@nestjs/common';
import { DataFiles, FsDataFiles } from '../infra/data/data-files';
import { AdminAgentsController } from './admin-agents.controller';
import { AgentCatalogService } from './agent-catalog.service';
import { AgentRuntimeService } from './agent-runtime.service';
import { AgentsController } from './agents.controller';

@Module({
  controllers: [AgentsController, AdminAgentsController],
  providers: [AgentCatalogService, AgentRuntimeService, { provide: DataFiles, useClass: FsDataFiles }],
  exports: [AgentCatalogService, AgentRuntimeService],
})
export class AgentsModule {}
