import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/guards/route-policy';
import { KnowledgeListDto } from './dto/knowledge.dto';
import { KnowledgeService } from './knowledge.service';

@ApiTags('admin')
@Controller('api/admin/knowledge')
export class AdminKnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: 'Every knowledge document (admin view).' })
  @ApiOkResponse({ type: KnowledgeListDto })
  async list(): Promise<KnowledgeListDto> {
    return { documents: await this.knowledge.all() };
  }
}
