import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessCheck, type IndicatorSession, type ReadinessIndicator } from '../infra/health/readiness';
import { AgentCatalogService } from './agent-catalog.service';

/** The catalog loads (else down); agents without a registry entry, or no registry at all, only warn. */
@ReadinessCheck({ key: 'agentRegistry' })
@Injectable()
export class AgentRegistryHealthIndicator implements ReadinessIndicator {
  constructor(private readonly catalog: AgentCatalogService) {}

  async check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    try {
      const catalog = await this.catalog.snapshot();
      const details = { agents: catalog.agents.length, mode: catalog.registryMode, ungoverned: catalog.ungoverned };
      if (catalog.registryMode === 'permissive') return indicator.up({ ...details, degraded: true, message: 'no governance registry: every agent runs ungoverned' });
      if (catalog.ungoverned.length > 0) return indicator.up({ ...details, degraded: true, message: `${catalog.ungoverned.length} agent(s) without a registry entry` });
      return indicator.up({ ...details, message: `${catalog.agents.length} agents, all governed` });
    } catch (error) {
      return indicator.down({ message: `the agent catalog cannot be loaded: ${(error as Error).message}` });
    }
  }
}
