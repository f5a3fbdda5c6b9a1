import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Env } from '../../infra/config/env.schema';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';
import { SIGNED_ROUTE } from './route-policy';
import { bearerToken, headerValue, matchesAnySecret } from './secret-match';

/** When API_KEYS is set, every /api route except signed webhooks needs one of the keys. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: string[];

  constructor(
    config: ConfigService<Env, true>,
    private readonly reflector: Reflector,
  ) {
    this.keys = config.get('API_KEYS', { infer: true });
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.keys.length === 0) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const routePath: string = req.route?.path ?? req.path;
    if (!routePath.startsWith('/api')) return true;
    if (this.reflector.getAllAndOverride<boolean>(SIGNED_ROUTE, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const candidates = [headerValue(req, 'x-api-key'), bearerToken(req)];
    if (candidates.some((candidate) => matchesAnySecret(candidate, this.keys))) return true;
    throw new DomainException(
      ErrorCode.Unauthorized,
      candidates.some(Boolean) ? 'API key is not valid' : 'API key required in x-api-key or Authorization: Bearer',
    );
  }
}
