import { Global, Module } from '@nestjs/common';
import type { Request } from 'express';
import { ClsModule, type ClsInterceptorOptions } from 'nestjs-cls';
import { CorrelationContext } from './correlation-context';

export const CORRELATION_INTERCEPTOR_OPTIONS: ClsInterceptorOptions = {
  mount: true,
  generateId: true,
  // BSM registers no CLS proxy providers; resolving them costs a dynamic require per request.
  resolveProxyProviders: false,
  idGenerator: (context) => context.switchToHttp().getRequest<Request>().correlationId,
};

/** AsyncLocalStorage context opened by an interceptor around every handler, keyed by the correlation id. */
@Global()
@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      interceptor: CORRELATION_INTERCEPTOR_OPTIONS,
    }),
  ],
  providers: [CorrelationContext],
  exports: [CorrelationContext],
})
export class CorrelationModule {}
