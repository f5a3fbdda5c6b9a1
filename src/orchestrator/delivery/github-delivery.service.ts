import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../infra/config/env.schema';
import { markdownOf, type ReviewReport } from '../../review/report/review-report';
import type { ChangedFile } from '../../review/review.model';
import { GitHubClient, type CheckHandle, type GitHubOutcome, type PullRequestRef, type ReviewEvent } from '../github/github-client';
import { checkResultOf, inlineCommentsOf } from './check-output';

/** What each call needs of a GitHub App's permissions (a token needs the same scopes). */
const NEEDS = { check: 'checks: write', status: 'commit statuses: write', review: 'pull requests: write' } as const;

function problemOf(what: string, needs: string, error: unknown): string {
  const status = (error as { status?: number }).status;
  const message = (error as Error).message.split('\n')[0];
  return status === 403 || status === 404 ? `${what}: GitHub answered ${status} (${message}); it needs ${needs}` : `${what}: ${message}`;
}

/** Delivery: carries a decision out on its pull request. */
@Injectable()
export class GitHubDelivery {
  private readonly autoApprove: Env['AUTO_APPROVE'];
  private readonly publicUrl?: string;

  constructor(
    private readonly github: GitHubClient,
    config: ConfigService<Env, true>,
  ) {
    this.autoApprove = config.get('AUTO_APPROVE', { infer: true });
    this.publicUrl = config.get('PUBLIC_URL', { infer: true })?.replace(/\/$/, '');
  }

  get configured(): boolean {
    return this.github.configured;
  }

  private reviewPage(jobId: string): string | undefined {
    return this.publicUrl ? `${this.publicUrl}/reviews/${jobId}` : undefined;
  }

  /** Marks the head commit as under review (check run in progress, or a pending status); a refusal is recorded, not fatal. */
  async start(pr: PullRequestRef, jobId: string): Promise<CheckHandle | { problem: string }> {
    if (!pr.headSha) return { problem: 'no head commit in the payload: no check run or status' };
    try {
      return await this.github.startCheck(pr, this.reviewPage(jobId));
    } catch (error) {
      const app = this.github.mode === 'app';
      return { problem: problemOf(app ? 'creating the check run' : 'setting the commit status', app ? NEEDS.check : NEEDS.status, error) };
    }
  }

  /**
   * request_changes → REQUEST_CHANGES; block_pr → REQUEST_CHANGES + `blocked`; manual_review →
   * COMMENT + `needs-review`; approve → APPROVE only as AUTO_APPROVE allows (by default only when
   * an analyzer approved: PR text can steer a model), else COMMENT. High and critical findings go on their
   * lines as review comments; the check run (or status) is completed. Each failure is recorded, none is fatal.
   */
  async post(pr: PullRequestRef, report: ReviewReport, files: readonly ChangedFile[], started: CheckHandle | { problem: string } | undefined): Promise<GitHubOutcome> {
    const { decision, results } = report;
    const analyzersPassed =
      results.some((r) => r.kind === 'analyzer' && r.status === 'success') &&
      results.every((r) => r.kind !== 'analyzer' || (r.status === 'success' && r.verdict === 'approve'));
    const approve = this.autoApprove === 'any' || (this.autoApprove === 'analyzers' && analyzersPassed);
    const [review, labels]: [ReviewEvent, string[]] =
      decision.action === 'approve'
        ? [approve ? 'APPROVE' : 'COMMENT', []]
        : decision.action === 'request_changes'
          ? ['REQUEST_CHANGES', []]
          : decision.action === 'block_pr'
            ? ['REQUEST_CHANGES', ['blocked']]
            : ['COMMENT', ['needs-review']];
    const outcome: GitHubOutcome = { problems: [] };
    if (started && 'problem' in started) outcome.problems.push(started.problem);
    const { comments, left } = inlineCommentsOf(report, files);
    const body = `${markdownOf(report)}${left > 0 ? `\n${left} more high or critical finding(s) are listed above without a comment on their line.\n` : ''}`;
    try {
      Object.assign(outcome, await this.github.postDecision(pr, review, body, labels, comments));
    } catch (error) {
      outcome.error = problemOf('posting the review', NEEDS.review, error);
      outcome.problems.push(outcome.error);
    }
    if (started && !('problem' in started)) {
      const result = checkResultOf(report, files, this.reviewPage(report.jobId));
      try {
        await this.github.finishCheck(pr, started, result);
        outcome.check =
          started.kind === 'check_run'
            ? { kind: 'check_run', id: started.id, conclusion: result.conclusion, annotations: result.annotations.length }
            : { kind: 'status', state: result.status.state };
      } catch (error) {
        outcome.problems.push(problemOf(started.kind === 'check_run' ? 'completing the check run' : 'setting the commit status', started.kind === 'check_run' ? NEEDS.check : NEEDS.status, error));
      }
    }
    return outcome;
  }
}
