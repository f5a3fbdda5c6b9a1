import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';

interface Scope {
  correlationId: string;
  /** Who is calling, once a guard has established it (an API key's id). */
  caller?: string;
}

/**
 * The current request's correlation id (and caller) for code that has no request in hand:
 * services and repositories (audit entries, usage per API key), and outgoing calls that
 * forward the id.
 *
 * A bare AsyncLocalStorage of one small object, entered by `correlationScope` for each
 * request and by `run()` for background work. nestjs-cls was used before; its root module
 * always registers a global guard and a global interceptor (no-ops when not mounted), and
 * the interceptor alone sends every request through Nest's rxjs interceptor chain.
 */
@Injectable()
export class CorrelationContext {
  private readonly storage = new AsyncLocalStorage<Scope>();

  current(): string | undefined {
    return this.storage.getStore()?.correlationId;
  }

  /** The caller a guard identified for the current request, if any. */
  caller(): string | undefined {
    return this.storage.getStore()?.caller;
  }

  /** Records who is calling, for the rest of the current request (a no-op outside one). */
  identify(caller: string): void {
    const scope = this.storage.getStore();
    if (scope) scope.caller = caller;
  }

  run<T>(correlationId: string, work: () => T): T {
    return this.storage.run({ correlationId }, work);
  }
}
