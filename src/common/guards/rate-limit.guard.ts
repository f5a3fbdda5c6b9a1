import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';

/** @nestjs/throttler with BSM's error envelope and a Retry-After in whole seconds. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new DomainException(ErrorCode.RateLimited, `Too many requests: retry in ${retryAfter} s`, {
      headers: { 'Retry-After': String(retryAfter) },
      details: { limit: detail.limit, windowMs: detail.ttl },
    });
  }
}
