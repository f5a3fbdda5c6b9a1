import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';
import { AdminTokenVerifier } from './admin-token.verifier';

@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly verifier: AdminTokenVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    switch (this.verifier.verify(context.switchToHttp().getRequest<Request>())) {
      case 'valid':
        return true;
      case 'disabled':
        throw new DomainException(
          ErrorCode.AdminDisabled,
          'Admin routes are disabled: set ADMIN_TOKEN (at least 16 characters) to enable them',
        );
      case 'missing':
        throw new DomainException(ErrorCode.Unauthorized, 'Admin token required in x-admin-token or Authorization: Bearer');
      case 'invalid':
        throw new DomainException(ErrorCode.Unauthorized, 'Admin token is not valid');
    }
  }
}
