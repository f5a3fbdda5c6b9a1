import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Keyv } from 'keyv';
import { RedisConnection } from '../redis/redis-connection';
import { RedisModule } from '../redis/redis.module';
import { CacheHealthIndicator } from './cache.health';
import { CacheMetrics } from './cache.metrics';
import { CacheRegistry } from './cache-registry';
import { DataWatcher } from './data-watcher';

/** The shared connection belongs to RedisConnection, which closes it last: cache-manager must not close it first. */
class SharedConnectionStore extends KeyvRedis<unknown> {
  override async disconnect(): Promise<void> {}
}

/** With Redis, how long this process keeps its own copy of a value before reading the shared one again. */
const LOCAL_TTL_MS = 10_000;

/**
 * cache-manager over Keyv: an in-process first layer, and Redis as the shared second layer
 * when REDIS_URL is set (over the shared connection: commands fail at once while Redis is away, never hang).
 */
@Module({
  imports: [
    TerminusModule,
    RedisModule,
    CacheModule.registerAsync({
      imports: [RedisModule],
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => {
        const namespace = redis.namespace;
        // The in-process layer keeps values as they are: Keyv would otherwise JSON round-trip
        // the whole catalog on every read (measured: a third of a cached request's CPU).
        // Cached values are treated as immutable by every reader.
        const local = new Keyv({ namespace, serialize: undefined, deserialize: undefined, ...(redis.client ? { ttl: LOCAL_TTL_MS } : {}) });
        const stores = [local];
        if (redis.client) stores.push(new Keyv({ store: new SharedConnectionStore(redis.client), namespace }));
        return { stores };
      },
    }),
  ],
  providers: [CacheRegistry, CacheHealthIndicator, CacheMetrics, DataWatcher],
  exports: [CacheRegistry, DataWatcher],
})
export class AppCacheModule {}
