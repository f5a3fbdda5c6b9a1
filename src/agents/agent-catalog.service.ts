import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PinoLogger } from 'nestjs-pino';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { CacheRegistry } from '../infra/cache/cache-registry';
import type { CachedResource } from '../infra/cache/cached-resource';
import { DataWatcher } from '../infra/cache/data-watcher';
import type { Env } from '../infra/config/env.schema';
import { DataFileError, parseIndexFile, parseYamlFile } from '../infra/data/data-format';
import { DataFiles } from '../infra/data/data-files';
import { BootError } from '../infra/lifecycle/boot-error';
import { toAgentDefinition } from './agent-file.schema';
import { AGENT_CONTEXTS, type Agent, type AgentCatalog, type AgentDefinition, type Governance, type RegistryEntry, type RegistryMode } from './agent.model';
import { registryViolations } from './registry/registry-validation';

interface RegistrySnapshot {
  mode: RegistryMode;
  entries: RegistryEntry[];
}

export interface CatalogView {
  json: string;
  etag: string;
}

interface Derived {
  loadedAt: number;
  byId: Map<string, Agent>;
  views: Map<string, CatalogView>;
}

function governanceOf(entry: RegistryEntry): Governance {
  return {
    source: 'registry',
    category: entry.category,
    contexts: entry.contexts,
    safety: entry.safety ?? null,
    risk: entry.risk,
    approval: entry.approval,
    expose: entry.expose,
    startup: entry.startup,
    healthcheck: entry.healthcheck,
  };
}

/** Registry fields win over the agent's YAML; name, role, model and instructions stay the agent's. */
export function mergeAgent(definition: AgentDefinition, file: string, entry: RegistryEntry | undefined): Agent {
  if (!entry) return { ...definition, file, governance: null };
  const governance = governanceOf(entry);
  return {
    ...definition,
    category: entry.category,
    contexts: entry.contexts,
    ...(entry.safety ? { safety: entry.safety } : {}),
    risk: entry.risk,
    approval: entry.approval,
    expose: entry.expose,
    startup: entry.startup,
    healthcheck: entry.healthcheck,
    file,
    governance,
  };
}

/**
 * The agent catalog: agent YAML under DATA_DIR merged with the governance registry, both
 * behind the stampede-proof cache, reloaded when their files change.
 */
@Injectable()
export class AgentCatalogService implements OnModuleInit {
  private readonly dataDir: string;
  private readonly registryPath: string;
  private readonly registry: CachedResource<RegistrySnapshot>;
  private readonly catalog: CachedResource<AgentCatalog>;
  private derived: Derived | undefined;

  constructor(
    private readonly caches: CacheRegistry,
    private readonly files: DataFiles,
    private readonly watcher: DataWatcher,
    private readonly logger: PinoLogger,
    config: ConfigService<Env, true>,
  ) {
    logger.setContext(AgentCatalogService.name);
    this.dataDir = resolve(config.get('DATA_DIR', { infer: true }));
    this.registryPath = resolve(config.get('REGISTRY_PATH', { infer: true }));
    this.registry = caches.create('registry', config.get('CACHE_TTL_REGISTRY_MS', { infer: true }), () => this.loadRegistry());
    this.catalog = caches.create('agents', config.get('CACHE_TTL_AGENTS_MS', { infer: true }), () => this.loadCatalog(), ['registry']);
  }

  /** A bad catalog or registry stops boot, listing every problem. */
  async onModuleInit(): Promise<void> {
    try {
      await this.registry.reload();
      const catalog = (await this.catalog.reload()).value;
      if (catalog.registryMode === 'permissive') {
        this.logger.warn({ registryPath: this.registryPath }, 'no governance registry: permissive mode');
      }
      if (catalog.ungoverned.length > 0) {
        this.logger.warn({ agents: catalog.ungoverned }, 'agents without a registry entry (served ungoverned)');
      }
    } catch (error) {
      if (error instanceof BootError) throw error;
      throw new BootError('Agent catalog cannot load', [(error as Error).message]);
    }
    this.watcher.onChange(resolve(this.dataDir, 'agents'), () => this.refresh('agents'));
    this.watcher.onChange(dirname(this.registryPath), async (paths) => {
      if (paths.includes(this.registryPath)) await this.refresh('registry');
    });
  }

