import { Injectable } from '@nestjs/common';
import { AnalyzerCatalog, StaticAnalyzerCatalog } from './analyzers/analyzer-catalog';
import { verdictOf, type AnalyzerReport } from './analyzers/analyzer';
import { GovernanceAnalyzer } from './analyzers/governance.analyzer';
import { SecurityAnalyzer } from './analyzers/security.analyzer';
import { decide, type FailurePolicy } from './decision/decide';
import { coverageOf, type Coverage } from './diff/coverage';
import { FindingPolicy, resultFields } from './policy/finding-policy';
import { NO_REPO_CONFIG, parseRepoConfigFile, readRepoConfigObject, type RepoConfig } from './policy/repo-config';
import type { AgentResult, Decision, ReviewInput, SuppressedFinding } from './review.model';
import { loadSecretRules } from './secrets/secret-rules';
import { maskAll, SecretScanner, type DismissedSecret, type SecretHit } from './secrets/secret-scanner';

/** A review input after the secrets scan: what every reviewer, LLM agents included, receives. */
export interface PreparedReview {
  /** The pull request with every secret found masked in its title, description and patches. */
  input: ReviewInput;
  secrets: readonly SecretHit[];
  /** Matches judged not to be secrets (placeholders, examples), with why: for debug output only. */
  dismissedSecrets: readonly DismissedSecret[];
  /** What could not be reviewed (no diff, patches GitHub left out): never approved blind. */
  coverage: Coverage;
  /** Which findings count: fingerprints, inline suppressions, the repository's configuration. */
  policy: FindingPolicy;
  /** The repository's configuration in force (the defaults when it had problems, which it lists). */
  config: RepoConfig;
}

/**
 * The review engine: secrets scan and masking, the analyzers, the decision. It knows nothing of
 * jobs, webhooks, storage or GitHub, so the orchestrator, a command line or a test run it alike:
 * `ReviewEngine.standalone()` builds one with the built-in analyzers, no Nest needed.
 */
@Injectable()
export class ReviewEngine {
  constructor(
    private readonly analyzers: AnalyzerCatalog,
    private readonly scanner: SecretScanner,
  ) {}

  /** The built-in analyzers and secret rules, plus a deployment's own rule file when given. */
  static standalone(secretRulesPath?: string): ReviewEngine {
    return new ReviewEngine(new StaticAnalyzerCatalog([new SecurityAnalyzer(), new GovernanceAnalyzer()]), new SecretScanner(loadSecretRules(secretRulesPath)));
  }

  analyzerNames(): string[] {
    return this.analyzers.names();
  }

  /** `.bsm.yml` as text (`source` says where it was read); problems name the line and key. */
  async readConfigFile(text: string, source: string): Promise<RepoConfig> {
    return parseRepoConfigFile(text, source, await this.scanner.ruleIds());
  }

  /** A configuration given as an object (a run's `config` field); problems name the field. */
  async readConfigObject(value: unknown, field: string): Promise<RepoConfig> {
    return readRepoConfigObject(value, field, await this.scanner.ruleIds());
  }

  /** Scans for secrets (with the repository's own formats too) and masks them; the configuration screens findings. */
  async prepare(input: ReviewInput, config: RepoConfig = NO_REPO_CONFIG): Promise<PreparedReview> {
    const scanner = config.secretRules.length ? this.scanner.withRules(config.secretRules) : this.scanner;
    const { hits: secrets, dismissed } = await scanner.scan(input.files);
    const mask = (text: string) => maskAll(text, secrets);
    const files = input.files.map((f) => (f.patch ? { ...f, patch: mask(f.patch) } : f));
    return {
      secrets,
      dismissedSecrets: dismissed,
      coverage: coverageOf(input.files),
      input: { ...input, pr: { ...input.pr, title: mask(input.pr.title), body: mask(input.pr.body) }, files },
      policy: new FindingPolicy(files, secrets, config),
      config,
    };
  }

  /**
   * Runs one analyzer by name (undefined when there is none of that name), its findings screened by the review's
   * policy. When the policy set findings aside and the analyzer's verdict was the usual one for its findings, the
   * verdict is that of the findings that still count; an analyzer that decided on other grounds keeps its own.
   */
  async analyze(name: string, review: PreparedReview): Promise<(AnalyzerReport & { suppressed: SuppressedFinding[] }) | undefined> {
    const analyzer = this.analyzers.find(name);
    if (!analyzer) return undefined;
    const report = await analyzer.analyze({ input: review.input, secrets: review.secrets });
    const { findings, suppressed } = review.policy.screen(report.findings);
    const changed = suppressed.length > 0 || findings.some((f, i) => f.severity !== report.findings[i]?.severity);
    const verdict = changed && report.verdict === verdictOf(report.findings) ? verdictOf(findings) : report.verdict;
    // The analyzer's summary counted every finding; say how many of them do not count.
    const summary = suppressed.length ? `${report.summary}; ${suppressed.length} of them suppressed` : report.summary;
    return { ...report, summary, verdict, findings, suppressed };
  }

  /**
   * Runs analyzers by name as reviewers of their own, each able to block: for callers without agent
   * definitions (the command line, a script). An unknown name is a failed reviewer, never a silent pass.
   */
  async analyzeAll(names: readonly string[], review: PreparedReview): Promise<AgentResult[]> {
    const results: AgentResult[] = [];
    for (const name of names) {
      const started = performance.now();
      const report = await this.analyze(name, review);
      results.push({
        agentId: name,
        kind: 'analyzer',
        status: report ? 'success' : 'failed',
        ...(report ? { verdict: report.verdict } : { reason: `no analyzer named "${name}"` }),
        output: report?.summary ?? '',
        ...resultFields(report ?? { findings: [], suppressed: [] }),
        metadata: { intent: 'review_pr', action: 'review_pr', allowed: true },
        powers: { block: true, remember: false },
        executionTime: Math.round(performance.now() - started),
      });
    }
    return results;
  }

  /**
   * The decision on the reviewers' results (the analyzers' and the LLM agents' verdicts alike) and on what
   * the review covered: anything not reviewed rules out an approval.
   */
  decide(results: readonly AgentResult[], review: PreparedReview, onFailure: FailurePolicy = new Map()): Decision {
    return decide(results, onFailure, review.coverage.notReviewed);
  }
}
