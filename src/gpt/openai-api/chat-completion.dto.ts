import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { MAX_INPUT_CHARS } from '../dto/chat.dto';

export const OPENAI_ROLES = ['system', 'developer', 'user', 'assistant'] as const;
const MAX_MESSAGES = 100;

/** A string, or OpenAI's list of content parts of which only `text` parts are supported. */
function IsMessageContent(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMessageContent',
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'string' && value.length <= MAX_INPUT_CHARS) ||
          (Array.isArray(value) &&
            value.length > 0 &&
            value.every((part) => part !== null && typeof part === 'object' && part.type === 'text' && typeof part.text === 'string')),
        defaultMessage: (args) =>
          `${args?.property ?? "content"} must be a string of at most ${MAX_INPUT_CHARS} characters or a list of { type: "text", text } parts`,
      },
    },
    options,
  );
}

export class ChatCompletionMessageDto {
  @ApiProperty({ enum: OPENAI_ROLES, example: 'user' })
  @IsIn(OPENAI_ROLES)
  role: (typeof OPENAI_ROLES)[number];

  @ApiProperty({ example: 'How do we roll back a release?', description: 'A string, or a list of `{ type: "text", text }` parts' })
  @IsMessageContent()
  content: string | Array<{ type: 'text'; text: string }>;

  @ApiPropertyOptional({ example: 'alice', description: 'Accepted, not used' })
  @IsOptional()
  @IsString()
  name?: string;
}

export class StreamOptionsDto {
  @ApiPropertyOptional({ example: true, description: 'Send a last chunk with the usage' })
  @IsOptional()
  @IsBoolean()
  include_usage?: boolean;

  @ApiPropertyOptional({ example: false, description: 'Accepted, not used' })
  @IsOptional()
  @IsBoolean()
  include_obfuscation?: boolean;
}

/** OpenAI's chat completion request, as far as BSM serves it. Sampling parameters are accepted, not forwarded. */
export class ChatCompletionRequestDto {
  @ApiProperty({ example: 'gpt-4o-mini', description: 'A model of GET /v1/models, or a task (`chat_response`, `code_review`, …) routed at medium complexity' })
  @IsString()
  @MinLength(1)
  model: string;

  @ApiProperty({ type: [ChatCompletionMessageDto], minItems: 1, maxItems: MAX_MESSAGES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MESSAGES)
  @ValidateNested({ each: true })
  @Type(() => ChatCompletionMessageDto)
  messages: ChatCompletionMessageDto[];

  @ApiPropertyOptional({ example: false, default: false })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({ type: StreamOptionsDto, example: { include_usage: true } })
  @IsOptional()
  @ValidateNested()
  @Type(() => StreamOptionsDto)
  stream_options?: StreamOptionsDto;

  @ApiPropertyOptional({ example: 1, description: 'Only 1 is supported' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1, { message: 'n must be 1: BSM returns one choice' })
  n?: number;

  @ApiPropertyOptional({ example: 0.2, description: 'Accepted, not forwarded' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number;

  @ApiPropertyOptional({ example: 1, description: 'Accepted, not forwarded' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  top_p?: number;

  @ApiPropertyOptional({ example: 512, description: 'Accepted, not forwarded' })
  @IsOptional()
  @IsInt()
  @Min(1)
  max_tokens?: number;

  @ApiPropertyOptional({ example: 512, description: 'Accepted, not forwarded' })
  @IsOptional()
  @IsInt()
  @Min(1)
  max_completion_tokens?: number;

  @ApiPropertyOptional({ example: 'user-1234', description: 'Accepted, not forwarded' })
  @IsOptional()
  @IsString()
  user?: string;
}
