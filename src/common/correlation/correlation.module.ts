import { Global, Module } from '@nestjs/common';
import type { Request } from 'express';
import { ClsModule } from 'nestjs-cls';
import { CorrelationContext } from './correlation-context';

/** AsyncLocalStorage context opened by an interceptor around every handler, keyed by the correlation id. */
@Global()
@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      interceptor: {
        mount: true,
        generateId: true,
        idGenerator: (context) => context.switchToHttp().getRequest<Request>().correlationId,
      },
    }),
  ],
  providers: [CorrelationContext],
  exports: [CorrelationContext],
})
export class CorrelationModule {}