  private async refresh(name: 'agents' | 'registry'): Promise<void> {
    for (const [cache, result] of await this.caches.refresh(name)) {
      if (result.reloaded) this.logger.info({ cache }, 'reloaded after a file change');
      else this.logger.warn({ cache, err: result.error }, 'reload failed: keeping the last good value');
    }
  }

  private async loadRegistry(): Promise<RegistrySnapshot> {
    const text = await this.files.readAbsolute(this.registryPath);
    if (text === null) return { mode: 'permissive', entries: [] };
    const file = this.registryPath;
    const { entries, violations } = registryViolations(parseYamlFile(file, text));
    if (violations.length > 0) throw new BootError(`Governance registry ${file} is invalid`, violations);
    return { mode: 'strict', entries };
  }

  private async loadCatalog(): Promise<AgentCatalog> {
    const indexName = 'agents/index.json';
    const names = parseIndexFile(indexName, await this.files.read(this.dataDir, indexName), 'agents');
    const definitions = await Promise.all(
      names.map(async (name) => {
        const file = `agents/${name}`;
        return { file, definition: toAgentDefinition(file, parseYamlFile(file, await this.files.read(this.dataDir, file))) };
      }),
    );
    const seen = new Map<string, string>();
    for (const { file, definition } of definitions) {
      const other = seen.get(definition.id);
      if (other) throw new DataFileError(file, [`id '${definition.id}' is already used by ${other}`]);
      seen.set(definition.id, file);
    }
    const registry = await this.registry.get();
    const entries = new Map(registry.entries.map((entry) => [entry.id, entry]));
    const agents = definitions.map(({ file, definition }) => mergeAgent(definition, file, entries.get(definition.id)));
    return {
      agents,
      registryMode: registry.mode,
      ungoverned: registry.mode === 'strict' ? agents.filter((a) => !a.governance).map((a) => a.id) : [],
      unmatchedRegistryEntries: registry.entries.filter((entry) => !seen.has(entry.id)).map((entry) => entry.id),
    };
  }

  async snapshot(): Promise<AgentCatalog> {
    return (await this.derive()).catalog;
  }

  /** Lookups and serialised views are computed once per catalog version. */
  private async derive(): Promise<{ catalog: AgentCatalog; derived: Derived }> {
    const entry = await this.catalog.getEntry();
    if (this.derived?.loadedAt !== entry.loadedAt) {
      this.derived = {
        loadedAt: entry.loadedAt,
        byId: new Map(entry.value.agents.map((agent) => [agent.id, agent])),
        views: new Map(),
      };
    }
    return { catalog: entry.value, derived: this.derived };
  }

  async list(mode?: string): Promise<Agent[]> {
    const { catalog } = await this.derive();
    if (mode === undefined) return catalog.agents;
    this.assertMode(mode);
    return catalog.agents.filter((agent) => agent.contexts?.allowed?.includes(mode));
  }

  /** The serialised list and its ETag, reused until the catalog changes. */
  async listView(mode?: string): Promise<CatalogView> {
    if (mode !== undefined) this.assertMode(mode);
    const { catalog, derived } = await this.derive();
    const key = mode ?? '';
    let view = derived.views.get(key);
    if (!view) {
      const agents = mode === undefined ? catalog.agents : catalog.agents.filter((a) => a.contexts?.allowed?.includes(mode));
      const json = JSON.stringify({ agents, count: agents.length, registryMode: catalog.registryMode });
      view = { json, etag: `"${createHash('sha1').update(json).digest('base64url')}"` };
      derived.views.set(key, view);
    }
    return view;
  }

  async get(id: string): Promise<Agent> {
    const { derived } = await this.derive();
    const agent = derived.byId.get(id);
    if (!agent) throw new DomainException(ErrorCode.AgentNotFound, `No agent with id '${id}'`);
    return agent;
  }

  private assertMode(mode: string): void {
    if (!(AGENT_CONTEXTS as readonly string[]).includes(mode)) {
      throw new DomainException(ErrorCode.InvalidMode, `Unknown mode '${mode}': use one of ${AGENT_CONTEXTS.join(', ')}`, {
        details: { validModes: AGENT_CONTEXTS },
      });
    }
  }
}
