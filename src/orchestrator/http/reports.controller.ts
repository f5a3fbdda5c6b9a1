import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { JobIdPipe } from '../../common/pipes/id.pipes';
import type { ReviewReport } from '../../review/report/review-report';
import { ReviewArchive } from '../archive/review-archive.service';
import { ReviewJobs } from '../intake/review-jobs.service';
import { jobFilterOf, ReportDto, ReportListDto, ReportsQueryDto } from './dto/orchestrator.dto';
import { OrchestratorError } from '../orchestrator.errors';

@ApiTags('orchestrator')
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly reviewJobs: ReviewJobs,
    private readonly archive: ReviewArchive,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Reports of finished jobs, newest first (paged like /api/orchestrator/jobs).' })
  @ApiOkResponse({ type: ReportListDto })
  @ApiErrors(ErrorCode.ValidationFailed)
  async list(@Query() query: ReportsQueryDto): Promise<ReportListDto> {
    const page = await this.reviewJobs.list(
      jobFilterOf({ ...query, status: 'completed' }),
      query.limit ?? 20,
      query.cursor === undefined ? undefined : Number(query.cursor),
    );
    return {
      reports: page.jobs.map((job) => ({
        jobId: job.id,
        event: job.event,
        repo: job.repo,
        pr: job.pr,
        decision: job.decision?.action ?? null,
        finishedAt: job.finishedAt,
      })),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':jobId')
  @ApiOperation({ summary: "A job's report: the JSON report and its Markdown rendering." })
  @ApiParam({ name: 'jobId', description: 'Job id (UUID)' })
  @ApiOkResponse({ type: ReportDto })
  @ApiErrors(ErrorCode.InvalidId, OrchestratorError.REPORT_NOT_FOUND)
  async get(@Param('jobId', JobIdPipe) jobId: string): Promise<{ json: ReviewReport; markdown: string }> {
    const report = await this.archive.read(jobId);
    if (!report) throw new DomainException(OrchestratorError.REPORT_NOT_FOUND, `No report for job ${jobId}`);
    return report;
  }
}
