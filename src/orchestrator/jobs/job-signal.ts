import { Injectable } from '@nestjs/common';

/**
 * "A job was queued": raised by whoever stores one, heard by the runner. Intake stays ignorant of
 * the runner, and no caller has to remember to wake it.
 */
@Injectable()
export class JobSignal {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Returns the unsubscribe function. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
