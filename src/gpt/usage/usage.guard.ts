import { applyDecorators, CanActivate, Injectable, UseGuards } from '@nestjs/common';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ErrorCode } from '../../common/errors/error-code';
import { UsageService } from './usage.service';

/** Counts the request against its API key's usage and limits (after the policy guard identified the key). */
@Injectable()
export class UsageGuard implements CanActivate {
  constructor(private readonly usage: UsageService) {}

  async canActivate(): Promise<boolean> {
    await this.usage.admit();
    return true;
  }
}

/** An LLM route: counted per API key, refused past the key's API_KEY_LIMITS. */
export const Metered = () => applyDecorators(UseGuards(UsageGuard), ApiErrors(ErrorCode.RateLimited));
