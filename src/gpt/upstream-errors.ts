import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { BreakerOpenError } from '../infra/resilience/breaker-registry';
import { BulkheadRejectedError } from '../infra/resilience/bulkhead';
import { UpstreamFailure } from './upstream-failure';

const retryAfter = (ms: number) => ({ 'Retry-After': String(Math.max(1, Math.ceil(ms / 1000))) });

/** What a failed call to one model means for BSM's caller, as a domain error. */
export function toDomainError(error: unknown, provider: string, model: string): DomainException {
  if (error instanceof DomainException) return error;
  const target = `${provider} (${model})`;
  if (error instanceof BreakerOpenError) {
    return new DomainException(ErrorCode.UpstreamCircuitOpen, `${target} is failing; calls are suspended until the circuit half-opens`, {
      headers: retryAfter(error.retryAfterMs),
      details: { provider, model, retryAfterMs: error.retryAfterMs },
    });
  }
  if (error instanceof BulkheadRejectedError) {
    return new DomainException(ErrorCode.UpstreamBusy, `${target} is at its concurrency limit (${error.reason.replace('_', ' ')})`, {
      headers: retryAfter(1000),
      details: { provider, model, reason: error.reason },
    });
  }
  if (error instanceof UpstreamFailure) {
    const details = { provider, model, ...(error.status === undefined ? {} : { upstreamStatus: error.status }) };
    if (error.kind === 'timeout') return new DomainException(ErrorCode.UpstreamTimeout, `${target} did not answer in time`, { details });
    if (error.status === 401 || error.status === 403) {
      return new DomainException(
        ErrorCode.UpstreamAuthFailed,
        `${target} refused BSM's credentials (${error.status}): check the provider's key in the configuration`,
        { details },
      );
    }
    if (error.isClientError) {
      return new DomainException(ErrorCode.UpstreamRejected, `${target} rejected the request (${error.status})`, { details });
    }
    return new DomainException(ErrorCode.UpstreamError, `${target} failed: ${error.message}`, { details });
  }
  return new DomainException(ErrorCode.UpstreamError, `${target} failed`, { details: { provider, model }, cause: error });
}
