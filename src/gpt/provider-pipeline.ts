import { attemptWithin } from '../infra/resilience/abort';
import type { ManagedBreaker } from '../infra/resilience/breaker-registry';
import type { Bulkhead } from '../infra/resilience/bulkhead';
import { withRetries, type Deadline, type RetryPolicy } from '../infra/resilience/retry';
import type { LlmCompletion, LlmProvider, LlmRequest } from './ports/llm-provider';
import { UpstreamFailure } from './upstream-failure';

/** Timeouts and retry policy of every LLM call, from config (a factory provider in gpt.module.ts). */
export class LlmCallSettings {
  attemptTimeoutMs!: number;
  deadlineMs!: number;
  retry!: RetryPolicy;
  maxQueue!: number;
  maxQueueWaitMs!: number;
}

/**
 * One provider behind its resilience layers, outermost first:
 * bulkhead → retry → circuit breaker → per-attempt timeout → provider.
 * The bulkhead slot is held across retries, so a retrying call cannot multiply the load
 * on a struggling upstream; the breaker sees each attempt, so retries cannot hide
 * failures from it; and an open breaker's rejection is never retried.
 */
export class ProviderPipeline {
  constructor(
    readonly provider: LlmProvider,
    readonly bulkhead: Bulkhead,
    readonly breaker: ManagedBreaker,
    private readonly settings: LlmCallSettings,
  ) {}

  call(request: LlmRequest, deadline: Deadline): Promise<LlmCompletion> {
    return this.bulkhead.run(
      () =>
        withRetries(() => this.breaker.fire((breakerSignal) => this.attempt(request, breakerSignal, deadline)), {
          policy: this.settings.retry,
          deadline,
          isRetryable: (error) => error instanceof UpstreamFailure && error.retryable,
          retryAfterMs: (error) => (error instanceof UpstreamFailure ? error.retryAfterMs : undefined),
        }),
      deadline.remaining(),
    );
  }

  /** One HTTP attempt, aborted (request cancelled, socket closed) at its timeout or at shutdown. */
  private async attempt(request: LlmRequest, breakerSignal: AbortSignal, deadline: Deadline): Promise<LlmCompletion> {
    const timeoutMs = Math.min(this.settings.attemptTimeoutMs, deadline.remaining());
    if (timeoutMs <= 0) throw new UpstreamFailure('timeout', `${this.provider.name}: no time left before the deadline`);
    return attemptWithin(
      breakerSignal,
      timeoutMs,
      (signal) => this.provider.complete(request, signal),
      () => new UpstreamFailure('timeout', `${this.provider.name} did not answer within ${timeoutMs} ms`),
    );
  }
}
