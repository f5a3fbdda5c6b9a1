import { DataFileError, parseYamlFile } from '../../infra/data/data-format';
import { ON_FAILURE, type OnFailure } from '../../review/review.model';

export const EVENT_NAME_PATTERN = /^[a-z_]+(\.[a-z_]+)?$/;
export const EXECUTIONS = ['parallel', 'sequential'] as const;
export type Execution = (typeof EXECUTIONS)[number];

export interface EventAgent {
  id: string;
  /** What this agent failing means for the decision. */
  onFailure: OnFailure;
}

export interface Strategy {
  event: string;
  agents: EventAgent[];
  execution: Execution;
  description: string;
  timeoutMs?: number;
}

type Raw = Record<string, unknown>;
const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks one strategy; problems are pushed with `where` as their prefix. */
export function parseStrategy(event: string, raw: unknown, where: string, problems: string[]): Strategy | null {
  if (!EVENT_NAME_PATTERN.test(event)) problems.push(`${where}: event name must match ${EVENT_NAME_PATTERN.source}`);
  if (!isObject(raw)) {
    problems.push(`${where} must be a mapping with agents and execution`);
    return null;
  }
  const agents: EventAgent[] = [];
  if (!Array.isArray(raw.agents) || raw.agents.length === 0) problems.push(`${where}.agents must be a non-empty list`);
  else {
    raw.agents.forEach((entry: unknown, i) => {
      const id = typeof entry === 'string' ? entry : isObject(entry) ? entry.id : undefined;
      const onFailure = isObject(entry) && entry.onFailure !== undefined ? entry.onFailure : 'manual_review';
      if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) problems.push(`${where}.agents[${i}] must be an agent id`);
      else if (!(ON_FAILURE as readonly unknown[]).includes(onFailure)) {
        problems.push(`${where}.agents[${i}].onFailure must be one of ${ON_FAILURE.join(', ')}`);
      } else agents.push({ id, onFailure: onFailure as OnFailure });
    });
    const ids = agents.map((a) => a.id);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (repeated.length > 0) problems.push(`${where}.agents lists ${[...new Set(repeated)].join(', ')} more than once`);
  }
  const execution = raw.execution ?? 'parallel';
  if (!(EXECUTIONS as readonly unknown[]).includes(execution)) problems.push(`${where}.execution must be parallel or sequential`);
  if (raw.description !== undefined && typeof raw.description !== 'string') problems.push(`${where}.description must be a string`);
  if (raw.timeoutMs !== undefined && !(Number.isInteger(raw.timeoutMs) && (raw.timeoutMs as number) >= 100)) {
    problems.push(`${where}.timeoutMs must be an integer of at least 100`);
  }
  return {
    event,
    agents,
    execution: execution as Execution,
    description: typeof raw.description === 'string' ? raw.description : '',
    ...(raw.timeoutMs === undefined ? {} : { timeoutMs: raw.timeoutMs as number }),
  };
}

/** events.yaml: `events: { <event>: { agents, execution, description?, timeoutMs? } }`, all problems at once. */
export function parseEventsFile(file: string, text: string): Strategy[] {
  const raw = parseYamlFile(file, text);
  if (!isObject(raw) || !isObject(raw.events)) throw new DataFileError(file, ['must be a mapping with an "events" mapping']);
  const problems: string[] = [];
  const strategies = Object.entries(raw.events)
    .map(([event, entry]) => parseStrategy(event, entry, `events.${event}`, problems))
    .filter((s): s is Strategy => s !== null);
  if (problems.length > 0) throw new DataFileError(file, problems);
  return strategies;
}
