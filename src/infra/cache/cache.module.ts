import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { Keyv } from 'keyv';
import type { Env } from '../config/env.schema';
import { CacheHealthIndicator } from './cache.health';
import { CacheMetrics } from './cache.metrics';
import { CacheRegistry } from './cache-registry';
import { DataWatcher } from './data-watcher';

/**
 * cache-manager over Keyv: an in-process first layer, and Redis as the shared second layer
 * when REDIS_URL is set.
 */
@Module({
  imports: [
    TerminusModule,
    CacheModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => {
        const redisUrl = config.get('REDIS_URL', { infer: true });
        const namespace = config.get('CACHE_NAMESPACE', { infer: true });
        // The in-process layer keeps values as they are: Keyv would otherwise JSON round-trip
        // the whole catalog on every read (measured: a third of a cached request's CPU).
        // Cached values are treated as immutable by every reader.
        const stores = [new Keyv({ namespace, serialize: undefined, deserialize: undefined })];
        if (redisUrl) stores.push(new Keyv({ store: new KeyvRedis(redisUrl), namespace }));
        return { stores };
      },
    }),
  ],
  providers: [CacheRegistry, CacheHealthIndicator, CacheMetrics, DataWatcher],
  exports: [CacheRegistry, DataWatcher],
})
export class AppCacheModule {}
