import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';

/** @nestjs/throttler with BSM's error envelope and a Retry-After in whole seconds. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /**
   * The library hashes this key with SHA-256 on every request; the storage keeps it in a
   * Map for one window only, so the plain string serves as well, at no cost.
   */
  protected override generateKey(context: ExecutionContext, suffix: string, name: string): string {
    return `${context.getClass().name}:${context.getHandler().name}:${name}:${suffix}`;
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new DomainException(ErrorCode.RateLimited, `Too many requests: retry in ${retryAfter} s`, {
      headers: { 'Retry-After': String(retryAfter) },
      details: { limit: detail.limit, windowMs: detail.ttl },
    });
  }
}
