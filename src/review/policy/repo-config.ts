import { LineCounter, parseDocument, stringify, type Document } from 'yaml';
import { SEVERITIES, type Severity } from '../review.model';
import { parseSecretRules, SecretRulesError, type SecretRule } from '../secrets/secret-rules';
import { NO_FINDING_RULES, type FindingRules } from './finding-policy';

/** A repository's review configuration: `.bsm.yml` on the base branch, or the `config` of a run. */
export interface RepoConfig extends FindingRules {
  /** Extra secret formats (run on RE2, like a deployment's rule file). */
  secretRules: readonly SecretRule[];
  /** Which of the event's agents run; all of them when absent. */
  agents?: readonly string[];
  /** Where it was read from, for the report; absent when there was none. */
  source?: string;
  /** What was wrong with it (line and key): when there is anything, none of it applies and the defaults do. */
  problems: readonly string[];
}

export const NO_REPO_CONFIG: RepoConfig = { ...NO_FINDING_RULES, secretRules: [], problems: [] };

export const CONFIG_FILE = '.bsm.yml';
const KEYS = ['ignore', 'allow', 'rules', 'secrets', 'agents'];
const ALLOWED = /^(?:[0-9a-f]{16}|[0-9a-f]{64})$/i;

type Path = ReadonlyArray<string | number>;

/**
 * Reads a repository configuration, checking every key; `where` names a place in it for a problem (a line and
 * key in a file, a field in a request). Any problem leaves the defaults in force, with the problems listed.
 * `builtInSecretRules` are the ids a repository's own secret rule may not take.
 */
function readConfig(value: unknown, where: (path: Path) => string, source: string, builtInSecretRules: ReadonlySet<string>): RepoConfig {
  const problems: string[] = [];
  const problem = (path: Path, message: string) => problems.push(`${where(path)}: ${message}`);
  if (value === null || value === undefined) return { ...NO_REPO_CONFIG, source };
  if (typeof value !== 'object' || Array.isArray(value)) {
    problem([], 'must be a mapping of ignore, allow, rules, secrets, agents');
    return { ...NO_REPO_CONFIG, source, problems };
  }
  const root = value as Record<string, unknown>;
  for (const key of Object.keys(root)) if (!KEYS.includes(key)) problem([key], `unknown key "${key}" (known: ${KEYS.join(', ')})`);
  const strings = (key: string, check?: (s: string) => string | undefined): string[] => {
    const list = root[key];
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      problem([key], 'must be a list');
      return [];
    }
    return list.flatMap((item: unknown, i) => {
      const message = typeof item !== 'string' || item === '' ? 'must be a non-empty string' : check?.(item);
      if (message) problem([key, i], message);
      return message ? [] : [item as string];
    });
  };
  const ignore = strings('ignore');
  const allow = strings('allow', (s) => (ALLOWED.test(s) ? undefined : 'must be a finding fingerprint (16 hex characters) or a SHA-256 of a secret (64)'));
  const agents = root.agents === undefined ? undefined : strings('agents');
  const rules: Record<string, 'off' | Severity> = {};
  if (root.rules !== undefined) {
    if (root.rules === null || typeof root.rules !== 'object' || Array.isArray(root.rules)) problem(['rules'], 'must be a mapping of rule id to off or a severity');
    else {
      for (const [rule, setting] of Object.entries(root.rules as Record<string, unknown>)) {
        if (setting === 'off' || (SEVERITIES as readonly unknown[]).includes(setting)) rules[rule] = setting as 'off' | Severity;
        else problem(['rules', rule], `must be off or a severity (${SEVERITIES.join(', ')})`);
      }
    }
  }
  let secretRules: readonly SecretRule[] = [];
  if (root.secrets !== undefined) {
    const secrets = root.secrets as Record<string, unknown> | null;
    if (secrets === null || typeof secrets !== 'object' || Array.isArray(secrets) || Object.keys(secrets).some((k) => k !== 'rules')) {
      problem(['secrets'], 'must be a mapping with rules: (the shape of a secret rule file)');
    } else {
      try {
        secretRules = parseSecretRules(stringify({ rules: secrets.rules }), where(['secrets']), 're2', builtInSecretRules).rules;
      } catch (error) {
        if (!(error instanceof SecretRulesError)) throw error;
        problems.push(...error.problems);
      }
    }
  }
  if (problems.length > 0) return { ...NO_REPO_CONFIG, source, problems };
  return { ignore, allow, rules, secretRules, ...(agents ? { agents } : {}), source, problems };
}

/** The line of the deepest node of a path that the document has. */
function lineOf(doc: Document, lines: LineCounter, path: Path): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth ? doc.getIn(path.slice(0, depth), true) : doc.contents;
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lines.linePos(range[0]).line;
  }
  return undefined;
}

/** `.bsm.yml` as text: problems name the line and the key. YAML that does not parse is one problem. */
export function parseRepoConfigFile(text: string, source: string, builtInSecretRules: ReadonlySet<string> = new Set()): RepoConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const [error] = doc.errors;
    return { ...NO_REPO_CONFIG, source, problems: [`${CONFIG_FILE} line ${lines.linePos(error.pos[0]).line}: not valid YAML (${error.message.split('\n')[0]})`] };
  }
  const where = (path: Path) => {
    const line = lineOf(doc, lines, path);
    return `${CONFIG_FILE}${line ? ` line ${line}` : ''}${path.length ? `, ${path.join('.')}` : ''}`;
  };
  return readConfig(doc.toJS(), where, source, builtInSecretRules);
}

/** A run's `config` object (the shape of `.bsm.yml`): problems name the request field. */
export function readRepoConfigObject(value: unknown, field: string, builtInSecretRules: ReadonlySet<string> = new Set()): RepoConfig {
  return readConfig(value, (path) => [field, ...path].join('.'), `the run's ${field}`, builtInSecretRules);
}
