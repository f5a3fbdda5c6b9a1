import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createClient, type RedisClientType } from '@redis/client';
import type { Env } from '../config/env.schema';

/**
 * The one Redis connection of the shared counters (rate limit, usage per API key), when REDIS_URL is set. It
 * connects in the background and never holds a request: while Redis is away commands fail at once (no offline
 * queue) and the callers fall back or skip, and it reconnects by itself with a capped backoff.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  /** Undefined without REDIS_URL. */
  readonly client: RedisClientType | undefined;
  /** Every key and channel starts with this (CACHE_NAMESPACE), so deployments sharing a Redis stay apart. */
  readonly namespace: string;
  private readonly logger = new Logger('Redis');
  private reported = false;

  constructor(config: ConfigService<Env, true>) {
    this.namespace = config.get('CACHE_NAMESPACE', { infer: true });
    const url = config.get('REDIS_URL', { infer: true });
    if (!url) return;
    const client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(200 * 2 ** Math.min(retries, 5), 5000) },
    });
    client.on('error', (error: Error) => this.report(error));
    client.on('ready', () => {
      if (this.reported) this.logger.log('Redis is back: shared counters resume');
      this.reported = false;
    });
    client.connect().catch((error: Error) => this.report(error));
    this.client = client as RedisClientType;
  }

  /** Whether commands can be sent now. */
  get ready(): boolean {
    return this.client?.isReady ?? false;
  }

  /** One log line per outage, not one per failed command. */
  report(error: Error): void {
    if (this.reported) return;
    this.reported = true;
    this.logger.warn(`Redis unavailable (${error.message}): counting in process until it returns`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    if (this.client.isReady) await this.client.close();
    else this.client.destroy();
  }
}
