import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from './error-code';
import { ErrorEnvelopeDto } from './error-envelope.dto';

/** Documents the error envelope for each code a route can return, grouped by status. */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus.entries()].map(([status, grouped]) =>
      ApiResponse({
        status,
        description: grouped.join(' | '),
        type: ErrorEnvelopeDto,
      }),
    ),
  );
}
