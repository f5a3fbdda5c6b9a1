/**
 * Runs one attempt with a signal that aborts after `timeoutMs` or when `parent` (a
 * breaker's signal, aborted at shutdown) aborts; an aborted attempt rejects with
 * `timeoutError()`. Written out instead of AbortSignal.any(): the parent is long-lived,
 * and every derived signal would stay attached to it until collected.
 */
export async function attemptWithin<T>(
  parent: AbortSignal,
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
  timeoutError: () => Error,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const forward = () => controller.abort();
  parent.addEventListener('abort', forward, { once: true });
  try {
    return await work(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) throw timeoutError();
    throw error;
  } finally {
    clearTimeout(timer);
    parent.removeEventListener('abort', forward);
  }
}
