import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseUnifiedDiff, UnparseableDiffError } from '../../review/diff/unified-diff';
import { CONFIG_FILE, NO_REPO_CONFIG, type RepoConfig } from '../../review/policy/repo-config';
import { ReviewEngine } from '../../review/review-engine';
import type { Decision, Finding, ReviewInput, SuppressedFinding } from '../../review/review.model';
import { SecretRulesError } from '../../review/secrets/secret-rules';
import type { DismissedSecret } from '../../review/secrets/secret-scanner';

const run = promisify(execFile);

export const USAGE = `Usage: bsm-review [--base REF | --patch FILE|-] [--analyzers security,governance] [--format text|json|sarif]
                  [--secret-rules FILE] [--debug]

Reviews a diff with BSM's analyzers, offline: by default the working tree against HEAD (staged and unstaged),
--base REF the working tree against REF, --patch FILE a unified diff (- reads standard input).
The repository's .bsm.yml (at the top of the working tree) applies: ignore, allow, rules, secrets.rules.
--secret-rules FILE adds your own secret rules (default: $SECRET_RULES_PATH); --debug also lists the
matches that were judged not to be secrets, and why. --format sarif writes SARIF 2.1.0 (code scanning).
Exit codes: 0 approve, 1 block or request changes, 2 bad usage, 3 manual review (something was not reviewed).`;

export interface ReviewCommandOptions {
  base?: string;
  patch?: string;
  analyzers: string[];
  format: 'text' | 'json' | 'sarif';
  secretRules?: string;
  debug: boolean;
}

export class UsageError extends Error {}

