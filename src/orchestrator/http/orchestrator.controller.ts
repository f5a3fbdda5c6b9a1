import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ErrorCode } from '../../common/errors/error-code';
import { AdminAction } from '../../common/guards/route-policy';
import { DeadLetterIdPipe, EventNamePipe, JobIdPipe } from '../../common/pipes/id.pipes';
import { DeadLetters, type DeadLetter, type DeadLetterPage } from '../intake/dead-letters.service';
import { EventsService } from '../events/events.service';
import { ReviewJobs } from '../intake/review-jobs.service';
import type { Job } from '../jobs/job-store';
import { JobFilesService, type JobFiles } from '../intake/job-files.service';
import { DeadLetterDto, DeadLetterPageDto, DeadLettersQueryDto, JobFilesDto, jobFilterOf, JobPageDto, JobsQueryDto, JobViewDto, OverrideRemovedDto, RunAcceptedDto, RunRequestDto, StrategiesDto, StrategyDto } from './dto/orchestrator.dto';
import { OrchestratorError } from '../orchestrator.errors';
import { assertRunPayload } from './run-payload';

/**
 * A job as served: without its payload and review input, which are kept in storage (reruns and
 * restarts need them) but may hold the very secrets the run masks everywhere else.
 */
export type JobView = Omit<Job, 'payload' | 'input' | 'owner'>;

function viewOf(job: Job): JobView {
  const { payload: _payload, input: _input, owner: _owner, ...view } = job;
  return view;
}

const EVENT_PARAM = { name: 'event', example: 'pull_request.opened', description: '^[a-z_]+(\\.[a-z_]+)?$' };

@ApiTags('orchestrator')
@Controller('api/orchestrator')
export class OrchestratorController {
  constructor(
    private readonly events: EventsService,
    private readonly reviewJobs: ReviewJobs,
    private readonly jobFiles: JobFilesService,
    private readonly deadLetters: DeadLetters,
  ) {}

  @Get('config')
  @ApiOperation({ summary: 'Which agents run for which event (events.yaml, with runtime overrides winning).' })
  @ApiOkResponse({ type: StrategiesDto })
  async config(): Promise<StrategiesDto> {
    const strategies = await this.events.list();
    return { strategies, totalEvents: strategies.length };
  }

  @Put('config/:event')
  @AdminAction()
  @ApiOperation({ summary: 'Override one event at runtime (validated, stored, audit-logged) until deleted.' })
  @ApiParam(EVENT_PARAM)
  @ApiBody({ schema: { example: { agents: ['security-agent', { id: 'code-review-agent', onFailure: 'ignore' }], execution: 'parallel', description: 'Security first' } } })
  @ApiOkResponse({ type: StrategyDto })
  @ApiErrors(ErrorCode.InvalidId, ErrorCode.ValidationFailed)
  override(@Param('event', EventNamePipe) event: string, @Body() body: Record<string, unknown>): Promise<StrategyDto> {
    return this.events.override(event, body);
  }

  @Delete('config/:event')
  @AdminAction()
  @ApiOperation({ summary: 'Remove an override (audit-logged); answers the strategy now in force, from the file, if any.' })
  @ApiParam(EVENT_PARAM)
  @ApiOkResponse({ type: OverrideRemovedDto })
  @ApiErrors(ErrorCode.InvalidId, ErrorCode.NotFound)
  async removeOverride(@Param('event', EventNamePipe) event: string): Promise<{ event: string; removed: true; now: StrategyDto | null }> {
    return { event, removed: true, now: await this.events.removeOverride(event) };
  }

  @Post('run')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a run: the job is stored before this answers; poll GET /jobs/:id for its result.' })
  @ApiAcceptedResponse({ type: RunAcceptedDto })
  @ApiErrors(ErrorCode.ValidationFailed)
  async run(@Body() body: RunRequestDto): Promise<RunAcceptedDto> {
    assertRunPayload(body.event, body.payload);
    const job = await this.reviewJobs.submit(body.event, body.payload, body.context, body.config);
    return { jobId: job.id, status: 'queued' };
  }

