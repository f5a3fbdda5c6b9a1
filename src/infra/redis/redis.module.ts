import { Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection';
import { RedisHealthIndicator } from './redis.health';

/** The shared Redis connection (none without REDIS_URL), one instance for every importer, and its health. */
@Module({ providers: [RedisConnection, RedisHealthIndicator], exports: [RedisConnection] })
export class RedisModule {}