/** The command line, with the environment's SECRET_RULES_PATH as the default of --secret-rules. */
export function parseArguments(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ReviewCommandOptions | 'help' {
  const options: ReviewCommandOptions = { analyzers: ['security'], format: 'text', debug: false, secretRules: env.SECRET_RULES_PATH || undefined };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined || (next.startsWith('--') && next !== '-')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--base') options.base = value();
    else if (arg === '--patch') options.patch = value();
    else if (arg === '--analyzers') options.analyzers = value().split(',').filter(Boolean);
    else if (arg === '--secret-rules') options.secretRules = value();
    else if (arg === '--debug') options.debug = true;
    else if (arg === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif (got "${format}")`);
      options.format = format;
    } else throw new UsageError(`unknown argument "${arg}"`);
  }
  if (options.base !== undefined && options.patch !== undefined) throw new UsageError('--base and --patch cannot be used together');
  return options;
}

export interface ReviewOutcome {
  decision: Decision;
  analyzers: string[];
  files: number;
  notReviewed: string[];
  findings: Array<Finding & { analyzer: string }>;
  /** The .bsm.yml read, and what was wrong in it (then not applied). */
  config?: { source: string; problems: string[] };
  /** Findings set aside by a bsm-ignore or the repository's configuration, with why. */
  suppressed: Array<SuppressedFinding & { analyzer: string }>;
  /** With --debug: matches judged not to be secrets, and why. */
  dismissed?: DismissedSecret[];
}

async function diffText(options: ReviewCommandOptions, stdin: () => Promise<string>): Promise<string> {
  if (options.patch === '-') return stdin();
  if (options.patch !== undefined) return readFile(options.patch, 'utf8');
  const { stdout } = await run('git', ['diff', '--no-color', '--no-ext-diff', options.base ?? 'HEAD', '--'], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

/** `.bsm.yml` at the top of the working tree (the current directory outside a git repository), if there is one. */
async function repoConfig(engine: ReviewEngine): Promise<RepoConfig> {
  const top = await run('git', ['rev-parse', '--show-toplevel']).then(
    ({ stdout }) => stdout.trim(),
    () => process.cwd(),
  );
  const text = await readFile(join(top, CONFIG_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return text === null ? NO_REPO_CONFIG : engine.readConfigFile(text, `${CONFIG_FILE} in the working tree`);
}

/** Runs the review engine on a local diff, as the orchestrator does on a pull request, with its analyzers only. */
export async function review(options: ReviewCommandOptions, stdin: () => Promise<string>): Promise<ReviewOutcome> {
  const engine = ReviewEngine.standalone(options.secretRules);
  const unknown = options.analyzers.filter((name) => !engine.analyzerNames().includes(name));
  if (unknown.length > 0) throw new UsageError(`unknown analyzer(s) ${unknown.join(', ')} (known: ${engine.analyzerNames().join(', ')})`);
  const text = await diffText(options, stdin);
  let files: ReviewInput['files'];
  let unparseable: string | null = null;
  try {
    files = parseUnifiedDiff(text);
  } catch (error) {
    if (!(error instanceof UnparseableDiffError)) throw error;
    files = [];
    unparseable = `the diff could not be parsed (${error.message})`;
  }
  const input: ReviewInput = {
    event: 'local.diff',
    repo: null,
    pr: { number: null, title: '', body: '', draft: false, author: null, additions: 0, deletions: 0, changedFiles: files.length },
    files,
  };
  const config = await repoConfig(engine);
  const configured = config.source ? { config: { source: config.source, problems: [...config.problems] } } : {};
  const prepared = await engine.prepare(input, config).catch((error: unknown) => {
    throw error instanceof SecretRulesError ? new UsageError(`secret rules: ${error.message}`) : error;
  });
  const debug = options.debug ? { dismissed: [...prepared.dismissedSecrets] } : {};
  if (files.length === 0 && !unparseable) {
    // An empty working-tree diff is a known empty change, not missing data: nothing to hold back.
    return { decision: { action: 'approve', reason: 'no changes', reasons: ['no changes'], skippedAgents: [], automated: true }, analyzers: [], files: 0, notReviewed: [], findings: [], suppressed: [], ...configured, ...debug };
  }
  const results = unparseable ? [] : await engine.analyzeAll(options.analyzers, prepared);
  const notReviewed = unparseable ? [unparseable] : prepared.coverage.notReviewed;
  const decision = engine.decide(results, { ...prepared, coverage: { ...prepared.coverage, notReviewed } });
  return {
    decision,
    analyzers: results.map((r) => r.agentId),
    files: files.length,
    notReviewed,
    findings: results.flatMap((r) => r.findings.map((f) => ({ ...f, analyzer: r.agentId }))),
    suppressed: results.flatMap((r) => (r.suppressed ?? []).map((f) => ({ ...f, analyzer: r.agentId }))),
    ...configured,
    ...debug,
  };
}

export function exitCodeOf(decision: Decision): number {
  return decision.action === 'approve' ? 0 : decision.action === 'manual_review' ? 3 : 1;
}

export function textOf(outcome: ReviewOutcome): string {
  const lines = [
    `${outcome.decision.action}: ${outcome.decision.reason}`,
    `files: ${outcome.files}; analyzers: ${outcome.analyzers.join(', ') || 'none'}`,
    ...outcome.notReviewed.map((what) => `not reviewed: ${what}`),
    ...(outcome.config?.problems ?? []).map((problem) => `config not applied: ${problem}`),
    ...outcome.findings.flatMap((f) => [
      `${f.severity} ${f.file ?? '-'}${f.line ? `:${f.line}` : ''} ${f.rule ? `[${f.rule}] ` : ''}${f.message}`,
      ...(f.fix ? [`  fix: ${f.fix}`] : []),
    ]),
    ...outcome.suppressed.map((f) => `suppressed ${f.file ?? '-'}${f.line ? `:${f.line}` : ''} [${f.rule ?? '-'}] ${f.suppressedBy === 'inline' ? `bsm-ignore: ${f.reason}` : f.reason}`),
    ...(outcome.dismissed ?? []).map((d) => `debug: not a secret ${d.file}:${d.line} [${d.rule}] ${d.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}
