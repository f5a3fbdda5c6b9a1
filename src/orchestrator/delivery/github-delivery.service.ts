import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainException } from '../../common/errors/domain.exception';
import type { Env } from '../../infra/config/env.schema';
import { markdownOf, type ReviewReport } from '../../review/report/review-report';
import { GitHubClient, type PostedDecision, type PullRequestRef, type ReviewEvent } from '../github/github-client';

/** Delivery: carries a decision out on its pull request. */
@Injectable()
export class GitHubDelivery {
  private readonly autoApprove: Env['AUTO_APPROVE'];

  constructor(
    private readonly github: GitHubClient,
    config: ConfigService<Env, true>,
  ) {
    this.autoApprove = config.get('AUTO_APPROVE', { infer: true });
  }

  get configured(): boolean {
    return this.github.configured;
  }

  /**
   * request_changes → REQUEST_CHANGES; block_pr → REQUEST_CHANGES + `blocked`; manual_review →
   * COMMENT + `needs-review`; approve → APPROVE only as AUTO_APPROVE allows (by default only when
   * an analyzer approved: PR text can steer a model), else COMMENT. A failure is recorded, not fatal.
   */
  async post(pr: PullRequestRef, report: ReviewReport): Promise<PostedDecision | { error: string }> {
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
    try {
      return await this.github.postDecision(pr, review, markdownOf(report), labels);
    } catch (error) {
      return { error: error instanceof DomainException ? error.message : (error as Error).message };
    }
  }
}
