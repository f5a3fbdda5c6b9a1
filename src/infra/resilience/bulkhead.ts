export interface BulkheadOptions {
  /** Calls running at once. */
  maxConcurrent: number;
  /** Calls allowed to wait for a slot; one more is refused at once. */
  maxQueue: number;
  /** Longest a call waits for a slot. */
  maxQueueWaitMs: number;
}

export class BulkheadRejectedError extends Error {
  constructor(
    readonly bulkhead: string,
    readonly reason: 'queue_full' | 'wait_exceeded',
  ) {
    super(reason === 'queue_full' ? `${bulkhead} queue is full` : `${bulkhead} slot not free in time`);
    this.name = 'BulkheadRejectedError';
  }
}

interface Waiter {
  grant: () => void;
  timer: NodeJS.Timeout;
}

/**
 * Caps the calls in flight to one upstream and bounds the queue in front of it, both in
 * length and in waiting time. Written here because the kept libraries miss a part of it:
 * opossum's `capacity` rejects without queueing, and cockatiel's bulkhead has no bound
 * on how long a queued call waits. A queued call is only a pending promise: it holds no
 * connection and no socket until it gets its slot.
 */
export class Bulkhead {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly name: string,
    readonly options: BulkheadOptions,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs the task in a slot; `maxWaitMs` shortens the queue wait (a caller's deadline). */
  async run<T>(task: () => Promise<T>, maxWaitMs = this.options.maxQueueWaitMs): Promise<T> {
    await this.acquire(Math.min(maxWaitMs, this.options.maxQueueWaitMs));
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(maxWaitMs: number): Promise<void> {
    if (this.active < this.options.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.maxQueue || maxWaitMs <= 0) {
      return Promise.reject(new BulkheadRejectedError(this.name, 'queue_full'));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(new BulkheadRejectedError(this.name, 'wait_exceeded'));
        }, maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  /** Hands the slot straight to the next waiter, so a burst cannot overtake the queue. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.grant();
    } else {
      this.active--;
    }
  }
}

/** Every bulkhead in the app, by name, for health, metrics and the breaker overview. */
export class BulkheadRegistry {
  private readonly bulkheads = new Map<string, Bulkhead>();

  register(name: string, options: BulkheadOptions): Bulkhead {
    const bulkhead = this.bulkheads.get(name) ?? new Bulkhead(name, options);
    this.bulkheads.set(name, bulkhead);
    return bulkhead;
  }

  all(): Bulkhead[] {
    return [...this.bulkheads.values()];
  }
}
