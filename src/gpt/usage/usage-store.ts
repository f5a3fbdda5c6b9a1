export interface KeyUsage {
  keyId: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

/**
 * Port: usage per API key, and the counters its limits read. In process by default; in Redis when REDIS_URL
 * is set, so every instance counts against the same limits and reports the same totals.
 */
export abstract class UsageStore {
  /** Counts one request in the fixed window starting at `windowStart` (ms); resolves to the window's count. */
  abstract countRequest(keyId: string, windowStart: number, windowMs: number): Promise<number>;
  /** Adds tokens to the key's totals and to its count for `day` (YYYY-MM-DD, UTC). */
  abstract addTokens(keyId: string, day: string, promptTokens: number, completionTokens: number): Promise<void>;
  abstract tokensOn(keyId: string, day: string): Promise<number>;
  abstract all(): Promise<KeyUsage[]>;
}

/** One instance's counters: a key's current window, and its two latest days, as Redis keeps them. */
export class MemoryUsageStore extends UsageStore {
  private readonly totals = new Map<string, KeyUsage>();
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly days = new Map<string, Map<string, number>>();

  countRequest(keyId: string, windowStart: number): Promise<number> {
    this.total(keyId).requests++;
    const window = this.windows.get(keyId);
    const current = window?.start === windowStart ? window : { start: windowStart, count: 0 };
    current.count++;
    this.windows.set(keyId, current);
    return Promise.resolve(current.count);
  }

  addTokens(keyId: string, day: string, promptTokens: number, completionTokens: number): Promise<void> {
    const total = this.total(keyId);
    total.promptTokens += promptTokens;
    total.completionTokens += completionTokens;
    let days = this.days.get(keyId);
    if (!days) this.days.set(keyId, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + promptTokens + completionTokens);
    for (const old of [...days.keys()].sort().slice(0, -2)) days.delete(old);
    return Promise.resolve();
  }

  tokensOn(keyId: string, day: string): Promise<number> {
    return Promise.resolve(this.days.get(keyId)?.get(day) ?? 0);
  }

  all(): Promise<KeyUsage[]> {
    return Promise.resolve([...this.totals.values()].map((usage) => ({ ...usage })));
  }

  private total(keyId: string): KeyUsage {
    let usage = this.totals.get(keyId);
    if (!usage) this.totals.set(keyId, (usage = { keyId, requests: 0, promptTokens: 0, completionTokens: 0 }));
    return usage;
  }
}
