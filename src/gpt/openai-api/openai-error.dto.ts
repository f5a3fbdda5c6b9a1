import { ApiProperty } from '@nestjs/swagger';

export class OpenAiErrorBodyDto {
  @ApiProperty({ example: 'openai (gpt-4o-mini) is failing; calls are suspended until the circuit half-opens' })
  message: string;

  @ApiProperty({ example: 'api_error', description: "OpenAI's type for the status" })
  type: string;

  @ApiProperty({ example: 'UPSTREAM_CIRCUIT_OPEN', description: "BSM's error code (docs/errors.md)" })
  code: string;

  @ApiProperty({ example: null, nullable: true, type: String, description: 'The first invalid field of a 400' })
  param: string | null;
}

/** The error shape of the OpenAI-compatible routes. */
export class OpenAiErrorDto {
  @ApiProperty({ type: OpenAiErrorBodyDto })
  error: OpenAiErrorBodyDto;
}
