import { Inject, Injectable } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { ConfigService } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import { PinoLogger } from 'nestjs-pino';
import type { Env } from '../config/env.schema';
import { CachedResource } from './cached-resource';

/** Every named cache of the app: features create theirs here; stats, clear, health and metrics read them. */
@Injectable()
export class CacheRegistry {
  private readonly resources = new Map<string, CachedResource<unknown>>();
  private readonly dependents = new Map<string, string[]>();
  private readonly singleFlight: boolean;

  constructor(
    @Inject(CACHE_MANAGER) private readonly store: Cache,
    config: ConfigService<Env, true>,
    private readonly logger: PinoLogger,
  ) {
    this.singleFlight = config.get('CACHE_STAMPEDE_PROTECTION', { infer: true });
    logger.setContext(CacheRegistry.name);
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
