import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Env } from '../../infra/config/env.schema';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';
import { MOBILE_RESTRICTED } from './route-policy';

/** MOBILE_MODE keeps chat and reads open and refuses routes marked @MobileRestricted(). */
@Injectable()
export class MobileModeGuard implements CanActivate {
  private readonly enabled: boolean;

  constructor(
    config: ConfigService<Env, true>,
    private readonly reflector: Reflector,
  ) {
    this.enabled = config.get('MOBILE_MODE', { infer: true });
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.enabled) return true;
    if (!this.reflector.getAllAndOverride<boolean>(MOBILE_RESTRICTED, [context.getHandler(), context.getClass()])) {
      return true;
    }
    throw new DomainException(
      ErrorCode.MobileModeRestriction,
      'MOBILE_MODE is on: this route changes state and is not available',
    );
  }
}
