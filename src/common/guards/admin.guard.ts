import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import type { Env } from '../../infra/config/env.schema';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';
import { bearerToken, headerValue, matchesAnySecret } from './secret-match';

/** Admin token from x-admin-token or Authorization: Bearer — never from the query string. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly token: string | undefined;

  constructor(config: ConfigService<Env, true>) {
    this.token = config.get('ADMIN_TOKEN', { infer: true });
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.token) {
      throw new DomainException(
        ErrorCode.AdminDisabled,
        'Admin routes are disabled: set ADMIN_TOKEN (at least 16 characters) to enable them',
      );
    }
    const req = context.switchToHttp().getRequest<Request>();
    const given = headerValue(req, 'x-admin-token') ?? bearerToken(req);
    if (!given) {
      throw new DomainException(ErrorCode.Unauthorized, 'Admin token required in x-admin-token or Authorization: Bearer');
    }
    if (!matchesAnySecret(given, [this.token])) {
      throw new DomainException(ErrorCode.Unauthorized, 'Admin token is not valid');
    }
    return true;
  }
}
