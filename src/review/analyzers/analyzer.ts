import type { Finding, ReviewInput, ReviewVerdict } from '../review.model';
import type { SecretHit } from '../secrets/secret-scanner';

export interface AnalyzerContext {
  input: ReviewInput;
  /** Secrets found in the added lines (already scanned once per run). */
  secrets: readonly SecretHit[];
}

export interface AnalyzerReport {
  verdict: ReviewVerdict;
  summary: string;
  findings: Finding[];
}

/**
 * Port: a deterministic, offline reviewer. An agent with `kind: analyzer` and
 * `analyzer: <name>` runs the Analyzer of that name. Any provider in the app that extends
 * this class is found at boot, so teams add their own by declaring one.
 */
export abstract class Analyzer {
  abstract readonly name: string;
  abstract analyze(context: AnalyzerContext): Promise<AnalyzerReport> | AnalyzerReport;
}

/** The usual mapping from the worst finding to a verdict. */
export function verdictOf(findings: readonly Finding[]): ReviewVerdict {
  if (findings.some((f) => f.severity === 'critical')) return 'block';
  if (findings.some((f) => f.severity === 'high' || f.severity === 'medium')) return 'request_changes';
  return 'approve';
}
