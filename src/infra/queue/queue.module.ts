import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.schema';
import { Database } from '../storage/database';
import { StorageModule } from '../storage/storage.module';
import { JobQueue } from './job-queue';
import { createJobQueue } from './pg-boss-job-queue';

/** The durable job queue (pg-boss) on the application's database; one per process. */
@Module({
  imports: [StorageModule],
  providers: [
    {
      provide: JobQueue,
      inject: [Database, ConfigService],
      useFactory: (database: Database, config: ConfigService<Env, true>) => {
        const logger = new Logger('Queue');
        return createJobQueue(database, { label: config.get('INSTANCE_ID', { infer: true }), onError: (error) => logger.warn(`job queue: ${error.message}`) });
      },
    },
  ],
  exports: [JobQueue],
})
export class QueueModule {}
