import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RE2JS } from 're2js';
import { parse as parseYaml } from 'yaml';

/** Where a match of a rule's pattern was found, and the characters of its secret group. */
export interface PatternMatch {
  index: number;
  end: number;
  value: string;
  valueIndex: number;
}

/** A compiled regex: built-in rules run on V8's engine, rules from outside the code on RE2 (linear time). */
export interface Pattern {
  matches(text: string): Iterable<PatternMatch>;
}

export interface SecretRule {
  id: string;
  keywords: readonly string[];
  /** Absent for a file-name rule. */
  regex?: Pattern;
  within?: Pattern;
  path?: Pattern;
  entropy?: number;
  allow: readonly Pattern[];
}

export interface SecretRules {
  rules: readonly SecretRule[];
  /** Values no rule reports (documented example keys). */
  allow: readonly Pattern[];
}

/** A rule file that does not load: each problem names the file, the rule and the key. */
export class SecretRulesError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'SecretRulesError';
  }
}

type Engine = 'v8' | 're2';

const FLAGS = /^\(\?([im]+)\)/;

function compile(source: string, group: number, engine: Engine): { pattern: Pattern; groups: number } {
  const flags = FLAGS.exec(source)?.[1] ?? '';
  if (engine === 're2') {
    const re = RE2JS.compile(source);
    return {
      groups: re.groupCount(),
      pattern: {
        *matches(text) {
          const m = re.matcher(text);
          while (m.find()) {
            const value = m.group(group);
            if (value !== null) yield { index: m.start(), end: m.end(), value, valueIndex: m.start(group) };
          }
        },
      },
    };
  }
  const re = new RegExp(source.slice(flags ? flags.length + 3 : 0), `${flags}gd`);
  return {
    groups: new RegExp(`${re.source}|`).exec('')!.length - 1,
    pattern: {
      *matches(text) {
        for (const m of text.matchAll(re)) {
          const value = m[group];
          if (value !== undefined) yield { index: m.index, end: m.index + m[0].length, value, valueIndex: m.indices![group]![0] };
        }
      },
    },
  };
}

const RULE_KEYS = new Set(['id', 'keywords', 'regex', 'group', 'within', 'path', 'entropy', 'allow']);
const ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Reads a rule file (YAML: `rules:` and an optional `allow:`), checking every key. Rules from outside the code
 * run on RE2, so a pattern that RE2 cannot run in linear time (backreferences, lookaround) is refused here,
 * named, instead of being able to stall the event loop later.
 */
export function parseSecretRules(text: string, file: string, engine: Engine, takenIds: ReadonlySet<string> = new Set()): SecretRules {
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new SecretRulesError([`${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`]);
  }
  const root = (doc ?? {}) as { rules?: unknown; allow?: unknown };
  if (typeof root !== 'object' || !Array.isArray(root.rules)) throw new SecretRulesError([`${file}: rules must be a list of rules`]);
  const pattern = (where: string, source: unknown, group = 0): Pattern | undefined => {
    if (typeof source !== 'string' || source === '') {
      problems.push(`${where} must be a non-empty string`);
      return undefined;
    }
    try {
      const compiled = compile(source, 0, engine);
      if (group > compiled.groups) {
        problems.push(`${where} has ${compiled.groups} capture group(s); group ${group} does not exist`);
        return undefined;
      }
      return compile(source, group, engine).pattern;
    } catch (error) {
      problems.push(`${where} does not compile${engine === 're2' ? ' as a linear-time (RE2) pattern' : ''}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const patterns = (where: string, list: unknown): Pattern[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      problems.push(`${where} must be a list of regexes`);
      return [];
    }
    return list.flatMap((source, i) => pattern(`${where}[${i}]`, source) ?? []);
  };
  const ids = new Set(takenIds);
  const rules = root.rules.flatMap((raw: unknown, i): SecretRule[] => {
    const rule = (raw ?? {}) as Record<string, unknown>;
    const name = typeof rule.id === 'string' ? `${file}: rules[${i}] (${rule.id})` : `${file}: rules[${i}]`;
    const before = problems.length;
    for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) problems.push(`${name}: unknown key "${key}"`);
    if (typeof rule.id !== 'string' || !ID.test(rule.id)) problems.push(`${name}.id must be kebab-case (a-z, 0-9, -)`);
    else if (ids.has(rule.id)) problems.push(`${name}.id is already used by another rule`);
    else ids.add(rule.id);
    if ((rule.regex === undefined) === (rule.path === undefined)) problems.push(`${name}: give either regex or path`);
    const group = rule.group ?? 1;
    if (typeof group !== 'number' || !Number.isInteger(group) || group < 0) problems.push(`${name}.group must be a whole number ≥ 0`);
    const keywords = rule.keywords ?? [];
    if (!Array.isArray(keywords) || keywords.some((k) => typeof k !== 'string' || k === '')) {
      problems.push(`${name}.keywords must be a list of non-empty strings`);
    } else if (rule.regex !== undefined && keywords.length === 0) problems.push(`${name}.keywords must name at least one keyword`);
    if (rule.entropy !== undefined && (typeof rule.entropy !== 'number' || rule.entropy < 0 || rule.entropy > 8)) {
      problems.push(`${name}.entropy must be a number from 0 to 8 (bits per character)`);
    }
    const regex = rule.regex === undefined ? undefined : pattern(`${name}.regex`, rule.regex, typeof group === 'number' ? group : 1);
    const within = rule.within === undefined ? undefined : pattern(`${name}.within`, rule.within);
    const path = rule.path === undefined ? undefined : pattern(`${name}.path`, rule.path);
    const allow = patterns(`${name}.allow`, rule.allow);
    if (problems.length > before) return [];
    return [
      {
        id: rule.id as string,
        keywords: (keywords as string[]).map((k) => k.toLowerCase()),
        regex,
        within,
        path,
        entropy: rule.entropy as number | undefined,
        allow,
      },
    ];
  });
  const allow = patterns(`${file}: allow`, root.allow);
  if (problems.length > 0) throw new SecretRulesError(problems);
  return { rules, allow };
}

const BUILT_IN = join(__dirname, 'secret-rules.yaml');

/**
 * A deployment's own rules (`SECRET_RULES_PATH`: run on RE2, may not reuse a built-in id) and the built-in ones.
 * Its rules come first: where one of them and a built-in generic rule match the same characters, the
 * deployment's format names the finding.
 */
export async function loadSecretRules(deploymentFile?: string): Promise<SecretRules> {
  const builtIn = parseSecretRules(await readFile(BUILT_IN, 'utf8'), 'built-in secret rules', 'v8');
  if (!deploymentFile) return builtIn;
  let text: string;
  try {
    text = await readFile(deploymentFile, 'utf8');
  } catch (error) {
    throw new SecretRulesError([`${deploymentFile}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  const own = parseSecretRules(text, deploymentFile, 're2', new Set(builtIn.rules.map((r) => r.id)));
  return { rules: [...own.rules, ...builtIn.rules], allow: [...builtIn.allow, ...own.allow] };
}
