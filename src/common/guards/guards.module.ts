import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Env } from '../../infra/config/env.schema';
import { AdminGuard } from './admin.guard';
import { ApiKeyGuard } from './api-key.guard';
import { LanOnlyGuard } from './lan-only.guard';
import { MobileModeGuard } from './mobile-mode.guard';
import { RateLimitGuard } from './rate-limit.guard';

/** Global guards, in the order they run: throttler → LAN-only → mobile mode → API key; admin is per route. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => ({
        throttlers: [
          { ttl: config.get('RATE_LIMIT_TTL_MS', { infer: true }), limit: config.get('RATE_LIMIT_MAX', { infer: true }) },
        ],
      }),
    }),
  ],
  providers: [
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: LanOnlyGuard },
    { provide: APP_GUARD, useClass: MobileModeGuard },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    AdminGuard,
  ],
  exports: [AdminGuard],
})
export class GuardsModule {}