  @Get('jobs')
  @ApiOperation({ summary: 'Jobs, newest first, filtered by status, event, repo, PR, decision and creation time; paged by cursor.' })
  @ApiOkResponse({ type: JobPageDto })
  @ApiErrors(ErrorCode.ValidationFailed)
  async jobList(@Query() query: JobsQueryDto): Promise<{ jobs: JobView[]; nextCursor: string | null }> {
    const page = await this.reviewJobs.list(
      jobFilterOf(query),
      query.limit ?? 20,
      query.cursor === undefined ? undefined : Number(query.cursor),
    );
    return { jobs: page.jobs.map(viewOf), nextCursor: page.nextCursor };
  }

  @Post('jobs/:id/rerun')
  @HttpCode(202)
  @AdminAction()
  @ApiOperation({ summary: 'Run a job again as a new job (same event and payload); audit-logged.' })
  @ApiParam({ name: 'id', description: 'Job id (UUID)' })
  @ApiAcceptedResponse({ type: RunAcceptedDto })
  @ApiErrors(ErrorCode.InvalidId, OrchestratorError.JOB_NOT_FOUND)
  async rerun(@Param('id', JobIdPipe) id: string): Promise<RunAcceptedDto> {
    const job = await this.reviewJobs.rerun(id);
    return { jobId: job.id, status: 'queued' };
  }

  @Post('jobs/:id/cancel')
  @HttpCode(200)
  @AdminAction()
  @ApiOperation({ summary: 'Cancel a queued or running job (a running one finishes its calls, but its outcome is discarded); audit-logged.' })
  @ApiParam({ name: 'id', description: 'Job id (UUID)' })
  @ApiOkResponse({ type: JobViewDto })
  @ApiErrors(ErrorCode.InvalidId, OrchestratorError.JOB_NOT_FOUND, OrchestratorError.JOB_NOT_CANCELLABLE)
  async cancel(@Param('id', JobIdPipe) id: string): Promise<JobView> {
    return viewOf(await this.reviewJobs.cancel(id));
  }

  @Get('jobs/:id/files')
  @ApiOperation({ summary: 'The diff the job reviewed, every secret masked (the stored payload itself is never served).' })
  @ApiParam({ name: 'id', description: 'Job id (UUID)' })
  @ApiOkResponse({ type: JobFilesDto })
  @ApiErrors(ErrorCode.InvalidId, OrchestratorError.JOB_NOT_FOUND)
  files(@Param('id', JobIdPipe) id: string): Promise<JobFiles> {
    return this.jobFiles.of(id);
  }

  @Get('jobs/:id')
  @ApiOperation({ summary: 'One job: status, per-agent results, decision, report name.' })
  @ApiParam({ name: 'id', description: 'Job id (UUID)' })
  @ApiOkResponse({ type: JobViewDto })
  @ApiErrors(ErrorCode.InvalidId, OrchestratorError.JOB_NOT_FOUND)
  async job(@Param('id', JobIdPipe) id: string): Promise<JobView> {
    return viewOf(await this.reviewJobs.get(id));
  }

  @Get('dead-letters')
  @AdminAction()
  @ApiOperation({ summary: 'Jobs whose run threw past the retry limit (ORCHESTRATOR_RETRY_LIMIT), oldest first, with their last error.' })
  @ApiOkResponse({ type: DeadLetterPageDto })
  @ApiErrors(ErrorCode.ValidationFailed)
  deadLetterList(@Query() query: DeadLettersQueryDto): Promise<DeadLetterPage> {
    return this.deadLetters.list(query.limit ?? 20, query.cursor);
  }

  @Post('dead-letters/:id/rerun')
  @HttpCode(202)
  @AdminAction()
  @ApiOperation({ summary: 'Put a dead letter back in the queue: its job runs again, with a fresh retry budget; audit-logged.' })
  @ApiParam({ name: 'id', description: 'Dead letter id (UUID)' })
  @ApiAcceptedResponse({ type: DeadLetterDto })
  @ApiErrors(ErrorCode.InvalidId, OrchestratorError.DEAD_LETTER_NOT_FOUND)
  rerunDeadLetter(@Param('id', DeadLetterIdPipe) id: string): Promise<DeadLetter> {
    return this.deadLetters.rerun(id);
  }
}
