export interface GroupCommitOptions {
  /** Transactions in flight at once: 1 on the embedded database (one connection), a few on a pool. */
  lanes: number;
  /** The most writes one transaction takes. */
  maxBatch: number;
  /**
   * Whether a failed batch's writes are tried again one by one: true for an error one write may have caused
   * (its data refused), false when storage itself is away (every write would fail again).
   */
  retryAlone: (error: unknown) => boolean;
}

interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: a write arriving while every lane is committing waits, and the writes that waited are committed
 * together in the next transaction, so a burst pays one transaction (and one statement per kind of row) for many
 * writes instead of one each, and a lone write waits one turn of the event loop at most. `commit` answers each
 * write of its batch, in order. Written here because batching libraries (DataLoader and kin) gather what arrives
 * within one tick, not what arrives during a commit.
 */
export class GroupCommit<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private busy = 0;
  private starting = false;

  constructor(
    private readonly commit: (items: I[]) => Promise<O[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.next();
    });
  }

  /**
   * A free lane starts on the next turn of the event loop, so the writes of requests already received join its
   * batch. (On the embedded database a transaction runs without giving the loop a turn: without this wait,
   * nothing would ever arrive during a commit.)
   */
  private next(): void {
    if (this.starting || this.busy >= this.options.lanes || this.waiting.length === 0) return;
    this.starting = true;
    setImmediate(() => {
      this.starting = false;
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.busy += 1;
      void this.run(batch).finally(() => {
        this.busy -= 1;
        this.next();
      });
      this.next();
    });
  }

  private async run(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.commit(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, index) => waiting.resolve(results[index]));
    } catch (error) {
      if (batch.length === 1 || !this.options.retryAlone(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      // One write's bad data must not fail the others: each is committed on its own, and only it fails.
      for (const waiting of batch) {
        await this.commit([waiting.item]).then(([result]) => waiting.resolve(result), waiting.reject);
      }
    }
  }
}
