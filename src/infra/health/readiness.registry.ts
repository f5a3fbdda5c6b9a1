import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ReadinessCheck, type ReadinessIndicator } from './readiness';

/** Every provider marked @ReadinessCheck(), found once the application has booted. */
@Injectable()
export class ReadinessRegistry implements OnApplicationBootstrap {
  private found: ReadinessIndicator[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    this.found = this.discovery
      .getProviders({ metadataKey: ReadinessCheck.KEY })
      .map((wrapper) => wrapper.instance as ReadinessIndicator)
      .filter((instance) => typeof instance?.check === 'function');
  }

  indicators(): readonly ReadinessIndicator[] {
    return this.found;
  }
}
