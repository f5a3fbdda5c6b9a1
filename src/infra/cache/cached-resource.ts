import type { Cache } from 'cache-manager';

export interface CachedEntry<T> {
  value: T;
  loadedAt: number;
}

export interface CacheStats {
  name: string;
  hits: number;
  misses: number;
  reloads: number;
  stampedePrevented: number;
  staleServed: number;
  errors: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastLoadMs: number | null;
  /** Milliseconds since the value was loaded; null when nothing is cached. */
  age: number | null;
  ttl: number;
  /** A value is cached and younger than its ttl. */
  valid: boolean;
  loading: boolean;
}

export interface CachedResourceOptions<T> {
  name: string;
  ttlMs: number;
  load: () => Promise<T>;
  store: Cache;
  /** CACHE_STAMPEDE_PROTECTION: concurrent misses share one load. */
  singleFlight: boolean;
  /** After a failed reload, stale reads wait this long before trying again. */
  errorBackoffMs?: number;
  onError?: (name: string, error: Error) => void;
  /** A refresh (a file changed, an admin cleared the cache) stored a new value: other instances should drop theirs. */
  onRefreshed?: (name: string) => void;
}

/**
 * One named resource behind the shared cache (cache-manager over Keyv stores), with what
 * cache-manager's own wrap() does not give: stale-while-revalidate past the ttl,
 * stale-on-error (a failed reload keeps the last good value), a refresh that never drops
 * the value, per-resource stats, and single-flight that can be switched off as a
 * rollback. Entries are stored without a store ttl so a stale value is always at hand;
 * freshness is judged here from loadedAt. With Redis, the store has two layers: this process's (short-lived)
 * and Redis (shared): a read falls through to Redis and copies what it finds into the first layer, so a value
 * one instance loaded is what the others serve.
 */
export class CachedResource<T> {
  readonly name: string;
  readonly ttlMs: number;
  private readonly key: string;
  private inflight: Promise<CachedEntry<T>> | undefined;
  private lastFailureAt = 0;
  /** A refresh failed: the value is known to be behind its source, whatever its age. */
  private dirty = false;
  private lastLoadedAt: number | null = null;
  private readonly counters = { hits: 0, misses: 0, reloads: 0, stampedePrevented: 0, staleServed: 0, errors: 0 };
  private lastError: { message: string; at: number } | null = null;
  private lastLoadMs: number | null = null;

  constructor(private readonly options: CachedResourceOptions<T>) {
    this.name = options.name;
    this.ttlMs = options.ttlMs;
    this.key = `bsm:cache:${options.name}`;
  }

  /** The value; with its load time, which callers use to memoise what they derive from it. */
  async getEntry(): Promise<CachedEntry<T>> {
    const entry = await this.read();
    if (entry) {
      this.lastLoadedAt = entry.loadedAt;
      if (!this.dirty && Date.now() - entry.loadedAt < this.ttlMs) {
        this.counters.hits += 1;
        return entry;
      }
      this.counters.staleServed += 1;
      if (Date.now() - this.lastFailureAt >= (this.options.errorBackoffMs ?? 5_000)) {
        this.reload().catch(() => undefined);
      }
      return entry;
    }
    this.counters.misses += 1;
    return this.reload();
  }

  /** The first layer, else the shared one (copied into the first); a layer that fails is a miss. */
  private async read(): Promise<CachedEntry<T> | undefined> {
    const [near, far] = this.options.store.stores;
    const local = (await near.get<CachedEntry<T>>(this.key)) as CachedEntry<T> | undefined;
    if (local || !far) return local;
    const shared = (await far.get<CachedEntry<T>>(this.key).catch(() => undefined)) as CachedEntry<T> | undefined;
    if (shared) await near.set(this.key, shared);
    return shared;
  }

  /** Drops this process's copy (another instance stored a newer value): the next read takes the shared one. */
  async forgetLocal(): Promise<void> {
    await this.options.store.stores[0].delete(this.key);
  }

  async get(): Promise<T> {
    return (await this.getEntry()).value;
  }

  /**
   * Loads now and stores the result. Concurrent calls share one load when single-flight
   * is on. A failure is counted and rethrown; the stored value, if any, stays.
   */
  reload(): Promise<CachedEntry<T>> {
    if (this.options.singleFlight && this.inflight) {
      this.counters.stampedePrevented += 1;
      return this.inflight;
    }
    const run = this.runLoad();
    if (this.options.singleFlight) {
      this.inflight = run;
      const clear = () => {
        if (this.inflight === run) this.inflight = undefined;
      };
      run.then(clear, clear);
    }
    return run;
  }

  private async runLoad(): Promise<CachedEntry<T>> {
    const started = performance.now();
    try {
      const value = await this.options.load();
      const entry: CachedEntry<T> = { value, loadedAt: Date.now() };
      await this.options.store.set(this.key, entry);
      this.counters.reloads += 1;
      this.lastLoadMs = Math.round((performance.now() - started) * 100) / 100;
      this.lastLoadedAt = entry.loadedAt;
      this.lastError = null;
      this.dirty = false;
      return entry;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.counters.errors += 1;
      this.lastFailureAt = Date.now();
      this.lastError = { message: failure.message, at: this.lastFailureAt };
      this.options.onError?.(this.name, failure);
      throw failure;
    }
  }

  /**
   * Marks the value stale and reloads it, keeping the last good value if the reload
   * fails. Used by the file watcher and by the clear endpoint: neither ever leaves the
   * service without a catalog it already had.
   */
  async refresh(): Promise<{ reloaded: boolean; error?: string }> {
    try {
      await this.reload();
      this.options.onRefreshed?.(this.name);
      return { reloaded: true };
    } catch (error) {
      this.dirty = true;
      return { reloaded: false, error: (error as Error).message };
    }
  }

  stats(): CacheStats {
    const age = this.lastLoadedAt === null ? null : Date.now() - this.lastLoadedAt;
    return {
      name: this.name,
      ...this.counters,
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError ? new Date(this.lastError.at).toISOString() : null,
      lastLoadMs: this.lastLoadMs,
      age,
      ttl: this.ttlMs,
      valid: !this.dirty && age !== null && age < this.ttlMs,
      loading: this.inflight !== undefined,
    };
  }
}
