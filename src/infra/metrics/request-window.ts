const WINDOW_MS = 60_000;
const SAMPLES = 4096;

export interface RequestWindowSnapshot {
  /** Requests finished in the last minute (or since start, if younger), per second. */
  perSecond: number;
  total: number;
  /** Share of 5xx answers in the last minute. */
  errorRate: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

/**
 * The last minute of HTTP traffic for people (GET /api/metrics, the dashboard): exact
 * percentiles over the most recent 4,096 requests, where Prometheus' histogram gives
 * bucket bounds. Fixed-size typed arrays: recording is two stores and an increment.
 */
export class RequestWindow {
  private readonly durations = new Float64Array(SAMPLES);
  private readonly finishedAt = new Float64Array(SAMPLES);
  private readonly failed = new Uint8Array(SAMPLES);
  private next = 0;
  private total = 0;
  private failures = 0;
  private readonly startedAt = Date.now();

  record(durationMs: number, status: number): void {
    const i = this.next;
    this.durations[i] = durationMs;
    this.finishedAt[i] = Date.now();
    this.failed[i] = status >= 500 ? 1 : 0;
    this.next = (i + 1) % SAMPLES;
    this.total++;
    if (status >= 500) this.failures++;
  }

  /** Requests and 5xx answers since start, for rates over any interval. */
  counts(): { total: number; failures: number } {
    return { total: this.total, failures: this.failures };
  }

  /** The last minute (or `windowMs`) of traffic; percentiles over its most recent 4,096 requests. */
  snapshot(now = Date.now(), windowMs = WINDOW_MS): RequestWindowSnapshot {
    const since = now - windowMs;
    const recent: number[] = [];
    let errors = 0;
    for (let i = 0; i < Math.min(this.total, SAMPLES); i++) {
      if (this.finishedAt[i] < since) continue;
      recent.push(this.durations[i]);
      errors += this.failed[i];
    }
    recent.sort((a, b) => a - b);
    const at = (p: number) => (recent.length ? round(recent[Math.min(recent.length - 1, Math.floor(p * recent.length))]) : 0);
    const seconds = Math.max(1, Math.min(windowMs, now - this.startedAt) / 1000);
    return {
      perSecond: round(recent.length / seconds),
      total: this.total,
      errorRate: recent.length ? round(errors / recent.length) : 0,
      latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99) },
    };
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;
