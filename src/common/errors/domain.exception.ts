import type { AnyErrorCode } from './error-code';

export interface DomainExceptionOptions {
  details?: unknown;
  /** Response headers the error implies, e.g. Retry-After. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The one exception services throw. It names a code, never an HTTP status: the global
 * filter maps the code to the status it was declared with (see defineErrorCodes).
 */
export class DomainException extends Error {
  declare readonly code: AnyErrorCode;
  declare readonly details?: unknown;
  declare readonly headers: Record<string, string>;

  constructor(code: AnyErrorCode, message: string, options: DomainExceptionOptions = {}) {
    // An expected outcome, answered with its code, never logged with a stack: capturing one
    // (async frames included) was the largest single cost of a fast-failing request.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message, { cause: options.cause });
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'DomainException';
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}
