import { parseRetryAfter, UpstreamFailure } from './upstream-failure';

const headers = (values: Record<string, string>) => new Headers(values);

describe('UpstreamFailure', () => {
  it.each([
    [400, false, true],
    [401, false, true],
    [404, false, true],
    [422, false, true],
    [408, true, false],
    [409, true, false],
    [429, true, false],
    [500, true, false],
    [503, true, false],
  ])('status %i: retryable %s, client error %s', (status, retryable, clientError) => {
    const failure = new UpstreamFailure('status', 'x', status);
    expect([failure.retryable, failure.isClientError]).toEqual([retryable, clientError]);
  });

  it('network failures, timeouts and malformed answers are retryable and count against the upstream', () => {
    for (const kind of ['network', 'timeout', 'bad_response'] as const) {
      expect([new UpstreamFailure(kind, 'x').retryable, new UpstreamFailure(kind, 'x').isClientError]).toEqual([true, false]);
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, an HTTP date and retry-after-ms', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '3' }))).toBe(250);
    const inFive = new Date(Date.now() + 5000).toUTCString();
    expect(parseRetryAfter(headers({ 'retry-after': inFive }))).toBeGreaterThan(3000);
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
