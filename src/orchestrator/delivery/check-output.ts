import { shownLines } from '../../review/diff/added-lines';
import { markdownOf, type ReviewReport } from '../../review/report/review-report';
import type { ChangedFile, DecisionAction, Finding, Severity } from '../../review/review.model';
import type { CheckAnnotation, CheckResult, InlineComment } from '../github/github-client';

/** GitHub's limit on a check run's summary. */
export const SUMMARY_LIMIT = 65_535;
/** Review comments on diff lines per review; the rest are counted in the summary. */
export const MAX_INLINE_COMMENTS = 30;

const CONCLUSION: Record<DecisionAction, CheckResult['conclusion']> = { approve: 'success', request_changes: 'failure', block_pr: 'failure', manual_review: 'neutral' };
const SENTENCE: Record<DecisionAction, string> = {
  approve: 'Approved',
  request_changes: 'Changes requested',
  block_pr: 'Blocked',
  manual_review: 'Manual review needed',
};
const LEVEL: Record<Severity, CheckAnnotation['annotation_level']> = { critical: 'failure', high: 'failure', medium: 'warning', low: 'notice', info: 'notice' };

function cut(text: string, limit: number, note: string): string {
  return text.length <= limit ? text : `${text.slice(0, limit - note.length - 2)}\n\n${note}`;
}

interface Located extends Finding {
  file: string;
  line: number;
}

/** The findings on lines of the diff (added lines, or context lines inside a hunk when `added` is false). */
function onDiffLines(findings: readonly Finding[], files: readonly ChangedFile[], addedOnly: boolean): Located[] {
  const lines = new Map(files.map((f) => [f.filename, new Set(shownLines(f).filter((l) => !addedOnly || l.added).map((l) => l.line))]));
  return findings.filter((f): f is Located => !!f.file && !!f.line && !!lines.get(f.file)?.has(f.line));
}

/**
 * The outcome on the head commit: the check run's conclusion (approve → success, request_changes and block_pr →
 * failure, manual_review → neutral), the decision in a sentence, the Markdown report as summary (cut to GitHub's
 * limit, saying so), one annotation per finding on an added line; for a commit status, success or failure with
 * the sentence (manual review is success, described as needing one, as a check run's neutral would be).
 */
export function checkResultOf(report: ReviewReport, files: readonly ChangedFile[], detailsUrl?: string): CheckResult {
  const { action, reason } = report.decision;
  const title = cut(`${SENTENCE[action]}: ${reason}`, 200, '…');
  // Findings carried forward from an earlier review were annotated then; their lines may have moved since.
  const findings = report.results.flatMap((r) => r.findings).filter((f) => !f.carriedFrom);
  const annotations = onDiffLines(findings, files, true).map(
    (f): CheckAnnotation => ({
      path: f.file,
      start_line: f.line,
      end_line: f.line,
      annotation_level: LEVEL[f.severity],
      title: f.rule ?? 'finding',
      message: f.message,
      ...(f.fix ? { raw_details: `Fix: ${f.fix}` } : {}),
    }),
  );
  return {
    conclusion: CONCLUSION[action],
    title,
    summary: cut(markdownOf(report), SUMMARY_LIMIT, '_The report is cut here: GitHub takes 65,535 characters. The whole report is on BSM._'),
    annotations,
    status: { state: action === 'request_changes' || action === 'block_pr' ? 'failure' : 'success', description: cut(`${SENTENCE[action]}: ${reason}`, 140, '…') },
    ...(detailsUrl ? { detailsUrl } : {}),
  };
}

/** Review comments for the new high and critical findings on lines of the diff, at most 30; and how many were left out. */
export function inlineCommentsOf(report: ReviewReport, files: readonly ChangedFile[]): { comments: InlineComment[]; left: number } {
  const serious = report.results.flatMap((r) => r.findings).filter((f) => (f.severity === 'critical' || f.severity === 'high') && !f.carriedFrom);
  const located = onDiffLines(serious, files, false);
  const comments = located.slice(0, MAX_INLINE_COMMENTS).map((f) => ({
    path: f.file,
    line: f.line,
    body: `**${f.severity}** ${f.message}${f.rule ? ` \`${f.rule}\`` : ''}${f.fix ? `\n\nFix: ${f.fix}` : ''}`,
  }));
  return { comments, left: located.length - comments.length };
}
