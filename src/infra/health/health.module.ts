import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health-registry';
import { EventLoopHealthIndicator, FilesystemHealthIndicator, RequiredFilesHealthIndicator } from './instance.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), DiscoveryModule],
  controllers: [HealthController],
  providers: [HealthRegistry, FilesystemHealthIndicator, RequiredFilesHealthIndicator, EventLoopHealthIndicator],
  exports: [HealthRegistry],
})
export class HealthModule {}
