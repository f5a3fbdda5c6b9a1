import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { CORRELATION_HEADER } from './correlation.middleware';

/**
 * The current request's correlation id for code that has no request in hand: services,
 * repositories and outgoing HTTP clients (which forward it as x-correlation-id).
 */
@Injectable()
export class CorrelationContext {
  constructor(private readonly cls: ClsService) {}

  current(): string | undefined {
    return this.cls.isActive() ? this.cls.getId() : undefined;
  }

  outgoingHeaders(): Record<string, string> {
    const id = this.current();
    return id ? { [CORRELATION_HEADER]: id } : {};
  }
}
