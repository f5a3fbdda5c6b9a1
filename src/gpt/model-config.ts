import { DataFileError, parseYamlFile } from '../infra/data/data-format';

export const TASKS = ['code_review', 'security_scan', 'legal_analysis', 'chat_response'] as const;
export type Task = (typeof TASKS)[number];
export const COMPLEXITIES = ['low', 'medium', 'high'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

export interface ProviderLimits {
  maxConcurrent: number;
  maxQueue?: number;
  maxQueueWaitMs?: number;
}

export interface ModelEntry {
  id: string;
  provider: string;
  capabilities: string[];
  /** Models tried, in order, when this one fails. */
  fallbacks: string[];
}

export interface ModelConfig {
  providers: Record<string, ProviderLimits>;
  models: Record<string, ModelEntry>;
  tasks: Record<Task, Record<Complexity, string>>;
  /** The model search tasks (requiresSearch) go to. */
  search: string;
}

export const DEFAULT_MAX_CONCURRENT = 10;

type Raw = Record<string, unknown>;
const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const positiveInt = (value: unknown) => Number.isInteger(value) && (value as number) > 0;
const nonNegativeInt = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

/**
 * Parses and checks models.yaml against the providers the app has. Every problem is
 * collected, so one boot shows them all.
 */
export function parseModelConfig(file: string, text: string, providerNames: readonly string[]): ModelConfig {
  const raw = parseYamlFile(file, text);
  const problems: string[] = [];
  if (!isObject(raw)) throw new DataFileError(file, ['must be a mapping with providers, models and routing']);

  const providers: Record<string, ProviderLimits> = {};
  const rawProviders = raw.providers ?? {};
  if (!isObject(rawProviders)) problems.push('providers must be a mapping of provider name to limits');
  else {
    for (const [name, limits] of Object.entries(rawProviders)) {
      if (!providerNames.includes(name)) problems.push(`providers.${name}: no such provider (known: ${providerNames.join(', ')})`);
      if (!isObject(limits)) {
        problems.push(`providers.${name} must be a mapping`);
        continue;
      }
      const maxConcurrent = limits.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
      if (!positiveInt(maxConcurrent)) problems.push(`providers.${name}.maxConcurrent must be a positive integer`);
      for (const field of ['maxQueue', 'maxQueueWaitMs'] as const) {
        if (limits[field] !== undefined && !nonNegativeInt(limits[field])) {
          problems.push(`providers.${name}.${field} must be a non-negative integer`);
        }
      }
      providers[name] = {
        maxConcurrent: maxConcurrent as number,
        ...(limits.maxQueue === undefined ? {} : { maxQueue: limits.maxQueue as number }),
        ...(limits.maxQueueWaitMs === undefined ? {} : { maxQueueWaitMs: limits.maxQueueWaitMs as number }),
      };
    }
  }

  const models: Record<string, ModelEntry> = {};
  if (!isObject(raw.models) || Object.keys(raw.models).length === 0) problems.push('models must be a non-empty mapping');
  else {
    for (const [id, entry] of Object.entries(raw.models)) {
      if (!isObject(entry)) {
        problems.push(`models.${id} must be a mapping`);
        continue;
      }
      if (typeof entry.provider !== 'string' || !providerNames.includes(entry.provider)) {
        problems.push(`models.${id}.provider must be one of ${providerNames.join(', ')}`);
      }
      if (entry.capabilities !== undefined && !isStringList(entry.capabilities)) problems.push(`models.${id}.capabilities must be a list of strings`);
      if (entry.fallbacks !== undefined && !isStringList(entry.fallbacks)) problems.push(`models.${id}.fallbacks must be a list of model ids`);
      models[id] = {
        id,
        provider: String(entry.provider),
        capabilities: isStringList(entry.capabilities) ? entry.capabilities : [],
        fallbacks: isStringList(entry.fallbacks) ? entry.fallbacks : [],
      };
    }
    for (const model of Object.values(models)) {
      for (const fallback of model.fallbacks) {
        if (fallback === model.id) problems.push(`models.${model.id}.fallbacks must not name the model itself`);
        else if (!models[fallback]) problems.push(`models.${model.id}.fallbacks: unknown model "${fallback}"`);
      }
    }
  }

  const routing = isObject(raw.routing) ? raw.routing : undefined;
  if (!routing) problems.push('routing must be a mapping with search and tasks');
  const knownModel = (id: unknown, where: string) => {
    if (typeof id !== 'string' || !models[id]) problems.push(`${where}: unknown model ${JSON.stringify(id)}`);
  };
  knownModel(routing?.search, 'routing.search');
  const tasks = {} as ModelConfig['tasks'];
  const rawTasks = isObject(routing?.tasks) ? routing.tasks : {};
  for (const task of TASKS) {
    const table = rawTasks[task];
    if (!isObject(table)) {
      problems.push(`routing.tasks.${task} must map ${COMPLEXITIES.join(', ')} to models`);
      continue;
    }
    for (const complexity of COMPLEXITIES) knownModel(table[complexity], `routing.tasks.${task}.${complexity}`);
    tasks[task] = table as Record<Complexity, string>;
  }
  for (const task of Object.keys(rawTasks)) {
    if (!(TASKS as readonly string[]).includes(task)) problems.push(`routing.tasks.${task}: unknown task (known: ${TASKS.join(', ')})`);
  }

  if (problems.length > 0) throw new DataFileError(file, problems);
  return { providers, models, tasks, search: routing!.search as string };
}
