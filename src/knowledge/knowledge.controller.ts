import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { KnowledgeIdPipe } from '../common/pipes/id.pipes';
import { KnowledgeDocumentDto, KnowledgeListDto, KnowledgeSearchDto, KnowledgeSearchQueryDto } from './dto/knowledge.dto';
import { KnowledgeService } from './knowledge.service';

@ApiTags('knowledge')
@Controller('api/knowledge')
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Get()
  @ApiOperation({ summary: 'Every knowledge document.' })
  @ApiOkResponse({ type: KnowledgeListDto })
  async list(): Promise<KnowledgeListDto> {
    return { documents: await this.knowledge.all() };
  }

  @Get('search')
  @ApiOperation({ summary: 'Full-text search over titles and content, ranked, with snippets.' })
  @ApiOkResponse({ type: KnowledgeSearchDto })
  @ApiErrors(ErrorCode.ValidationFailed)
  async search(@Query() query: KnowledgeSearchQueryDto): Promise<KnowledgeSearchDto> {
    return { query: query.q, ...(await this.knowledge.search(query.q, query.limit)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One document by id (its file name).' })
  @ApiParam({ name: 'id', example: 'security-policy.md' })
  @ApiOkResponse({ type: KnowledgeDocumentDto })
  @ApiErrors(ErrorCode.InvalidId, ErrorCode.KnowledgeNotFound)
  get(@Param('id', KnowledgeIdPipe) id: string): Promise<KnowledgeDocumentDto> {
    return this.knowledge.get(id);
  }
}
