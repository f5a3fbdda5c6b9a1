import type { Coverage } from '../diff/coverage';
import type { AgentResult, Decision, Finding, ReviewInput } from '../review.model';

/** A finished review: what ran, how it went, the decision. Stored as JSON beside its Markdown rendering. */
export interface ReviewReport {
  jobId: string;
  event: string;
  strategy: { execution: 'parallel' | 'sequential'; description: string; agents: string[] };
  input: Pick<ReviewInput, 'repo' | 'pr'> & { files: string[] };
  /** What the review could and could not look at (absent from reports written before it existed). */
  coverage?: Coverage;
  /** The repository configuration read for it (`.bsm.yml` or the run's `config`), with what was wrong in it. */
  config?: { source: string; problems: string[] };
  /**
   * A push reviewed incrementally: the commits since `since` (the last review's head), with the earlier findings
   * still standing carried forward and those the commits removed listed as fixed; or why it was reviewed whole.
   */
  incremental?: { since: string; carried: number; fixed: Array<Finding & { agent: string }> } | { fullReview: string };
  results: AgentResult[];
  decision: Decision;
  startedAt: string;
  finishedAt: string;
}

function incrementalLines(report: ReviewReport): string[] {
  const inc = report.incremental;
  if (!inc) return [];
  if ('fullReview' in inc) return [`- Whole pull request ${inc.fullReview.replace(/^reviewed whole: /, 'reviewed: ')}`];
  return [`- Incremental: the commits since ${inc.since.slice(0, 7)}; ${inc.carried} earlier finding(s) still there (not commented again), ${inc.fixed.length} fixed`];
}

export function markdownOf(report: ReviewReport): string {
  const { decision, input } = report;
  const pr = input.pr.number === null ? 'a run' : `PR #${input.pr.number}`;
  const ran = report.results.filter((r) => r.status !== 'skipped').length;
  // Which analyzers looked at the diff, so nobody reads "approved" as "scanned everything".
  const analyzers = report.results.filter((r) => r.kind === 'analyzer' && r.status === 'success').map((r) => r.agentId);
  const notReviewed = report.coverage?.notReviewed ?? [];
  const lines = [
    `# ${decision.action.replace('_', ' ').toUpperCase()}: ${pr}${input.repo ? ` in ${input.repo}` : ''}`,
    '',
    `- Event: \`${report.event}\` (${report.strategy.execution}) ${report.strategy.description}`,
    `- Title: ${input.pr.title || '(none)'}`,
    `- Files: ${input.files.length}; coverage: ${ran} of ${report.results.length} agents ran`,
    `- Analyzers that ran: ${analyzers.length ? analyzers.join(', ') : 'none'}`,
    ...(notReviewed.length ? [`- **Not reviewed:** ${notReviewed.join('; ')}`] : []),
    ...incrementalLines(report),
    ...(report.config ? [`- Configuration: ${report.config.source}${report.config.problems.length ? ' — **not applied, defaults used:** ' + report.config.problems.join('; ') : ''}`] : []),
    `- Started ${report.startedAt}, finished ${report.finishedAt}`,
    '',
    '## Decision',
    '',
    `**${decision.action}** — ${decision.reason}`,
    '',
    ...decision.reasons.map((r) => `- ${r}`),
    ...(decision.skippedAgents.length ? ['', `Skipped: ${decision.skippedAgents.join(', ')}`] : []),
    '',
    '## Agents',
    '',
    '| agent | kind | status | verdict | time ms | note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.results.map(
      (r) => `| ${r.agentId} | ${r.kind} | ${r.status} | ${r.verdict ?? '-'} | ${r.executionTime} | ${(r.reason ?? r.output).replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 160)} |`,
    ),
    '',
    '## Findings',
    '',
  ];
  const where = (f: Finding) => (f.file ? `\`${f.file}${f.line ? `:${f.line}` : ''}\`` : '(pull request)');
  const findings = report.results.flatMap((r) => r.findings.map((f) => ({ agent: r.agentId, ...f })));
  if (findings.length === 0) lines.push('None.');
  for (const f of findings) {
    const carried = f.carriedFrom ? ` (still there since ${f.carriedFrom.slice(0, 7)})` : '';
    lines.push(`- **${f.severity}** ${where(f)} ${f.message}${f.rule ? ` [${f.rule}]` : ''} — ${f.agent}${carried}${f.fix ? `\n  - Fix: ${f.fix}` : ''}`);
  }
  const fixed = report.incremental && 'fixed' in report.incremental ? report.incremental.fixed : [];
  if (fixed.length > 0) {
    lines.push('', '## Fixed since the last review', '');
    for (const f of fixed) lines.push(`- ${f.severity} ${where(f)} ${f.message}${f.rule ? ` [${f.rule}]` : ''} — ${f.agent}`);
  }
  // Suppressed findings stay in sight: who set them aside (an inline comment in the change, or .bsm.yml) and why.
  const suppressed = report.results.flatMap((r) => (r.suppressed ?? []).map((f) => ({ agent: r.agentId, ...f })));
  if (suppressed.length > 0) {
    lines.push('', '## Suppressed', '', `${suppressed.length} finding(s) not counted:`, '');
    for (const f of suppressed) {
      const by = f.suppressedBy === 'inline' ? `bsm-ignore in the code: "${f.reason}"` : f.reason;
      lines.push(`- ${f.severity} ${where(f)} ${f.message}${f.rule ? ` [${f.rule}]` : ''} — ${by}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
