import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AdminGuard } from './admin.guard';
import { AdminTokenVerifier } from './admin-token.verifier';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';
import { PolicyGuard } from './policy.guard';
import { RateLimitStorage } from './rate-limit.storage';

/** One global guard for the client policies (rate limit, LAN_ONLY, MOBILE_MODE, API keys); admin is per route. */
@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: RateLimitStorage, useClass: FixedWindowThrottlerStorage },
    PolicyGuard,
    { provide: APP_GUARD, useExisting: PolicyGuard },
    AdminTokenVerifier,
    AdminGuard,
  ],
  exports: [PolicyGuard, RateLimitStorage, AdminTokenVerifier, AdminGuard],
})
export class GuardsModule {}
