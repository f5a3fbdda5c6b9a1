import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ErrorCode } from '../../common/errors/error-code';
import { ReviewListService } from '../intake/review-list.service';
import { jobFilterOf, JobsQueryDto, ReviewPageDto } from './dto/orchestrator.dto';

@ApiTags('orchestrator')
@Controller('api/reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewListService) {}

  @Get()
  @ApiOperation({ summary: 'Reviews as the reviews page lists them: title (secrets masked), head SHA, decision, findings by severity, timing; filtered and paged like the jobs.' })
  @ApiOkResponse({ type: ReviewPageDto })
  @ApiErrors(ErrorCode.ValidationFailed)
  list(@Query() query: JobsQueryDto): Promise<ReviewPageDto> {
    return this.reviews.list(jobFilterOf(query), query.limit ?? 20, query.cursor === undefined ? undefined : Number(query.cursor));
  }
}
