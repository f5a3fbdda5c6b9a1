import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ON_FAILURE } from '../../../review/review.model';
import { EVENT_NAME_PATTERN, EXECUTIONS } from '../../events/events-config';
import { JOB_STATUSES } from '../../jobs/job-store';

export class RunRequestDto {
  @ApiProperty({ example: 'pull_request.opened', pattern: EVENT_NAME_PATTERN.source })
  @IsString()
  @Matches(EVENT_NAME_PATTERN, { message: `event must match ${EVENT_NAME_PATTERN.source}` })
  event: string;

  @ApiProperty({
    description:
      'A GitHub pull_request payload (a pull_request.* event needs repository.full_name, pull_request.number and pull_request.head.sha); `files` (GitHub list-files shape: filename, status, additions, deletions, patch) adds the diff',
    example: {
      pull_request: { number: 7, title: 'Add login', body: 'Adds the login form with tests.', head: { sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e' } },
      repository: { full_name: 'acme/shop' },
      files: [{ filename: 'src/login.ts', status: 'added', additions: 1, deletions: 0, patch: '@@ -0,0 +1 @@\n+export const login = () => true;' }],
    },
  })
  @IsObject()
  payload: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Free-form context stored with the job', example: { requestedBy: 'release-bot', ticket: 'OPS-142' } })
  @IsOptional()
  @IsObject()
  context?: Record<string, unknown>;
}

export class RunAcceptedDto {
  @ApiProperty() jobId: string;
  @ApiProperty({ enum: ['queued'] }) status: 'queued';
}

export class JobsQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES, example: 'completed' })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'pull_request.opened' })
  @IsOptional()
  @Matches(EVENT_NAME_PATTERN, { message: `event must match ${EVENT_NAME_PATTERN.source}` })
  event?: string;

  @ApiPropertyOptional({ example: 'acme/shop' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, { message: 'repo must be owner/name' })
  repo?: string;

  @ApiPropertyOptional({ example: 7 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  pr?: number;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', example: '1732870000123' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

/** Reports exist for completed jobs only, so there is no status to filter on. */
export class ReportsQueryDto extends OmitType(JobsQueryDto, ['status'] as const) {}

export class StrategyAgentDto {
  @ApiProperty({ example: 'security-agent' }) id: string;
  @ApiProperty({ enum: ON_FAILURE }) onFailure: string;
}

export class StrategyDto {
  @ApiProperty({ example: 'pull_request.opened' }) event: string;
  @ApiProperty({ type: [StrategyAgentDto] }) agents: StrategyAgentDto[];
  @ApiProperty({ enum: EXECUTIONS }) execution: string;
  @ApiProperty() description: string;
  @ApiPropertyOptional() timeoutMs?: number;
  @ApiProperty({ enum: ['file', 'override'] }) source: string;
}

export class StrategiesDto {
  @ApiProperty({ type: [StrategyDto] }) strategies: StrategyDto[];
  @ApiProperty() totalEvents: number;
}

export class FindingDto {
  @ApiProperty({ enum: ['critical', 'high', 'medium', 'low', 'info'] }) severity: string;
  @ApiPropertyOptional({ example: 'src/config.ts' }) file?: string;
  @ApiPropertyOptional({ example: 11 }) line?: number;
  @ApiPropertyOptional({ example: 'secret/github-pat' }) rule?: string;
  @ApiProperty({ example: 'Secret committed: ghp_*** (github-pat)' }) message: string;
  @ApiPropertyOptional({ example: 'Revoke the credential, remove it from the history, and read it from a secret store or the environment' }) fix?: string;
}

export class AgentResultDto {
  @ApiProperty({ example: 'security-agent' }) agentId: string;
  @ApiProperty({ enum: ['llm', 'analyzer'], example: 'analyzer' }) kind: string;
  @ApiProperty({ enum: ['success', 'failed', 'skipped'] }) status: string;
  @ApiPropertyOptional({ enum: ['approve', 'request_changes', 'block', 'unknown'], description: 'unknown: an LLM agent answered without the structured verdict (never approves)' }) verdict?: string;
  @ApiProperty() output: string;
  @ApiProperty({ type: [FindingDto] }) findings: FindingDto[];
  @ApiProperty({ example: { intent: 'review_pr', action: 'review_pr', allowed: true } }) metadata: Record<string, unknown>;
  @ApiProperty({
    description: "What the agent's definition lets it do: block (its actions include block_pr), remember (its capabilities include remember_reviews)",
    example: { block: true, remember: false },
  })
  powers: Record<string, boolean>;
  @ApiProperty({ description: 'milliseconds' }) executionTime: number;
  @ApiPropertyOptional({ example: 'provider not configured: set OPENAI_BSM_KEY or OPENAI_API_KEY' }) reason?: string;
}

export class DecisionDto {
  @ApiProperty({ enum: ['approve', 'request_changes', 'block_pr', 'manual_review'] }) action: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: [String] }) reasons: string[];
  @ApiProperty({ type: [String] }) skippedAgents: string[];
  @ApiProperty() automated: boolean;
  @ApiPropertyOptional({ description: 'What was posted to GitHub, or { error }', example: { review: 'REQUEST_CHANGES', labels: ['blocked'], commentId: 1, commentCreated: true } })
  github?: Record<string, unknown>;
}

export class JobViewDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'pull_request.opened' }) event: string;
  @ApiProperty({ enum: JOB_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'acme/shop' }) repo: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 7 }) pr: number | null;
  @ApiPropertyOptional({ nullable: true, type: Object }) context: Record<string, unknown> | null;
  @ApiPropertyOptional({ nullable: true, type: [AgentResultDto] }) results: AgentResultDto[] | null;
  @ApiPropertyOptional({ nullable: true, type: DecisionDto }) decision: DecisionDto | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Report name for GET /api/reports/:jobId' }) report: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) error: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty() correlationId: string;
  @ApiProperty() createdAt: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) startedAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) finishedAt: Date | null;
}

export class JobPageDto {
  @ApiProperty({ type: [JobViewDto] }) jobs: JobViewDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

export class OverrideRemovedDto {
  @ApiProperty() event: string;
  @ApiProperty({ enum: [true] }) removed: true;
  @ApiPropertyOptional({ nullable: true, type: StrategyDto, description: 'The strategy now in force from the file, if any' }) now: StrategyDto | null;
}

export class ReportSummaryDto {
  @ApiProperty() jobId: string;
  @ApiProperty() event: string;
  @ApiPropertyOptional({ nullable: true, type: String }) repo: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) pr: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decision: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) finishedAt: Date | null;
}

export class ReportListDto {
  @ApiProperty({ type: [ReportSummaryDto] }) reports: ReportSummaryDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

export class ReportDto {
  @ApiProperty({ description: 'The JSON report: event, strategy, PR, per-agent results, decision, timings', type: Object }) json: Record<string, unknown>;
  @ApiProperty({ description: 'The same report in Markdown' }) markdown: string;
}

export class WebhookAnswerDto {
  @ApiProperty({ enum: ['queued', 'coalesced', 'requeued', 'duplicate', 'skipped', 'pong'] }) status: string;
  @ApiPropertyOptional() jobId?: string;
  @ApiPropertyOptional({ example: 'draft pull request' }) reason?: string;
}
