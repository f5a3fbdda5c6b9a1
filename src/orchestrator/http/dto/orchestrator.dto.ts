import { ApiProperty, ApiPropertyOptional, OmitType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { DECISION_ACTIONS, type DecisionAction } from '../../../review/review.model';
import type { JobFilter, JobStatus } from '../../jobs/job-store';
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

  @ApiPropertyOptional({
    description:
      "The repository configuration, in the shape of `.bsm.yml` (ignore: path globs; allow: fingerprints or SHA-256 of secrets; rules: rule id → off or a severity; secrets.rules: extra secret formats; agents: which of the event's agents run). Used instead of the repository's file; each problem is answered with its field.",
    example: { ignore: ['vendor/**'], rules: { 'code/weak-crypto/js-math-random-secret': 'low' }, agents: ['security-agent'] },
  })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;
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

  @ApiPropertyOptional({ enum: DECISION_ACTIONS, example: 'block_pr', description: "The decision's action" })
  @IsOptional()
  @IsIn(DECISION_ACTIONS)
  decision?: DecisionAction;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'Created at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date or time' })
  since?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Created before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date or time' })
  until?: string;

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

/** The store's filter for a query's fields. */
export function jobFilterOf(query: Omit<JobsQueryDto, 'status'> & { status?: string }): JobFilter {
  return {
    status: query.status as JobStatus | undefined,
    event: query.event,
    repo: query.repo,
    pr: query.pr,
    decision: query.decision,
    since: query.since === undefined ? undefined : new Date(query.since),
    until: query.until === undefined ? undefined : new Date(query.until),
  };
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

export class SeverityCountsDto {
  @ApiProperty({ example: 0 }) critical: number;
  @ApiProperty({ example: 1 }) high: number;
  @ApiProperty({ example: 2 }) medium: number;
  @ApiProperty({ example: 0 }) low: number;
  @ApiProperty({ example: 0 }) info: number;
}

export class ReviewRowDto {
  @ApiProperty({ example: '0b9f6c7e-3d1a-4c55-9d0e-5c1f2a3b4c5d' }) jobId: string;
  @ApiProperty({ enum: JOB_STATUSES, example: 'completed' }) status: JobStatus;
  @ApiProperty({ example: 'pull_request.opened' }) event: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'acme/shop' }) repo: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 7 }) pr: number | null;
  @ApiProperty({ example: 'Charge cards through the new gateway' }) title: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: '6dcb09b5b57875f334f61aebed695e2e4193db5e' }) headSha: string | null;
  @ApiPropertyOptional({ nullable: true, enum: DECISION_ACTIONS, example: 'request_changes' }) decision: DecisionAction | null;
  @ApiProperty({ type: SeverityCountsDto }) findings: SeverityCountsDto;
  @ApiProperty({ example: '2026-11-29T10:00:00.000Z' }) createdAt: Date;
  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-11-29T10:00:04.200Z' }) finishedAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 4200 }) durationMs: number | null;
}

export class ReviewPageDto {
  @ApiProperty({ type: [ReviewRowDto] }) reviews: ReviewRowDto[];
  @ApiPropertyOptional({ nullable: true, type: String, example: '1732870000123' }) nextCursor: string | null;
}

export class ChangedFileDto {
  @ApiProperty({ example: 'src/payments/charge.ts' }) filename: string;
  @ApiPropertyOptional({ example: 'modified' }) status?: string;
  @ApiPropertyOptional({ example: 12 }) additions?: number;
  @ApiPropertyOptional({ example: 3 }) deletions?: number;
  @ApiPropertyOptional({ example: '@@ -1,2 +1,3 @@\n import { charge } from "./api";\n+const key = "sk_l***";' }) patch?: string;
}

export class JobFilesDto {
  @ApiProperty({ type: [ChangedFileDto] }) files: ChangedFileDto[];
  @ApiProperty({ example: 1, description: 'Secrets found in the diff, each shown masked' }) secretsMasked: number;
  @ApiProperty({ example: false, description: 'The diff was fetched from GitHub at run time and not stored' }) fetchedAtRunTime: boolean;
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

/** A page of dead letters: the same `limit` as a page of jobs; the cursor is a dead letter's id. */
export class DeadLettersQueryDto extends PickType(JobsQueryDto, ['limit'] as const) {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page', example: '8d1f0c2a-4b3e-4c5d-9e6f-7a8b9c0d1e2f' })
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class DeadLetterDto {
  @ApiProperty({ description: 'The dead letter (its id in the dead-letter queue)', example: '8d1f0c2a-4b3e-4c5d-9e6f-7a8b9c0d1e2f' }) id: string;
  @ApiProperty({ description: 'The job it stands for', example: '3f2b6c1e-9d4a-4f6e-8b1a-2c3d4e5f6a7b' }) jobId: string;
  @ApiProperty({ nullable: true, type: String, example: 'pull_request.opened' }) event: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'acme/shop' }) repo: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 7 }) pr: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Runs of the job so far', example: 3 }) attempts: number | null;
  @ApiProperty({ nullable: true, type: String, description: "The last attempt's error", example: 'connect ECONNREFUSED 127.0.0.1:443' }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) failedAt: Date;
}

export class DeadLetterPageDto {
  @ApiProperty({ type: [DeadLetterDto] }) deadLetters: DeadLetterDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}
