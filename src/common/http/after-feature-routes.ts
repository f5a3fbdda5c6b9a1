import { Injectable, OnModuleInit } from '@nestjs/common';

/**
 * Mounts routes behind every feature route. Nest registers the controllers' routes in `init()`,
 * then runs the modules' init hooks, then adds its 404 handler: routes added from an init hook
 * land in between, so a request for a feature route never walks them first.
 */
@Injectable()
export class AfterFeatureRoutes implements OnModuleInit {
  private readonly mounts: Array<() => void> = [];

  add(mount: () => void): void {
    this.mounts.push(mount);
  }

  onModuleInit(): void {
    for (const mount of this.mounts) mount();
  }
}
