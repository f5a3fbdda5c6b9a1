import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createClient, type RedisClientType } from '@redis/client';
import type { Env } from '../config/env.schema';

/** How often a ready connection proves that Redis answers. */
const HEARTBEAT_MS = 1_000;

/**
 * The Redis connection of what instances share (rate limit, usage per API key, the cache's second layer and its
 * invalidations), when REDIS_URL is set. It connects in the background and never holds a request: while Redis is
 * away commands fail at once (no offline queue) and the callers fall back or skip, and it reconnects by itself
 * with a capped backoff. A server that keeps the connection but answers nothing (stalled, overloaded) is the
 * same case: a command run through `bounded` (the rate limit, usage counting) or the PING sent each second that
 * goes unanswered for REDIS_TIMEOUT_MS drops the connection — every command waiting on it fails, so none waits
 * longer than about 1.5 s — and opens it again; it is not ready until Redis answers its handshake, so meanwhile
 * commands fail at once. (node-redis's own command timeout ends only the wait to be sent, not the wait for an
 * answer.) Subscriptions ride a second connection of their own (Redis's rule for pub/sub).
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  /** Undefined without REDIS_URL. */
  readonly client: RedisClientType | undefined;
  /** Every key and channel starts with this (CACHE_NAMESPACE), so deployments sharing a Redis stay apart. */
  readonly namespace: string;
  private readonly logger = new Logger('Redis');
  private reported = false;
  private subscriber?: RedisClientType;
  private readonly readyListeners: (() => void)[] = [];
  private readonly timeoutMs: number;
  private heartbeat?: NodeJS.Timeout;
  private pinging = false;

  constructor(config: ConfigService<Env, true>) {
    this.namespace = config.get('CACHE_NAMESPACE', { infer: true });
    this.timeoutMs = config.get('REDIS_TIMEOUT_MS', { infer: true });
    const url = config.get('REDIS_URL', { infer: true });
    if (!url) return;
    const client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: this.timeoutMs, reconnectStrategy: (retries: number) => Math.min(200 * 2 ** Math.min(retries, 5), 5000) },
    });
    client.on('error', (error: Error) => this.report(error));
    client.on('ready', () => {
      if (this.reported) this.logger.log('Redis is back: shared counters and cache resume');
      this.reported = false;
      for (const listener of this.readyListeners) listener();
    });
    client.connect().catch((error: Error) => this.report(error));
    this.client = client as RedisClientType;
    this.heartbeat = setInterval(() => void this.checkAnswers(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** A ready connection whose PING goes unanswered is opened again (see the class comment). */
  private async checkAnswers(): Promise<void> {
    const client = this.client;
    if (!client?.isReady || this.pinging) return;
    this.pinging = true;
    try {
      await this.bounded(client.ping());
    } catch {
      // An error answer is an answer; a lost connection reconnects by itself; a stall was handled by bounded().
    } finally {
      this.pinging = false;
    }
  }

  /**
   * A command's answer, or an error once REDIS_TIMEOUT_MS has passed without one: then Redis is stalled, and the
   * connection is opened again (what else waited on it fails at once).
   */
  async bounded<T>(command: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        this.reopen();
        reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([command, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private reopen(): void {
    const client = this.client;
    if (!client?.isReady) return; // reopened already, or down
    this.report(new Error(`no answer within ${this.timeoutMs} ms`));
    client.destroy();
    client.connect().catch((error: Error) => this.report(error));
  }

  /** Whether commands can be sent now. */
  get ready(): boolean {
    return this.client?.isReady ?? false;
  }

  /** Called each time the connection becomes usable: at the first connection and after every outage. */
  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  /** Publishes on `<namespace>:<channel>`; false when Redis cannot take it now. */
  async publish(channel: string, message: string): Promise<boolean> {
    if (!this.client?.isReady) return false;
    try {
      await this.client.publish(`${this.namespace}:${channel}`, message);
      return true;
    } catch (error) {
      this.report(error as Error);
      return false;
    }
  }

  /**
   * Listens on `<namespace>:<channel>`. The subscription waits for Redis if it is away and is renewed after each
   * outage (node-redis resubscribes); what was published meanwhile is lost, hence `onReady`.
   */
  subscribe(channel: string, listener: (message: string) => void): void {
    if (!this.client) return;
    if (!this.subscriber) {
      // Only SUBSCRIBE goes through this connection, and nothing waits on it: queueing while offline is safe here.
      this.subscriber = this.client.duplicate({ disableOfflineQueue: false }) as RedisClientType;
      this.subscriber.on('error', () => undefined); // the main connection reports outages
      this.subscriber.connect().catch(() => undefined);
    }
    this.subscriber.subscribe(`${this.namespace}:${channel}`, listener).catch((error: Error) => this.report(error));
  }

  /** One log line per outage, not one per failed command. */
  report(error: Error): void {
    if (this.reported) return;
    this.reported = true;
    this.logger.warn(`Redis unavailable (${error.message}): counting and caching in process until it returns`);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const client of [this.subscriber, this.client]) {
      if (!client?.isOpen) continue;
      if (client.isReady) await client.close();
      else client.destroy();
    }
  }
}
