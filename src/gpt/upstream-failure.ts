export type FailureKind = 'status' | 'network' | 'timeout' | 'bad_response';

/** Statuses that say the request itself is wrong: retrying or tripping the breaker would not help. */
const CLIENT_ERRORS = new Set([400, 401, 403, 404, 422]);
const RETRYABLE_STATUSES = new Set([408, 409, 429]);

/** A failed attempt at an upstream, as every adapter reports it. */
export class UpstreamFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
    /** What the upstream asked for in Retry-After / retry-after-ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'UpstreamFailure';
  }

  get isClientError(): boolean {
    return this.kind === 'status' && CLIENT_ERRORS.has(this.status!);
  }

  get retryable(): boolean {
    if (this.kind !== 'status') return true;
    return RETRYABLE_STATUSES.has(this.status!) || this.status! >= 500;
  }
}

/** Parses Retry-After (seconds or HTTP date) and the OpenAI-style retry-after-ms header. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
