import { backoffDelay, Deadline, withRetries, type RetryPolicy } from './retry';

const policy: RetryPolicy = { maxRetries: 3, baseMs: 100, maxMs: 1000 };

class Failure extends Error {
  constructor(
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super('failed');
  }
}

const options = (deadlineMs: number) => ({
  policy,
  deadline: new Deadline(deadlineMs),
  isRetryable: (e: unknown) => (e as Failure).retryable,
  retryAfterMs: (e: unknown) => (e as Failure).retryAfterMs,
});

describe('backoffDelay', () => {
  it('is full jitter under a capped exponential', () => {
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe('withRetries', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('retries retryable failures up to maxRetries, then throws the last one', async () => {
    const attempt = jest.fn(() => Promise.reject(new Failure(true)));
    const run = withRetries(attempt, options(60_000));
    const settled = run.catch((e: unknown) => e);
    await jest.runAllTimersAsync();
    expect(await settled).toBeInstanceOf(Failure);
    expect(attempt).toHaveBeenCalledTimes(4);
  });

  it('does not retry a failure that is not retryable', async () => {
    const attempt = jest.fn(() => Promise.reject(new Failure(false)));
    await expect(withRetries(attempt, options(60_000))).rejects.toBeInstanceOf(Failure);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('waits at least the Retry-After the upstream asked for', async () => {
    let calls = 0;
    const attempt = jest.fn(() => (++calls === 1 ? Promise.reject(new Failure(true, 5000)) : Promise.resolve('ok')));
    const run = withRetries(attempt, options(60_000));
    await jest.advanceTimersByTimeAsync(4999);
    expect(attempt).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(run).resolves.toBe('ok');
  });

  it('gives up instead of waiting past the deadline', async () => {
    const attempt = jest.fn(() => Promise.reject(new Failure(true, 5000)));
    await expect(withRetries(attempt, options(3000))).rejects.toBeInstanceOf(Failure);
    expect(attempt).toHaveBeenCalledTimes(1);
  });
});
