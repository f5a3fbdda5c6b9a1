import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';

/**
 * The current request's correlation id for code that has no request in hand: services
 * and repositories (audit entries), and outgoing calls that forward it.
 */
@Injectable()
export class CorrelationContext {
  constructor(private readonly cls: ClsService) {}

  current(): string | undefined {
    return this.cls.isActive() ? this.cls.getId() : undefined;
  }
}
