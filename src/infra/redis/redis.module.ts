import { Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection';

/** The shared counters' Redis connection (none without REDIS_URL); one instance for every importer. */
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
