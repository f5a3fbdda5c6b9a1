import { ErrorCode } from './error-code';

export interface DomainExceptionOptions {
  details?: unknown;
  /** Response headers the error implies, e.g. Retry-After. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The one exception services throw. It names a code, never an HTTP status: the global
 * filter maps the code to a status through ERROR_STATUS.
 */
export class DomainException extends Error {
  readonly details?: unknown;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: DomainExceptionOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DomainException';
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}
