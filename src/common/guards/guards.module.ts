import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';
import type { Env } from '../../infra/config/env.schema';
import { AdminGuard } from './admin.guard';
import { AdminTokenVerifier } from './admin-token.verifier';
import { ApiKeyGuard } from './api-key.guard';
import { LanOnlyGuard } from './lan-only.guard';
import { MobileModeGuard } from './mobile-mode.guard';
import { RateLimitGuard } from './rate-limit.guard';

@Module({ providers: [FixedWindowThrottlerStorage], exports: [FixedWindowThrottlerStorage] })
class ThrottlerStorageModule {}

/** Global guards, in the order they run: throttler → LAN-only → mobile mode → API key; admin is per route. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [ThrottlerStorageModule],
      inject: [ConfigService, FixedWindowThrottlerStorage],
      useFactory: (config: ConfigService<Env, true>, storage: FixedWindowThrottlerStorage) => ({
        storage,
        throttlers: [
          { ttl: config.get('RATE_LIMIT_TTL_MS', { infer: true }), limit: config.get('RATE_LIMIT_MAX', { infer: true }) },
        ],
      }),
    }),
  ],
  providers: [
    RateLimitGuard,
    LanOnlyGuard,
    MobileModeGuard,
    ApiKeyGuard,
    { provide: APP_GUARD, useExisting: RateLimitGuard },
    { provide: APP_GUARD, useExisting: LanOnlyGuard },
    { provide: APP_GUARD, useExisting: MobileModeGuard },
    { provide: APP_GUARD, useExisting: ApiKeyGuard },
    AdminTokenVerifier,
    AdminGuard,
  ],
  exports: [RateLimitGuard, LanOnlyGuard, MobileModeGuard, ApiKeyGuard, AdminTokenVerifier, AdminGuard],
})
export class GuardsModule {}
