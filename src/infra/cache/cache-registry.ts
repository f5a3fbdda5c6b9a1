import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { ConfigService } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import { PinoLogger } from 'nestjs-pino';
import type { Env } from '../config/env.schema';
import { RedisConnection } from '../redis/redis-connection';
import { CachedResource } from './cached-resource';

const INVALIDATIONS = 'cache-invalidate';

/**
 * Every named cache of the app: features create theirs here; stats, clear, health and metrics read them. With
 * Redis, a cache refreshed here (a file change, an admin clear) is announced on `<CACHE_NAMESPACE>:cache-invalidate`
 * and every other instance drops its own copy, so all serve the new value within moments. An announcement that
 * could not be sent (Redis away) is made good when Redis returns: this instance stores its newer values again and
 * announces them, and every instance drops its copies of what may have changed meanwhile.
 */
@Injectable()
export class CacheRegistry {
  private readonly resources = new Map<string, CachedResource<unknown>>();
  private readonly dependents = new Map<string, string[]>();
  private readonly singleFlight: boolean;
  /** Tells this instance's announcements from the others'. */
  private readonly origin = randomUUID();
  /** Caches refreshed while Redis could not hear of it. */
  private readonly unannounced = new Set<string>();

  constructor(
    @Inject(CACHE_MANAGER) private readonly store: Cache,
    config: ConfigService<Env, true>,
    private readonly logger: PinoLogger,
    private readonly redis: RedisConnection,
  ) {
    this.singleFlight = config.get('CACHE_STAMPEDE_PROTECTION', { infer: true });
    logger.setContext(CacheRegistry.name);
    redis.subscribe(INVALIDATIONS, (message) => void this.invalidated(message));
    redis.onReady(() => void this.reconcile());
  }

  private async announce(name: string): Promise<void> {
    if (!this.redis.client) return;
    if (await this.redis.publish(INVALIDATIONS, JSON.stringify({ name, origin: this.origin }))) this.unannounced.delete(name);
    else this.unannounced.add(name);
  }

  private async invalidated(message: string): Promise<void> {
    const { name, origin } = JSON.parse(message) as { name?: string; origin?: string };
    if (origin === this.origin || !name) return;
    await this.resources.get(name)?.forgetLocal();
  }

  /** Redis is (back) up: what this instance refreshed meanwhile is stored and announced again; other copies go. */
  private async reconcile(): Promise<void> {
    for (const resource of this.resources.values()) {
      if (this.unannounced.has(resource.name)) await resource.refresh();
      else await resource.forgetLocal();
    }
  }

  /** `dependsOn`: caches whose refresh must be followed by this one's (the catalog is built from the registry). */
  create<T>(name: string, ttlMs: number, load: () => Promise<T>, dependsOn: string[] = []): CachedResource<T> {
    if (this.resources.has(name)) throw new Error(`cache "${name}" is already registered`);
    const resource = new CachedResource<T>({
      name,
      ttlMs,
      load,
      store: this.store,
      singleFlight: this.singleFlight,
      onError: (cache, error) => this.logger.warn({ cache, err: error.message }, 'cache load failed'),
      onRefreshed: (cache) => void this.announce(cache),
    });
    this.resources.set(name, resource as CachedResource<unknown>);
    for (const parent of dependsOn) this.dependents.set(parent, [...(this.dependents.get(parent) ?? []), name]);
    return resource;
  }

  /**
   * Reloads a cache, then the caches built from it. A failed reload keeps the last good
   * value (see CachedResource.refresh) and is reported per cache.
   */
  async refresh(name: string, done = new Map<string, { reloaded: boolean; error?: string }>()) {
    const resource = this.resources.get(name);
    if (!resource || done.has(name)) return done;
    done.set(name, await resource.refresh());
    for (const child of this.dependents.get(name) ?? []) await this.refresh(child, done);
    return done;
  }

  names(): string[] {
    return [...this.resources.keys()];
  }

  all(): CachedResource<unknown>[] {
    return [...this.resources.values()];
  }
}
