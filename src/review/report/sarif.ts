import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { Log, Result } from 'sarif';
import { CODE_RULES } from '../code/code-scanner';
import type { Finding, Severity, SuppressedFinding } from '../review.model';
import type { ReviewReport } from './review-report';

export const SARIF_MEDIA_TYPE = 'application/sarif+json';

const LEVEL: Record<Severity, Result.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const RANK: Record<Result.level, number> = { none: 0, note: 1, warning: 2, error: 3 };
/** The fingerprint's name in `partialFingerprints`, versioned as SARIF asks. */
const FINGERPRINT = 'bsmFinding/v1';
const CODE = new Map(CODE_RULES.map((rule) => [`code/${rule.id}`, rule]));
const NO_RULE = 'bsm/finding';

/** Findings of one review for SARIF: those that count, and those suppressed (with the reason, as SARIF suppressions). */
export interface SarifInput {
  findings: readonly Finding[];
  suppressed: readonly SuppressedFinding[];
}

/** A rule's description: the code rule's own words, a secret's format (never its value), or the finding's. */
function describe(rule: string, finding: Finding): { short: string; help: string } {
  const code = CODE.get(rule);
  if (code) return { short: code.message, help: code.fix };
  if (rule.startsWith('secret/')) return { short: `Secret committed (${rule.slice('secret/'.length)} format)`, help: finding.fix ?? '' };
  if (rule === NO_RULE) return { short: "A finding without a rule id (an LLM agent's, or an analyzer's)", help: '' };
  return { short: finding.message, help: finding.fix ?? '' };
}

/**
 * SARIF 2.1.0 for a review (GitHub code scanning and other readers): the tool `BSM` with the rules its findings
 * name (description, help, default level: the worst level seen), one result per finding with its location and
 * fingerprint, and suppressed findings as results carrying their suppression. Findings without a rule are
 * reported under `bsm/finding`. Messages are the findings', whose secrets are already masked.
 */
export function sarifOf(input: SarifInput, toolVersion: string): Log {
  const all: Array<Finding & { suppression?: SuppressedFinding }> = [...input.findings, ...input.suppressed.map((f) => ({ ...f, suppression: f }))];
  const rules = new Map<string, { finding: Finding; level: Result.level }>();
  for (const finding of all) {
    const id = finding.rule ?? NO_RULE;
    const level = LEVEL[finding.severity];
    const known = rules.get(id);
    if (!known || RANK[level] > RANK[known.level]) rules.set(id, { finding: known?.finding ?? finding, level });
  }
  const run = new SarifRunBuilder().initSimple({ toolDriverName: 'BSM', toolDriverVersion: toolVersion });
  for (const [id, { finding, level }] of rules) {
    const { short, help } = describe(id, finding);
    run.addRule(
      new SarifRuleBuilder({
        id,
        shortDescription: { text: short },
        ...(help ? { help: { text: help } } : {}),
        defaultConfiguration: { level },
      }),
    );
  }
  for (const finding of all) {
    const result = new SarifResultBuilder().initSimple({
      ruleId: finding.rule ?? NO_RULE,
      level: LEVEL[finding.severity],
      messageText: finding.fix ? `${finding.message}. Fix: ${finding.fix}` : finding.message,
      ...(finding.file ? { fileUri: finding.file } : {}),
      ...(finding.file && finding.line ? { startLine: finding.line } : {}),
    });
    if (finding.fingerprint) result.result.partialFingerprints = { [FINGERPRINT]: finding.fingerprint };
    if (finding.suppression) {
      result.result.suppressions = [{ kind: finding.suppression.suppressedBy === 'inline' ? 'inSource' : 'external', justification: finding.suppression.reason }];
    }
    run.addResult(result);
  }
  const log = new SarifBuilder();
  log.addRun(run);
  return log.buildSarifOutput();
}

/** A stored review's findings, every reviewer's, as SARIF takes them. */
export function sarifInputOf(report: ReviewReport): SarifInput {
  return { findings: report.results.flatMap((r) => r.findings), suppressed: report.results.flatMap((r) => r.suppressed ?? []) };
}
