import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import type { Env } from '../config/env.schema';
import { Database } from './database';
import { openDatabase } from './open-database';
import { StorageHealthIndicator } from './storage.health';

@Module({
  imports: [TerminusModule],
  providers: [
    {
      provide: Database,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) =>
        openDatabase({
          databaseUrl: config.get('DATABASE_URL', { infer: true }),
          databaseSchema: config.get('DATABASE_SCHEMA', { infer: true }),
          stateDir: config.get('STATE_DIR', { infer: true }),
          timeoutMs: config.get('DATABASE_TIMEOUT_MS', { infer: true }),
          onConnectionError: (error) => new Logger('Storage').warn(`PostgreSQL connection lost (${error.message}); the next query reconnects`),
        }),
    },
    StorageHealthIndicator,
  ],
  exports: [Database],
})
export class StorageModule {}
