import { Injectable } from '@nestjs/common';
import { AnalyzerCatalog, StaticAnalyzerCatalog } from './analyzers/analyzer-catalog';
import type { AnalyzerReport } from './analyzers/analyzer';
import { GovernanceAnalyzer } from './analyzers/governance.analyzer';
import { SecurityAnalyzer } from './analyzers/security.analyzer';
import { decide, type FailurePolicy } from './decision/decide';
import { coverageOf, type Coverage } from './diff/coverage';
import type { AgentResult, Decision, ReviewInput } from './review.model';
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

  async prepare(input: ReviewInput): Promise<PreparedReview> {
    const { hits: secrets, dismissed } = await this.scanner.scan(input.files);
    const mask = (text: string) => maskAll(text, secrets);
    return {
      secrets,
      dismissedSecrets: dismissed,
      coverage: coverageOf(input.files),
      input: {
        ...input,
        pr: { ...input.pr, title: mask(input.pr.title), body: mask(input.pr.body) },
        files: input.files.map((f) => (f.patch ? { ...f, patch: mask(f.patch) } : f)),
      },
    };
  }

  /** Runs one analyzer by name; undefined when there is none of that name. */
  async analyze(name: string, review: PreparedReview): Promise<AnalyzerReport | undefined> {
    const analyzer = this.analyzers.find(name);
    return analyzer ? analyzer.analyze({ input: review.input, secrets: review.secrets }) : undefined;
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
        findings: report?.findings ?? [],
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
