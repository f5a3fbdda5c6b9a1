import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';

/**
 * The current request's correlation id for code that has no request in hand: services
 * and repositories (audit entries), and outgoing calls that forward it.
 *
 * A bare AsyncLocalStorage of one string, entered by `correlationScope` for each request
 * and by `run()` for background work. nestjs-cls was used before; its root module always
 * registers a global guard and a global interceptor (no-ops when not mounted), and the
 * interceptor alone sends every request through Nest's rxjs interceptor chain.
 */
@Injectable()
export class CorrelationContext {
  private readonly storage = new AsyncLocalStorage<string>();

  current(): string | undefined {
    return this.storage.getStore();
  }

  run<T>(correlationId: string, work: () => T): T {
    return this.storage.run(correlationId, work);
  }
}
