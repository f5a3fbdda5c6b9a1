import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/guards/route-policy';
import { AgentCatalogService } from './agent-catalog.service';
import { AdminAgentsDto } from './dto/agent.dto';

@ApiTags('admin')
@Controller('api/admin/agents')
export class AdminAgentsController {
  constructor(private readonly catalog: AgentCatalogService) {}

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: 'The full catalog with its governance report: agents without a registry entry, unmatched entries.' })
  @ApiOkResponse({ type: AdminAgentsDto })
  async list(): Promise<AdminAgentsDto> {
    const catalog = await this.catalog.snapshot();
    return { ...catalog, count: catalog.agents.length };
  }
}
