import type { SgNode } from '@ast-grep/napi';
import type { Severity } from '../review.model';
import type { Language } from './fragments';
import { worst, type Call, type CodeContext, type Taint } from './syntax';

export const RISK_CLASSES = [
  'command-injection',
  'code-injection',
  'sql-injection',
  'xss',
  'path-traversal',
  'insecure-deserialization',
  'hardcoded-secret',
  'open-redirect',
  'ssrf',
  'tls-verification-disabled',
  'weak-crypto',
] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

/** A node a rule points at and what reaches it there. */
export interface RuleHit {
  node: SgNode;
  taint: Taint;
}

/**
 * A code rule: where in a syntax tree a risk shows, and how bad it is. By default data from the request makes
 * a finding high and data the fragment cannot trace makes it medium; a constant is never a finding.
 * `requestOnly` rules (redirects, fetches, file paths: sinks that take variables all day) report only data
 * from the request; `severity` fixes the severity of rules whose hit is the risk itself (TLS off, a
 * hard-coded key).
 */
export interface CodeRule {
  id: string;
  riskClass: RiskClass;
  languages: readonly Language[];
  message: string;
  fix: string;
  requestOnly?: boolean;
  severity?: Severity;
  /** The rule runs only on fragments whose text matches (a cheap pre-filter, as for secret rules). */
  keywords?: RegExp;

  find(context: CodeContext): Iterable<RuleHit>;
}

export const JS: readonly Language[] = ['javascript', 'typescript', 'tsx'];
export const PYTHON: readonly Language[] = ['python'];
export const GO: readonly Language[] = ['go'];

export function severityOf(rule: CodeRule, taint: Taint): Severity | undefined {
  if (rule.severity) return rule.severity;
  if (taint === 'request') return 'high';
  if (taint === 'unknown' && !rule.requestOnly) return 'medium';
  return undefined;
}

export type ArgPicker = (call: Call, context: CodeContext) => SgNode | SgNode[] | undefined | null;

/**
 * The text a call of a callee pattern cannot be written without, for the pre-filter: the pattern itself, read
 * against source text rather than the callee's whitespace-free text (anchors become identifier boundaries,
 * whitespace and `?.` are allowed around dots and after parentheses). A fragment without such text holds no
 * such call, so the rule does not run and the fragment may not even be parsed: `res.send(` is needed, not any
 * `res` or `send`. Written here because it rewrites our own patterns.
 */
export function callShapeOf(callee: RegExp): RegExp {
  const source = callee.source;
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[++i];
      out += next === '.' ? '\\s*\\??\\.\\s*' : next === '(' ? '\\(\\s*' : `\\${next}`;
    } else if (c === '[') {
      // Classes are copied whole (a `^` or `$` inside one is not an anchor), never widened to whitespace: a
      // `[\w.\s]+` would scan on across words from every position.
      let end = i + 1;
      while (end < source.length && source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
      out += source.slice(i, end + 1);
      i = end;
    } else if (c === '^') out += '(?<![\\w$])';
    else if (c === '$') out += '(?![\\w$])';
    else out += c;
  }
  return new RegExp(out, callee.flags);
}

/** A rule on calls whose callee matches: the taint is the worst of the picked arguments (default: the first). */
export function callRule(
  rule: Omit<CodeRule, 'find'> & { callee: RegExp; arg?: ArgPicker; when?: (call: Call, context: CodeContext) => boolean },
): CodeRule {
  const pick: ArgPicker = rule.arg ?? ((call) => call.args[0]);
  // The same callees come back in every file (res.json, db.query): each is tested against the pattern once.
  const known = new Map<string, boolean>();
  const matches = (callee: string) => {
    let hit = known.get(callee);
    if (hit === undefined) {
      if (known.size >= 50_000) known.clear();
      hit = rule.callee.test(callee);
      known.set(callee, hit);
    }
    return hit;
  };
  return {
    keywords: callShapeOf(rule.callee),
    ...rule,
    *find(context) {
      for (const call of context.calls()) {
        if (!matches(call.callee) || (rule.when && !rule.when(call, context))) continue;
        const picked = pick(call, context);
        const nodes = picked ? (Array.isArray(picked) ? picked : [picked]) : [];
        if (nodes.length === 0) continue;
        yield { node: call.node, taint: worst(nodes.map((n) => context.taintOf(n))) };
      }
    },
  };
}

/** A rule whose hit is a constant string in a place for a secret (a signing key): fixed high severity. */
export function literalSecretRule(rule: Omit<CodeRule, 'find' | 'severity'> & { callee: RegExp; arg: (call: Call) => SgNode | undefined }): CodeRule {
  return {
    keywords: callShapeOf(rule.callee),
    ...rule,
    severity: 'high',
    *find(context) {
      for (const call of context.calls()) {
        if (!rule.callee.test(call.callee)) continue;
        const arg = rule.arg(call);
        const value = context.literalString(arg);
        if (arg && value && value.length >= 6) yield { node: arg, taint: 'constant' };
      }
    },
  };
}

const COLUMN = '(?:\\*|[\\w.]+(?:\\([^)]*\\))?(?:\\s+as\\s+\\w+)?)';
/** SQL's shapes, not its words: "Select a plan" and "Update available" are prose. */
const SQL = new RegExp(
  `\\b(?:select\\s+(?:distinct\\s+)?${COLUMN}(?:\\s*,\\s*${COLUMN})*\\s+from\\b|insert\\s+into\\b|update\\s+[\\w."\`[\\]]+\\s+set\\b|delete\\s+from\\b|where\\s+[\\w."\`]+\\s*(?:=|<|>|like\\b|in\\b)|order\\s+by\\b|group\\s+by\\b)`,
  'i',
);

/** Whether constant text reads as SQL. */
export function looksLikeSql(text: string): boolean {
  return SQL.test(text);
}

/**
 * The names around a node, nearest first: the variables, keys and functions it is assigned to or runs in, read
 * from the field each enclosing node kind keeps its name in (`fields`: kind → field).
 */
export function namesAround(node: SgNode, fields: Readonly<Record<string, string>>): string {
  const names: string[] = [];
  for (let n = node.parent(); n; n = n.parent()) {
    const field = fields[n.kind() as string];
    if (field) names.push(n.field(field)?.text() ?? '');
  }
  return names.join(' ');
}

/** Secret-ish names: what weak hashes and non-cryptographic randomness must not produce or protect. */
export const SECRET_NAME = /pass(?:word|wd|phrase)?|secret|token|api_?key|apikey|credential|session|nonce|salt|otp|csrf|reset|auth/i;
