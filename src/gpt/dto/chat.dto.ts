import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsText } from '../../common/http/is-text';
import { AGENT_ID_PATTERN } from '../../agents/agent.model';
import { ErrorCode } from '../../common/errors/error-code';

export const MAX_INPUT_CHARS = 16_000;
export const MAX_HISTORY_ITEMS = 20;
export const MAX_HISTORY_ITEM_CHARS = 4_000;
export const LANGUAGES = ['ar', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export class HistoryItemDto {
  @ApiProperty({ enum: ['user', 'assistant'], example: 'user' })
  @IsIn(['user', 'assistant'])
  role: 'user' | 'assistant';

  @ApiProperty({ maxLength: MAX_HISTORY_ITEM_CHARS, example: 'We link the library dynamically.' })
  @IsText(MAX_HISTORY_ITEM_CHARS, { allowEmpty: true })
  content: string;
}

class ConversationDto {
  @ApiPropertyOptional({ type: [HistoryItemDto], maxItems: MAX_HISTORY_ITEMS, description: 'Earlier turns, oldest first' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_HISTORY_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => HistoryItemDto)
  history?: HistoryItemDto[];

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'en', example: 'en', description: 'Language of the answer' })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({
    example: false,
    default: false,
    description:
      'Answer as server-sent events (`text/event-stream`): `meta`, then `delta` per chunk, then `done` or `error`. `Accept: text/event-stream` asks the same.',
  })
  @IsOptional()
  @IsBoolean({ message: 'stream must be true or false' })
  stream?: boolean;
}

export class ChatRequestDto extends ConversationDto {
  @ApiProperty({ example: 'legal-agent' })
  @IsString()
  @Matches(AGENT_ID_PATTERN, { message: 'agentId must match ^[a-z0-9][a-z0-9-]{0,63}$' })
  agentId: string;

  @ApiPropertyOptional({ example: 'Can we ship GPL-3.0 code in our SaaS?', maxLength: MAX_INPUT_CHARS, description: 'The message (or use `message`)' })
  @ValidateIf((body: ChatRequestDto) => body.message === undefined || body.input !== undefined)
  @IsText(MAX_INPUT_CHARS, { message: `input (or message) is required: a non-empty string of at most ${MAX_INPUT_CHARS} characters` })
  input?: string;

  @ApiPropertyOptional({ description: 'Alias of `input`', example: 'Can we ship GPL-3.0 code in our SaaS?', maxLength: MAX_INPUT_CHARS })
  @IsOptional()
  @IsText(MAX_INPUT_CHARS)
  message?: string;
}

export class DirectChatRequestDto extends ConversationDto {
  @ApiProperty({ example: 'How do we roll back a release?', maxLength: MAX_INPUT_CHARS })
  @IsText(MAX_INPUT_CHARS)
  message: string;
}

export class RunAgentRequestDto {
  @ApiProperty({ example: 'code-review-agent' })
  @IsString()
  @Matches(AGENT_ID_PATTERN, { message: 'agentId must match ^[a-z0-9][a-z0-9-]{0,63}$' })
  agentId: string;

  @ApiProperty({ example: 'Review this function for error handling: ...', maxLength: MAX_INPUT_CHARS })
  @IsText(MAX_INPUT_CHARS)
  input: string;
}

export class UsageDto {
  @ApiProperty() promptTokens: number;
  @ApiProperty() completionTokens: number;
  @ApiProperty() totalTokens: number;
}

export class AttemptDto {
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ example: 'gpt-4o-mini' }) model: string;
  @ApiProperty({
    example: 'success',
    description: "'success', the error code of that attempt, or 'SKIPPED' (not called: provider not configured or breaker open)",
    enum: ['success', 'SKIPPED', ...Object.values(ErrorCode)],
  })
  outcome: string;
  @ApiPropertyOptional({ example: 'openai (gpt-4o) is failing; calls are suspended until the circuit half-opens', description: 'why a model was skipped' })
  reason?: string;
}

export class ChatResponseDto {
  @ApiProperty() output: string;
  @ApiProperty({ nullable: true, example: 'legal-agent', type: String }) agentId: string | null;
  @ApiProperty({ example: 'gpt-4o-mini' }) model: string;
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ type: UsageDto }) usage: UsageDto;
  @ApiPropertyOptional({ type: [String] }) citations?: string[];
  @ApiProperty({ type: [AttemptDto], description: 'Models tried, in order; more than one when a fallback answered' })
  attempts: AttemptDto[];
  @ApiProperty() correlationId: string;
}

export class ProviderStatusDto {
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty() configured: boolean;
  @ApiProperty({ example: 'api.openai.com', description: 'Host of the endpoint; never key material' }) endpointHost: string;
  @ApiProperty({ example: 'OPENAI_API_KEY', description: 'The variable that configures it' }) variable: string;
  @ApiProperty({ enum: ['closed', 'open', 'half-open'] }) breaker: string;
}

export class KeyStatusDto {
  @ApiProperty({ type: [ProviderStatusDto] }) providers: ProviderStatusDto[];
}
