import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type ApiResponseOptions } from '@nestjs/swagger';
import { exampleMessageOf, statusOf, type AnyErrorCode } from './error-code';
import { ErrorEnvelopeDto } from './error-envelope.dto';

/** The documented answer of one status: the error envelope, with an example per code (its own message). */
export function errorResponse(status: number, codes: readonly AnyErrorCode[], extra: Partial<ApiResponseOptions> = {}): ApiResponseOptions {
  return {
    status,
    description: codes.join(' | '),
    type: ErrorEnvelopeDto,
    examples: Object.fromEntries(
      codes.map((code) => [code, { summary: code, value: { error: { code, message: exampleMessageOf(code) }, correlationId: '5f0c6c2e-3a8e-4a53-9a43-2b1f0f0c9d7e' } }]),
    ),
    ...extra,
  } as ApiResponseOptions;
}

/** Documents the error envelope for each code a route can return, grouped by status, with an example per code. */
export function ApiErrors(...codes: AnyErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, AnyErrorCode[]>();
  for (const code of codes) {
    const status = statusOf(code);
    if (status === undefined) throw new Error(`ApiErrors: error code ${code} is not declared`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(...[...byStatus.entries()].map(([status, grouped]) => ApiResponse(errorResponse(status, grouped))));
}
