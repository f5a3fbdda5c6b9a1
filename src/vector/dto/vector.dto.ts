import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

const NOT_BLANK = /\S/;

export class CreateReviewDto {
  @ApiProperty({ example: 'const user = await db.query(`SELECT * FROM users WHERE id = ${id}`);' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'code must not be empty' })
  code: string;

  @ApiProperty({ example: 'SQL built by string interpolation: use a parameterised query.' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'review must not be empty' })
  review: string;

  @ApiPropertyOptional({ example: { repo: 'acme/api', pr: 42, file: 'src/users.ts' } })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export class CreatedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class ReviewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() review: string;
  @ApiProperty({ example: { repo: 'acme/api' } }) metadata: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class SearchReviewsDto {
  @ApiProperty({ example: 'db.query(`SELECT * FROM orders WHERE id = ${orderId}`)' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'code must not be empty' })
  code: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 50, default: 5, example: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  topK: number = 5;
}

export class SearchResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 0.42, description: 'Jaccard similarity of the token sets' }) score: number;
  @ApiProperty() review: string;
  @ApiProperty() metadata: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class SearchResultsDto {
  @ApiProperty({ type: [SearchResultDto] }) results: SearchResultDto[];
}

export const DECISION_ACTIONS = ['approve', 'request_changes', 'block_pr', 'manual_review'];

/** A decision as the orchestrator records it; further fields (reasons, skippedAgents, …) are kept. */
export class DecisionBodyDto {
  @ApiProperty({ enum: DECISION_ACTIONS, example: 'block_pr' })
  @IsIn(DECISION_ACTIONS, { message: `decision.action must be one of ${DECISION_ACTIONS.join(', ')}` })
  action: string;

  @ApiPropertyOptional({ example: 'Secret committed in src/config.ts:12' })
  @IsOptional()
  @IsString()
  reason?: string;

  @ApiPropertyOptional({ type: [String], example: ['security-agent: Secret committed: ghp_*** (github-pat)'] })
  @IsOptional()
  @IsString({ each: true })
  reasons?: string[];

  @ApiPropertyOptional({ type: [String], example: ['legal-agent'] })
  @IsOptional()
  @IsString({ each: true })
  skippedAgents?: string[];

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  automated?: boolean;
}

export class CreateDecisionDto {
  @ApiProperty({ type: DecisionBodyDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DecisionBodyDto)
  decision: DecisionBodyDto;

  @ApiPropertyOptional({ example: { repo: 'acme/api', pr: 42, event: 'pull_request.opened' } })
  @IsOptional()
  @IsObject()
  context?: Record<string, unknown>;
}

export class RejectionPatternsQueryDto {
  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsDateString({}, { message: 'since must be an ISO 8601 date' })
  since?: string;
}

export class RejectionPatternsDto {
  @ApiProperty({ example: 20 }) total: number;
  @ApiProperty({ example: 5 }) rejections: number;
  @ApiProperty({ example: '25.00%' }) rejectionRate: string;
  @ApiProperty({ example: { 'Secret committed': 3 }, description: 'Reasons of rejections, most common first' })
  commonReasons: Record<string, number>;
  @ApiProperty({ type: String, nullable: true }) since: string | null;
}
