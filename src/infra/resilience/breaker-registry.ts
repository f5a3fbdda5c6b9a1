import { randomUUID } from 'node:crypto';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection';
import CircuitBreaker from 'opossum';

/** Breaker settings from config, built once by a factory provider (see resilience.module.ts). */
export class BreakerSettings {
  enabled!: boolean;
  errorThresholdPercentage!: number;
  volumeThreshold!: number;
  resetTimeout!: number;
  rollingCountTimeout!: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  name: string;
  state: BreakerState;
  enabled: boolean;
  stats: {
    fires: number;
    successes: number;
    failures: number;
    rejects: number;
    timeouts: number;
    fallbacks: number;
    latencyMs: { mean: number; p50: number; p95: number; p99: number };
  };
  openedAt: string | null;
  /** When an open breaker lets its one probe through. */
  nextAttemptAt: string | null;
}

/** An attempt run inside a breaker; it receives the breaker's abort signal. */
export type GuardedAttempt<T> = (signal: AbortSignal) => Promise<T>;

export interface BreakerRegistration {
  /** Errors that say nothing about the upstream's health (client errors): not counted as failures. */
  isIgnored(error: unknown): boolean;
  /** Failures that were attempt timeouts, counted as timeouts in the breaker's stats. */
  isTimeout(error: unknown): boolean;
}

export class BreakerOpenError extends Error {
  declare readonly breaker: string;
  /** Milliseconds until the breaker lets a probe through. */
  declare readonly retryAfterMs: number;

  constructor(breaker: string, retryAfterMs: number) {
    // Thrown for every call while a breaker is open: no stack (see DomainException).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`circuit for ${breaker} is open`);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'BreakerOpenError';
    this.breaker = breaker;
    this.retryAfterMs = retryAfterMs;
  }
}

type Listener = (name: string, to: BreakerState) => void;

/** One opossum breaker, with the open timestamps opossum does not expose. */
export class ManagedBreaker {
  private openedAt: number | null = null;

  constructor(
    readonly name: string,
    private readonly breaker: CircuitBreaker<[GuardedAttempt<unknown>], unknown>,
    private readonly resetTimeoutMs: number,
    onTransition: Listener,
  ) {
    breaker.on('open', () => {
      this.openedAt = Date.now();
      onTransition(name, 'open');
    });
    breaker.on('halfOpen', () => onTransition(name, 'half-open'));
    breaker.on('close', () => {
      this.openedAt = null;
      onTransition(name, 'closed');
    });
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  /** Whether a call now would be refused without running (open, and the rollback switch not set). */
  get rejecting(): boolean {
    return this.breaker.opened && this.breaker.enabled;
  }

  /** The refusal of a call that is not made because the breaker is open, counted in the breaker's rejects. */
  refuse(): BreakerOpenError {
    this.breaker.emit('reject');
    return new BreakerOpenError(this.name, this.retryAfterMs());
  }

  /** Runs one attempt through the breaker; an open breaker rejects with BreakerOpenError without running it. */
  async fire<T>(attempt: GuardedAttempt<T>): Promise<T> {
    // Fast path while open: opossum would build (and we would then replace) an Error with a
    // full async stack for every rejected call. Its 'reject' event keeps the stats exact.
    if (this.rejecting) throw this.refuse();
    try {
      return (await this.breaker.fire(attempt as GuardedAttempt<unknown>)) as T;
    } catch (error) {
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        throw new BreakerOpenError(this.name, this.retryAfterMs());
      }
      throw error;
    }
  }

  /** Time until the next probe; a half-open breaker whose probe is in flight asks for a short wait. */
  retryAfterMs(): number {
    if (this.openedAt === null) return 1000;
    return Math.max(0, this.openedAt + this.resetTimeoutMs - Date.now());
  }

  reset(): void {
    this.breaker.close();
  }

  /** Aborts attempts in flight (their requests and sockets) and stops the breaker's timers. */
  shutdown(): void {
    currentController(this.breaker)?.abort();
    this.breaker.shutdown();
  }

