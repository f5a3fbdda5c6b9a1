import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

const WINDOW_MS = 60_000;
/** Sampling interval; the histogram records whole intervals, so this much is subtracted. */
const RESOLUTION_MS = 10;

export interface EventLoopSnapshot {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Event-loop delay (beyond the sampling interval) over the last minute or so (the histogram restarts every minute). */
@Injectable()
export class EventLoopMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly histogram: ELDHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private previous: EventLoopSnapshot = { p50Ms: 0, p99Ms: 0, maxMs: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.previous = this.read();
      this.histogram.reset();
    }, WINDOW_MS);
    this.timer.unref();
  }

  /** Boot blocks the loop for seconds by design (migrations, indexes); measure the serving process. */
  onApplicationBootstrap(): void {
    this.histogram.reset();
  }

  /** The current minute, or the last full one when the current has too few samples. */
  snapshot(): EventLoopSnapshot {
    return this.histogram.count < 10 ? this.previous : this.read();
  }

  private read(): EventLoopSnapshot {
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
    return { p50Ms: ms(this.histogram.percentile(50)), p99Ms: ms(this.histogram.percentile(99)), maxMs: ms(this.histogram.max) };
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
