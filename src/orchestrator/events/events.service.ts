import { resolve } from 'node:path';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AgentCatalogService } from '../../agents/agent-catalog.service';
import { AuditService } from '../../audit/audit.service';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import type { Env } from '../../infra/config/env.schema';
import { DataFiles } from '../../infra/data/data-files';
import { DataFileError } from '../../infra/data/data-format';
import { BootError } from '../../infra/lifecycle/boot-error';
import { parseEventsFile, parseStrategy, type Strategy } from './events-config';
import { OverrideStore } from './override-store';

export interface StrategyView extends Strategy {
  source: 'file' | 'override';
}

/** Event strategies: events.yaml, with runtime overrides (stored) winning until deleted. */
@Injectable()
export class EventsService implements OnModuleInit {
  private fileStrategies = new Map<string, Strategy>();

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly files: DataFiles,
    private readonly catalog: AgentCatalogService,
    private readonly overrides: OverrideStore,
    private readonly audit: AuditService,
  ) {}

  async onModuleInit(): Promise<void> {
    const path = resolve(this.config.get('EVENTS_PATH', { infer: true }));
    const text = await this.files.readAbsolute(path);
    if (text === null) throw new BootError('Events configuration', [`EVENTS_PATH: ${path} does not exist`]);
    let strategies: Strategy[];
    try {
      strategies = parseEventsFile(path, text);
    } catch (error) {
      if (error instanceof DataFileError) throw new BootError('Invalid events configuration', error.problems.map((p) => `${path}: ${p}`));
      throw error;
    }
    const missing = await this.missingAgents(strategies);
    if (missing.length > 0) throw new BootError('Invalid events configuration', missing.map((p) => `${path}: ${p}`));
    this.fileStrategies = new Map(strategies.map((s) => [s.event, s]));
  }

  private async missingAgents(strategies: Strategy[]): Promise<string[]> {
    const known = new Set((await this.catalog.snapshot()).agents.map((a) => a.id));
    return strategies.flatMap((s) =>
      s.agents.filter((a) => !known.has(a.id)).map((a) => `events.${s.event}: agent "${a.id}" is not in the catalog`),
    );
  }

  async list(): Promise<StrategyView[]> {
    const overrides = new Map((await this.overrides.all()).map((s) => [s.event, s]));
    const events = [...new Set([...this.fileStrategies.keys(), ...overrides.keys()])].sort();
    return events.map((event) => {
      const override = overrides.get(event);
      return override ? { ...override, source: 'override' } : { ...this.fileStrategies.get(event)!, source: 'file' };
    });
  }

  /** The strategy an event runs with: its override, its file entry, or the default entry. */
  async strategyFor(event: string): Promise<StrategyView> {
    const views = await this.list();
    const found = views.find((s) => s.event === event) ?? views.find((s) => s.event === 'default');
    if (!found) throw new DomainException(ErrorCode.ValidationFailed, `No strategy for event "${event}" and no default`);
    return found;
  }

  async override(event: string, body: unknown): Promise<StrategyView> {
    const problems: string[] = [];
    const strategy = parseStrategy(event, body, 'body', problems);
    if (strategy) problems.push(...(await this.missingAgents([strategy])).map((p) => p.replace(`events.${event}`, 'body.agents')));
    if (problems.length > 0 || !strategy) {
      throw new DomainException(ErrorCode.ValidationFailed, problems.join('; '), {
        details: problems.map((p) => ({ field: p.split(/[ :]/)[0], messages: [p] })),
      });
    }
    await this.overrides.put(strategy);
    await this.audit.record('orchestrator.config.override', event, strategy);
    return { ...strategy, source: 'override' };
  }

  async removeOverride(event: string): Promise<StrategyView | null> {
    if (!(await this.overrides.delete(event))) {
      throw new DomainException(ErrorCode.NotFound, `No override for event "${event}"`);
    }
    await this.audit.record('orchestrator.config.override.delete', event);
    const file = this.fileStrategies.get(event);
    return file ? { ...file, source: 'file' } : null;
  }
}
