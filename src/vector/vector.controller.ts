import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import {
  CreateDecisionDto,
  CreatedDto,
  CreateReviewDto,
  RejectionPatternsDto,
  RejectionPatternsQueryDto,
  ReviewDto,
  SearchResultsDto,
  SearchReviewsDto,
} from './dto/vector.dto';
import { VectorMemoryService } from './vector-memory.service';

const reviewIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException(ErrorCode.InvalidId, 'A review id is a UUID'),
});

@ApiTags('vector')
@Controller('api/vector')
export class VectorController {
  constructor(private readonly memory: VectorMemoryService) {}

  @Post('reviews')
  @ApiOperation({ summary: 'Remember a code review (stored before the answer, indexed for similarity).' })
  @ApiCreatedResponse({ type: CreatedDto })
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.PayloadTooLarge)
  create(@Body() body: CreateReviewDto): Promise<CreatedDto> {
    return this.memory.rememberReview(body.code, body.review, body.metadata);
  }

  @Get('reviews/:id')
  @ApiOperation({ summary: 'One remembered review.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ReviewDto })
  @ApiErrors(ErrorCode.InvalidId, ErrorCode.ReviewNotFound)
  get(@Param('id', reviewIdPipe) id: string): Promise<ReviewDto> {
    return this.memory.getReview(id);
  }

  @Post('reviews/search')
  @HttpCode(200)
  @ApiOperation({ summary: 'The top-K most similar past reviews (exact Jaccard over code tokens; ties: newest, then id).' })
  @ApiOkResponse({ type: SearchResultsDto })
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.IndexNotReady)
  async search(@Body() body: SearchReviewsDto): Promise<SearchResultsDto> {
    return { results: await this.memory.search(body.code, body.topK) };
  }

  @Post('decisions')
  @ApiOperation({ summary: 'Remember a decision.' })
  @ApiCreatedResponse({ type: CreatedDto })
  @ApiErrors(ErrorCode.ValidationFailed)
  decide(@Body() body: CreateDecisionDto): Promise<CreatedDto> {
    return this.memory.rememberDecision({ ...body.decision }, body.context);
  }

  @Get('rejection-patterns')
  @ApiOperation({ summary: 'Share of rejections (block_pr, request_changes) and their most common reasons, optionally since a date.' })
  @ApiOkResponse({ type: RejectionPatternsDto })
  @ApiErrors(ErrorCode.ValidationFailed)
  patterns(@Query() query: RejectionPatternsQueryDto): Promise<RejectionPatternsDto> {
    return this.memory.rejectionPatterns(query.since ? new Date(query.since) : undefined);
  }
}
