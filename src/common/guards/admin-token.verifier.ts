import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import type { Env } from '../../infra/config/env.schema';
import { bearerToken, headerValue, matchesAnySecret } from './secret-match';

export type AdminTokenVerdict = 'disabled' | 'missing' | 'invalid' | 'valid';

/** Reads the admin token from x-admin-token or Authorization: Bearer — never from the query string. */
@Injectable()
export class AdminTokenVerifier {
  private readonly token: string | undefined;

  constructor(config: ConfigService<Env, true>) {
    this.token = config.get('ADMIN_TOKEN', { infer: true });
  }

  verify(req: Request): AdminTokenVerdict {
    if (!this.token) return 'disabled';
    const given = headerValue(req, 'x-admin-token') ?? bearerToken(req);
    if (!given) return 'missing';
    return matchesAnySecret(given, [this.token]) ? 'valid' : 'invalid';
  }
}
