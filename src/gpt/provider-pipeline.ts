import { attemptWithin } from '../infra/resilience/abort';
import type { ManagedBreaker } from '../infra/resilience/breaker-registry';
import type { Bulkhead } from '../infra/resilience/bulkhead';
import { withRetries, type Deadline, type RetryPolicy } from '../infra/resilience/retry';
import type { LlmCompletion, LlmProvider, LlmRequest, LlmStreamChunk } from './ports/llm-provider';
import { UpstreamFailure } from './upstream-failure';

/** Timeouts and retry policy of every LLM call, from config (a factory provider in gpt.module.ts). */
export class LlmCallSettings {
  attemptTimeoutMs!: number;
  deadlineMs!: number;
  retry!: RetryPolicy;
  maxQueue!: number;
  maxQueueWaitMs!: number;
  /** Streams: the wait for the first content, and the longest silence between chunks after it. */
  streamFirstTokenMs!: number;
  streamIdleMs!: number;
}

/**
 * A stream whose first content has arrived. Iterating it yields that content, then the rest as the
 * upstream sends it (pulled only as fast as the caller iterates); a failure after the first content is
 * thrown from the iteration. `cancel()` (the client went away) aborts the upstream request at once.
 */
export interface OpenedStream extends AsyncIterable<LlmStreamChunk> {
  cancel(): void;
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

  /**
   * The same layers for a stream, which resolves once its first content has arrived. Until then a failure is
   * an ordinary failed attempt (retried, counted by the breaker, and the router may fall back); after it, the
   * bulkhead slot and the breaker's call stay open until the stream ends, and a failure reaches the caller
   * through the iteration (never retried: content was delivered) and is counted by the breaker.
   */
  openStream(request: LlmRequest, deadline: Deadline): Promise<OpenedStream> {
    return new Promise<OpenedStream>((resolve, reject) => {
      let opened = false;
      const onOpen = (stream: OpenedStream) => {
        opened = true;
        resolve(stream);
      };
      this.bulkhead
        .run(
          () =>
            withRetries(() => this.breaker.fire((breakerSignal) => this.streamAttempt(request, breakerSignal, deadline, onOpen)), {
              policy: this.settings.retry,
              deadline,
              isRetryable: (error) => !opened && error instanceof UpstreamFailure && error.retryable,
              retryAfterMs: (error) => (error instanceof UpstreamFailure ? error.retryAfterMs : undefined),
            }),
          deadline.remaining(),
        )
        // After the first content the caller learns of a failure from the stream itself.
        .catch((error: unknown) => opened || reject(error));
    });
  }

  /**
   * One streamed attempt: resolves when the stream it opened ends, rejects when it fails (before or after
   * its first content), so the breaker sees the whole stream. The first-token and idle timers run only
   * while waiting on the upstream, never while the caller is slow to read.
   */
  private async streamAttempt(
    request: LlmRequest,
    breakerSignal: AbortSignal,
    deadline: Deadline,
    onOpen: (stream: OpenedStream) => void,
  ): Promise<void> {
    const name = this.provider.name;
    const firstTokenMs = Math.min(this.settings.streamFirstTokenMs, deadline.remaining());
    if (firstTokenMs <= 0) throw new UpstreamFailure('timeout', `${name}: no time left before the deadline`);
    const controller = new AbortController();
    const abort = () => controller.abort();
    breakerSignal.addEventListener('abort', abort, { once: true });
    const chunks = this.provider.stream(request, controller.signal)[Symbol.asyncIterator]();
    let cancelled = false;
    // One timer per phase (first content, then idle), re-armed for each wait rather than created per chunk:
    // it aborts the upstream only when it fires during a wait.
    let timer: NodeJS.Timeout | undefined;
    let armedFor = 0;
    let waiting = false;
    let timedOut = false;
    const expire = () => {
      if (!waiting) return;
      timedOut = true;
      controller.abort();
    };
    /** The next chunk from the upstream, aborted if it takes longer than `ms`. */
    const next = async (ms: number, silence: string): Promise<IteratorResult<LlmStreamChunk>> => {
      if (armedFor === ms) timer!.refresh();
      else {
        clearTimeout(timer);
        timer = setTimeout(expire, ms);
        armedFor = ms;
      }
      waiting = true;
      try {
        const result = await chunks.next();
        // An SDK may end its iteration quietly when aborted: a timeout is still a timeout.
        if (timedOut) throw new UpstreamFailure('timeout', `${name} ${silence} within ${ms} ms`);
        return result;
      } catch (error) {
        if (timedOut) throw new UpstreamFailure('timeout', `${name} ${silence} within ${ms} ms`);
        throw error;
      } finally {
        waiting = false;
      }
    };
    try {
      let first = await next(firstTokenMs, 'sent no content');
      while (!first.done && !first.value.content) first = await next(firstTokenMs, 'sent no content');
      if (first.done) throw new UpstreamFailure('bad_response', `${name} ended its stream without content`);
      const idleMs = this.settings.streamIdleMs;
      await new Promise<void>((ended, failed) => {
        let pending: LlmStreamChunk | undefined = first.value;
        let finished = false;
        const finish = (error?: unknown) => {
          finished = true;
          // A stream the client gave up on is not the upstream's failure.
          if (error === undefined || cancelled) ended();
          else failed(error);
        };
        // A plain iterator rather than an async generator: a chunk costs one awaited call, not a generator's
        // resumption (measured: the generator layers were a large part of a stream's overhead).
        const chunksOut: AsyncIterator<LlmStreamChunk> = {
          next: async () => {
            if (pending) {
              const chunk = pending;
              pending = undefined;
              return { done: false, value: chunk };
            }
            if (finished) return { done: true, value: undefined };
            try {
              const result = await next(idleMs, 'went silent: nothing');
              if (result.done) finish();
              return result;
            } catch (error) {
              finish(error);
              if (cancelled) return { done: true, value: undefined };
              throw error;
            }
          },
          // The caller stopped reading (client gone): stop the upstream too.
          return: () => {
            if (!finished) {
              controller.abort();
              finish();
            }
            return Promise.resolve({ done: true, value: undefined });
          },
        };
        onOpen({
          cancel: () => {
            cancelled = true;
            controller.abort();
          },
          [Symbol.asyncIterator]: () => chunksOut,
        });
      });
    } finally {
      clearTimeout(timer);
      breakerSignal.removeEventListener('abort', abort);
      if (controller.signal.aborted) void chunks.return?.(undefined).catch(() => undefined);
    }
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