  snapshot(): BreakerSnapshot {
    const stats = this.breaker.stats;
    const percentile = (p: number) => Math.max(0, stats.percentiles[p] ?? 0);
    const open = this.state === 'open' && this.openedAt !== null;
    return {
      name: this.name,
      state: this.state,
      enabled: this.breaker.enabled,
      stats: {
        fires: stats.fires,
        successes: stats.successes,
        failures: stats.failures,
        rejects: stats.rejects,
        timeouts: stats.timeouts,
        fallbacks: stats.fallbacks,
        latencyMs: { mean: Math.max(0, stats.latencyMean), p50: percentile(0.5), p95: percentile(0.95), p99: percentile(0.99) },
      },
      openedAt: this.openedAt === null ? null : new Date(this.openedAt).toISOString(),
      nextAttemptAt: open ? new Date(this.openedAt! + this.resetTimeoutMs).toISOString() : null,
    };
  }
}

/**
 * opossum 9 keeps the controller it renews on half-open/close (autoRenewAbortController);
 * its type definitions predate the accessor.
 */
function currentController(breaker: object): AbortController | undefined {
  return (breaker as unknown as { getAbortController(): AbortController | undefined }).getAbortController();
}

const RESETS = 'breaker-reset';

/**
 * Every circuit breaker in the app, by name: health, metrics and the admin reset read
 * them here. One breaker per upstream, whatever the credentials used to call it. Each instance
 * learns an upstream's health itself; an admin's reset, with Redis, reaches every instance.
 */
@Injectable()
export class BreakerRegistry implements OnApplicationShutdown {
  private readonly breakers = new Map<string, ManagedBreaker>();
  private readonly listeners: Listener[] = [];
  /** Tells this instance's reset announcements from the others'. */
  private readonly origin = randomUUID();

  constructor(
    private readonly settings: BreakerSettings,
    private readonly redis: RedisConnection,
  ) {
    redis.subscribe(RESETS, (message) => {
      const { name, origin } = JSON.parse(message) as { name?: string; origin?: string };
      if (origin !== this.origin && name) this.breakers.get(name)?.reset();
    });
  }

  /** An admin's reset: closes the breaker here and, with Redis, on every other instance. */
  async resetEverywhere(breaker: ManagedBreaker): Promise<void> {
    breaker.reset();
    await this.redis.publish(RESETS, JSON.stringify({ name: breaker.name, origin: this.origin }));
  }

  register(name: string, registration: BreakerRegistration): ManagedBreaker {
    const existing = this.breakers.get(name);
    if (existing) return existing;
    const breaker: CircuitBreaker<[GuardedAttempt<unknown>], unknown> = new CircuitBreaker(
      (attempt: GuardedAttempt<unknown>) => attempt(currentController(breaker)?.signal ?? new AbortController().signal),
      {
        name,
        enabled: this.settings.enabled,
        errorThresholdPercentage: this.settings.errorThresholdPercentage,
        volumeThreshold: this.settings.volumeThreshold,
        resetTimeout: this.settings.resetTimeout,
        rollingCountTimeout: this.settings.rollingCountTimeout,
        // Attempts carry their own timeout (AbortSignal per attempt): opossum's timeout would
        // abort the shared controller and with it every concurrent attempt.
        timeout: false,
        autoRenewAbortController: true,
        errorFilter: (error: unknown) => registration.isIgnored(error),
      },
    );
    // The attempt's own timeout ends in a failure; opossum's stats count timeouts on this event.
    breaker.on('failure', (error: unknown) => {
      if (registration.isTimeout(error)) breaker.emit('timeout', error);
    });
    const managed = new ManagedBreaker(name, breaker, this.settings.resetTimeout, (n, to) =>
      this.listeners.forEach((listener) => listener(n, to)),
    );
    this.breakers.set(name, managed);
    return managed;
  }

  onTransition(listener: Listener): void {
    this.listeners.push(listener);
  }

  get(name: string): ManagedBreaker | undefined {
    return this.breakers.get(name);
  }

  all(): ManagedBreaker[] {
    return [...this.breakers.values()];
  }

  /**
   * Last, after every module's beforeApplicationShutdown: Nest runs onModuleDestroy first, and breakers shut down
   * there would fail the calls of reviews still finishing during shutdown (degrading them to manual review).
   */
  onApplicationShutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
  }
}
