import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { NodeEnv, type Env } from '../infra/config/env.schema';
import type { Agent } from './agent.model';
import { AgentCatalogService } from './agent-catalog.service';
import { AgentStateStore } from './agent-state-store';

/** Contexts SAFE_MODE keeps from starting: agents that act on code, CI, the host or security. */
const SAFE_MODE_CONTEXTS = ['github', 'ci', 'system', 'security'];

export interface AgentState {
  id: string;
  status: 'running' | 'stopped';
  startedAt: string | null;
  uptimeSeconds: number | null;
}

const PROFILE_OF: Record<NodeEnv, string> = {
  [NodeEnv.Development]: 'development',
  [NodeEnv.Test]: 'development',
  [NodeEnv.Staging]: 'staging',
  [NodeEnv.Production]: 'production',
};

/**
 * Which agents are running. In storage, so every instance agrees (started through one, stopped through another)
 * and a restart keeps them running.
 */
@Injectable()
export class AgentRuntimeService {
  private readonly profile: string;
  private readonly safeMode: boolean;

  constructor(
    private readonly catalog: AgentCatalogService,
    private readonly states: AgentStateStore,
    config: ConfigService<Env, true>,
  ) {
    this.profile = PROFILE_OF[config.get('NODE_ENV', { infer: true })];
    this.safeMode = config.get('SAFE_MODE', { infer: true });
  }

  async start(id: string, approvedByAdmin: boolean): Promise<AgentState> {
    const agent = await this.catalog.get(id);
    this.assertMayStart(agent, approvedByAdmin);
    const since = await this.states.start(id);
    if (!since) throw new DomainException(ErrorCode.AgentAlreadyRunning, `Agent '${id}' is already running`);
    return stateOf(id, since);
  }

  async stop(id: string): Promise<AgentState> {
    await this.catalog.get(id);
    if (!(await this.states.stop(id))) throw new DomainException(ErrorCode.AgentNotRunning, `Agent '${id}' is not running`);
    return stateOf(id, undefined);
  }

  async status(id: string): Promise<AgentState> {
    await this.catalog.get(id);
    return stateOf(id, (await this.states.running()).get(id));
  }

  async all(): Promise<AgentState[]> {
    const [agents, running] = await Promise.all([this.catalog.list(), this.states.running()]);
    return agents.map((agent) => stateOf(agent.id, running.get(agent.id)));
  }

  private assertMayStart(agent: Agent, approvedByAdmin: boolean): void {
    if (agent.approval?.required === true && !approvedByAdmin) {
      throw new DomainException(
        ErrorCode.ApprovalRequired,
        `Agent '${agent.id}' requires approval (${agent.approval.type ?? 'manual'}): start it with the admin token`,
      );
    }
    const profiles = agent.startup?.allowed_profiles;
    if (profiles && !profiles.includes(this.profile)) {
      throw new DomainException(
        ErrorCode.ProfileNotAllowed,
        `Agent '${agent.id}' may not start in the ${this.profile} profile (allowed: ${profiles.join(', ')})`,
      );
    }
    const restricted = (agent.contexts?.allowed ?? []).filter((context) => SAFE_MODE_CONTEXTS.includes(context));
    if (this.safeMode && restricted.length > 0) {
      throw new DomainException(
        ErrorCode.SafeModeRestriction,
        `SAFE_MODE is on: agent '${agent.id}' acts in ${restricted.join(', ')} and cannot start`,
      );
    }
  }

}

function stateOf(id: string, since: Date | undefined): AgentState {
  return {
    id,
    status: since === undefined ? 'stopped' : 'running',
    startedAt: since === undefined ? null : since.toISOString(),
    uptimeSeconds: since === undefined ? null : Math.max(0, Math.round((Date.now() - since.getTime()) / 1000)),
  };
}
