export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseMs: number;
  maxMs: number;
}

/** A point in time every step of one call must finish by. */
export class Deadline {
  private readonly expiresAt: number;

  constructor(ms: number) {
    this.expiresAt = Date.now() + ms;
  }

  remaining(): number {
    return Math.max(0, this.expiresAt - Date.now());
  }
}

/** Exponential backoff with full jitter (a uniformly random wait up to the capped exponential). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** retry));
}

export interface RetryOptions {
  policy: RetryPolicy;
  deadline: Deadline;
  isRetryable(error: unknown): boolean;
  /** The wait the upstream asked for (Retry-After), if any. */
  retryAfterMs(error: unknown): number | undefined;
  onRetry?(error: unknown, retry: number, delayMs: number): void;
}

/**
 * Runs `attempt` until it succeeds, fails for good, runs out of retries, or the next wait
 * would cross the deadline — then the last error is thrown as it is, so callers see what
 * the upstream did rather than a generic "retries exhausted". Hand-written because the
 * kept retry libraries (p-retry, async-retry) honour neither Retry-After nor a deadline
 * shared with a queue wait.
 */
export async function withRetries<T>(attempt: (number: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(retry);
    } catch (error) {
      if (retry >= options.policy.maxRetries || !options.isRetryable(error)) throw error;
      const delay = Math.max(backoffDelay(retry, options.policy), options.retryAfterMs(error) ?? 0);
      if (delay >= options.deadline.remaining()) throw error;
      options.onRetry?.(error, retry + 1, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
