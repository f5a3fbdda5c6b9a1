import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { statusOf, type AnyErrorCode } from './error-code';
import { ErrorEnvelopeDto } from './error-envelope.dto';

/** Documents the error envelope for each code a route can return, grouped by status. */
export function ApiErrors(...codes: AnyErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, AnyErrorCode[]>();
  for (const code of codes) {
    const status = statusOf(code);
    if (status === undefined) throw new Error(`ApiErrors: error code ${code} is not declared`);
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
