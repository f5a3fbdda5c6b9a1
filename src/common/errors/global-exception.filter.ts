import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { resolveCorrelationId } from '../correlation/correlation.middleware';
import { isStorageUnavailable, isUnstorableText } from '../../infra/storage/storage-errors';
import { DomainException } from './domain.exception';
import { ErrorCode, statusOf, type AnyErrorCode } from './error-code';

/** What an exception answers: its status, code, message, details and headers. */
export interface MappedError {
  status: number;
  code: AnyErrorCode;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

/** A database restarting is usually back within seconds. */
const STORAGE_RETRY_AFTER_SECONDS = 2;

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.ValidationFailed,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.Unauthorized,
  [HttpStatus.FORBIDDEN]: ErrorCode.Forbidden,
  [HttpStatus.NOT_FOUND]: ErrorCode.NotFound,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PayloadTooLarge,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.UnsupportedMediaType,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RateLimited,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.ServiceUnavailable,
};

/** The answer for anything thrown while serving `req`. */
function mapError(thrown: unknown, req: Request): MappedError {
  // A domain exception thrown inside an Express middleware (the webhook body parser's verify hook) comes back
  // from body-parser with an http-errors status, and Nest wraps such errors in an HttpException: its code wins.
  const exception = thrown instanceof HttpException && thrown.cause instanceof DomainException ? thrown.cause : thrown;
  if (exception instanceof DomainException) {
    return {
      status: statusOf(exception.code) ?? HttpStatus.INTERNAL_SERVER_ERROR,
      code: exception.code,
      message: exception.message,
      details: exception.details,
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = STATUS_CODES[status];
    if (code === ErrorCode.NotFound) {
      return { status, code, message: `No route for ${req.method} ${req.path}` };
    }
    if (code) return { status, code, message: exception.message };
  }
  if (isStorageUnavailable(exception)) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      code: ErrorCode.StorageUnavailable,
      message: 'Storage is unavailable: retry shortly',
      headers: { 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) },
    };
  }
  if (isUnstorableText(exception)) {
    return {
      status: HttpStatus.BAD_REQUEST,
      code: ErrorCode.ValidationFailed,
      message: 'Text holding U+0000 (NUL) cannot be stored: remove the character and send it again',
    };
  }
  return { status: 500, code: ErrorCode.InternalError, message: 'Internal server error' };
}

/**
 * Answers an exception: maps it (mapError), logs an unexpected one with its stack, sets its headers and the
 * correlation id, and writes `body(error, correlationId)` with its status — or ends a response already begun.
 */
export function replyWithError(
  exception: unknown,
  host: ArgumentsHost,
  logger: PinoLogger,
  body: (error: MappedError, correlationId: string) => unknown,
): void {
  const http = host.switchToHttp();
  const req = http.getRequest<Request>();
  const res = http.getResponse<Response>();
  const correlationId = req.correlationId ?? resolveCorrelationId(undefined);
  const error = mapError(exception, req);
  if (error.status >= 500 && error.code === ErrorCode.InternalError) {
    logger.error({ err: exception, correlationId }, 'unhandled error');
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
  res.setHeader('x-correlation-id', correlationId);
  res.status(error.status).json(body(error, correlationId));
}

/** The single place errors become HTTP responses: one envelope, one header, no stacks or secrets. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext(GlobalExceptionFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    replyWithError(exception, host, this.logger, (error, correlationId) => ({
      error: {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      },
      correlationId,
    }));
  }
}
