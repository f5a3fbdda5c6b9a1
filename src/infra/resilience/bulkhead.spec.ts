import { Bulkhead, BulkheadRejectedError } from './bulkhead';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Bulkhead', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs up to maxConcurrent at once, queues the next, refuses beyond the queue', async () => {
    const bulkhead = new Bulkhead('p', { maxConcurrent: 2, maxQueue: 1, maxQueueWaitMs: 1000 });
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      bulkhead.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await expect(bulkhead.run(async () => 99)).rejects.toMatchObject({ reason: 'queue_full' });
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([bulkhead.inFlight, bulkhead.queued]).toEqual([2, 1]);
    gates[0].resolve();
    await runs[0];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect([bulkhead.inFlight, bulkhead.queued]).toEqual([2, 0]);
    gates[1].resolve();
    gates[2].resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(bulkhead.inFlight).toBe(0);
  });

  it('gives up a queued call after its wait limit, and the queue forgets it', async () => {
    const bulkhead = new Bulkhead('p', { maxConcurrent: 1, maxQueue: 5, maxQueueWaitMs: 1000 });
    const gate = deferred();
    const running = bulkhead.run(() => gate.promise);
    const waiting = bulkhead.run(async () => 'late', 200);
    jest.advanceTimersByTime(200);
    await expect(waiting).rejects.toBeInstanceOf(BulkheadRejectedError);
    await expect(waiting).rejects.toMatchObject({ reason: 'wait_exceeded' });
    expect(bulkhead.queued).toBe(0);
    gate.resolve();
    await running;
    expect(bulkhead.inFlight).toBe(0);
  });

  it('releases the slot when the task fails', async () => {
    const bulkhead = new Bulkhead('p', { maxConcurrent: 1, maxQueue: 0, maxQueueWaitMs: 0 });
    await expect(bulkhead.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(bulkhead.run(async () => 'ok')).resolves.toBe('ok');
  });
});
