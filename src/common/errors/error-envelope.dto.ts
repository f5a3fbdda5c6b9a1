import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorBodyDto {
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'A declared error code: the table in docs/errors.md' })
  code: string;

  @ApiProperty({ example: 'limit must not be greater than 100' })
  message: string;

  @ApiPropertyOptional({
    description: 'Structured detail; for VALIDATION_FAILED a list of { field, messages }.',
    example: [{ field: 'limit', messages: ['limit must not be greater than 100'] }],
  })
  details?: unknown;
}

export class ErrorEnvelopeDto {
  @ApiProperty({ type: ErrorBodyDto })
  error: ErrorBodyDto;

  @ApiProperty({ example: '5f0c6c2e-3a8e-4a53-9a43-2b1f0f0c9d7e' })
  correlationId: string;
}
