import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { EVENT_NAME_PATTERN, EXECUTIONS, ON_FAILURE } from '../events/events-config';
import { JOB_STATUSES } from '../orchestrator.model';

export class RunRequestDto {
  @ApiProperty({ example: 'pull_request.opened', pattern: EVENT_NAME_PATTERN.source })
  @IsString()
  @Matches(EVENT_NAME_PATTERN, { message: `event must match ${EVENT_NAME_PATTERN.source}` })
  event: string;

  @ApiProperty({
    description: 'A GitHub pull_request payload; `files` (GitHub list-files shape: filename, status, additions, deletions, patch) adds the diff',
    example: { pull_request: { number: 7, title: 'Add login', body: 'Adds the login form with tests.' }, repository: { full_name: 'acme/shop' }, files: [] },
  })
  @IsObject()
  payload: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Free-form context stored with the job' })
  @IsOptional()
  @IsObject()
  context?: Record<string, unknown>;
}

export class RunAcceptedDto {
  @ApiProperty() jobId: string;
  @ApiProperty({ enum: ['queued'] }) status: 'queued';
}

export class JobsQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
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

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

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
