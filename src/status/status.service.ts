import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppInfo } from '../infra/config/app-info';
import type { Env } from '../infra/config/env.schema';
import { AgentCatalogService } from '../agents/agent-catalog.service';
import { Database } from '../infra/storage/database';
import { FeatureFlagsDto, StatusDto } from './dto/status.dto';

@Injectable()
export class StatusService {
  private readonly flags: FeatureFlagsDto;

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly info: AppInfo,
    private readonly database: Database,
    private readonly catalog: AgentCatalogService,
  ) {
    this.flags = {
      mobileMode: config.get('MOBILE_MODE', { infer: true }),
      lanOnly: config.get('LAN_ONLY', { infer: true }),
      safeMode: config.get('SAFE_MODE', { infer: true }),
      circuitBreakerEnabled: config.get('CIRCUIT_BREAKER_ENABLED', { infer: true }),
      cacheStampedeProtection: config.get('CACHE_STAMPEDE_PROTECTION', { infer: true }),
    };
  }

  async snapshot(): Promise<StatusDto> {
    const catalog = await this.catalog.snapshot();
    return {
      name: this.info.name,
      version: this.info.version,
      uptime: this.info.uptimeSeconds(),
      environment: this.config.get('NODE_ENV', { infer: true }),
      featureFlags: this.flags,
      storage: this.database.mode,
      cache: this.config.get('REDIS_URL', { infer: true }) ? 'redis' : 'memory',
      registry: catalog.registryMode,
      timestamp: new Date().toISOString(),
    };
  }
}
