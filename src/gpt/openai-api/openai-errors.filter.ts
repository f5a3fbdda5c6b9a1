import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ErrorCode } from '../../common/errors/error-code';
import { replyWithError } from '../../common/errors/global-exception.filter';
import type { FieldError } from '../../common/http/validation';

/** OpenAI's error `type` per status, which its SDKs and the tools built on them read. */
function typeOf(status: number): string {
  if (status === HttpStatus.UNAUTHORIZED) return 'authentication_error';
  if (status === HttpStatus.FORBIDDEN) return 'permission_error';
  if (status === HttpStatus.NOT_FOUND) return 'not_found_error';
  if (status === HttpStatus.TOO_MANY_REQUESTS) return 'rate_limit_error';
  if (status < 500) return 'invalid_request_error';
  return 'api_error';
}

/**
 * The /v1 routes answer in OpenAI's error shape, `{ error: { message, type, code, param } }`, so OpenAI
 * clients surface BSM's errors as their own (a 503 with Retry-After, a 401 for a missing key): the one
 * documented exception to BSM's envelope. The status, `Retry-After` and `x-correlation-id` are BSM's;
 * `code` is BSM's error code.
 */
@Catch()
export class OpenAiErrorsFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext(OpenAiErrorsFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    replyWithError(exception, host, this.logger, (error) => {
      const fields = error.code === ErrorCode.ValidationFailed && Array.isArray(error.details) ? (error.details as FieldError[]) : [];
      return { error: { message: error.message, type: typeOf(error.status), code: error.code, param: fields[0]?.field ?? null } };
    });
  }
}
