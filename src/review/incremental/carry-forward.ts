import { verdictOf } from '../analyzers/analyzer';
import { fingerprintOf } from '../policy/finding-policy';
import type { AgentResult, ChangedFile, Finding, Verdict } from '../review.model';

/** The review a new one builds on: its head commit and its reviewers' results. */
export interface Baseline {
  headSha: string;
  results: readonly AgentResult[];
}

export interface CarriedForward {
  results: AgentResult[];
  /** Findings of the earlier review that still stand (counted, not commented again). */
  carried: number;
  /** Findings of the earlier review that the new commits removed. */
  fixed: Array<Finding & { agent: string }>;
}

const RANK: Record<Verdict, number> = { approve: 0, unknown: 1, request_changes: 2, block: 3 };

/** The lines a patch removes, trimmed: a finding whose line is among them is fixed. */
function removedLines(file: ChangedFile): string[] {
  return (file.patch ?? '')
    .split('\n')
    .filter((line) => line.startsWith('-') && !line.startsWith('---'))
    .map((line) => line.slice(1).trim());
}

/**
 * An incremental review (only the commits since `baseline` were analysed) made whole: a finding of the earlier
 * review is fixed when the new commits removed its line (its fingerprint matches a removed line) or its file,
 * and carried forward otherwise (it is still in the pull request, on a line the new commits did not touch);
 * a new finding with an earlier one's fingerprint (its line moved) is carried, not new. An analyzer's verdict
 * counts what it carries. A secret removed in a later commit is still in the history: its line, masked when
 * it was found, does not match the removed one, so it stays until it is allowed — it must be revoked anyway.
 */
export function carryForward(results: readonly AgentResult[], baseline: Baseline, increment: readonly ChangedFile[]): CarriedForward {
  const changed = new Map(increment.map((file) => [file.filename, file]));
  const removed = new Map<string, string[]>();
  const removedOf = (file: ChangedFile) => {
    if (!removed.has(file.filename)) removed.set(file.filename, removedLines(file));
    return removed.get(file.filename)!;
  };
  const fixed: CarriedForward['fixed'] = [];
  let carried = 0;
  const next = results.map((result): AgentResult => {
    const before = baseline.results.find((r) => r.agentId === result.agentId);
    if (!before || result.status !== 'success') return result;
    const earlier = new Set(before.findings.flatMap((f) => (f.fingerprint ? [f.fingerprint] : [])));
    const now = new Set(result.findings.flatMap((f) => (f.fingerprint ? [f.fingerprint] : [])));
    const findings = result.findings.map((f) => (f.fingerprint && earlier.has(f.fingerprint) ? { ...f, carriedFrom: baseline.headSha } : f));
    const kept: Finding[] = [];
    for (const finding of before.findings) {
      if (!finding.fingerprint || !finding.rule || !finding.file || now.has(finding.fingerprint)) continue;
      const file = changed.get(finding.file);
      const gone = !!file && (file.status === 'removed' || removedOf(file).some((text) => fingerprintOf(finding.rule!, finding.file!, text) === finding.fingerprint));
      if (gone) fixed.push({ ...finding, agent: result.agentId });
      else kept.push({ ...finding, carriedFrom: finding.carriedFrom ?? baseline.headSha });
    }
    carried += kept.length + findings.filter((f) => f.carriedFrom).length;
    const keptVerdict = verdictOf(kept);
    const verdict = result.kind === 'analyzer' && result.verdict && RANK[keptVerdict] > RANK[result.verdict] ? keptVerdict : result.verdict;
    return { ...result, findings: [...findings, ...kept], ...(verdict ? { verdict } : {}) };
  });
  return { results: next, carried, fixed };
}
