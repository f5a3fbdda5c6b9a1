import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import pino from 'pino';
import type { Env } from '../config/env.schema';

const BUFFER_BYTES = 4096;
const FLUSH_EVERY_MS = 250;

/**
 * stdout for the logs, asynchronous and buffered: lines are written in 4 KB batches (one
 * write call for many lines, not one per request), and at least every 250 ms, so a quiet
 * instance's last line still shows promptly. Flushed synchronously on shutdown and (by
 * pino) on exit.
 */
@Injectable()
export class LogDestination implements OnApplicationShutdown {
  readonly stream?: ReturnType<typeof pino.destination>;
  private readonly timer?: NodeJS.Timeout;

  constructor(config: ConfigService<Env, true>) {
    if (config.get('LOG_LEVEL', { infer: true }) === 'silent') return;
    const stream = pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES });
    this.stream = stream;
    this.timer = setInterval(() => stream.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    try {
      this.stream?.flushSync();
    } catch {
      // Not open yet, or a write in flight: pino flushes what is left on exit.
    }
  }
}
