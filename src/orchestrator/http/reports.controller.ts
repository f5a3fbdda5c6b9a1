import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Log } from 'sarif';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { JobIdPipe } from '../../common/pipes/id.pipes';
import type { ReviewReport } from '../../review/report/review-report';
import { SARIF_MEDIA_TYPE, sarifInputOf, sarifOf } from '../../review/report/sarif';
import { AppInfo } from '../../infra/config/app-info';
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
    private readonly info: AppInfo,
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

  @Get(':jobId/sarif')
  @ApiOperation({ summary: "A job's findings as SARIF 2.1.0 (GitHub code scanning and other readers): rules, results with locations and fingerprints, suppressed findings with their reason; secrets masked." })
  @ApiParam({ name: 'jobId', description: 'Job id (UUID)' })
  @ApiProduces(SARIF_MEDIA_TYPE, 'application/json')
  @ApiOkResponse({ description: 'A SARIF 2.1.0 log', schema: { type: 'object', properties: { version: { type: 'string', example: '2.1.0' }, runs: { type: 'array', items: { type: 'object' } } } } })
  @ApiErrors(ErrorCode.InvalidId, OrchestratorError.REPORT_NOT_FOUND)
  async sarif(@Param('jobId', JobIdPipe) jobId: string, @Res({ passthrough: true }) res: Response): Promise<Log> {
    const report = await this.archive.read(jobId);
    if (!report) throw new DomainException(OrchestratorError.REPORT_NOT_FOUND, `No report for job ${jobId}`);
    res.setHeader('content-type', SARIF_MEDIA_TYPE);
    res.setHeader('content-disposition', `attachment; filename="review-${jobId}.sarif"`);
    return sarifOf(sarifInputOf(report.json), this.info.version);
  }
}
