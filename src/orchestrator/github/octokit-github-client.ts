import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Octokit } from '@octokit/rest';
import { PinoLogger } from 'nestjs-pino';
import type { Env } from '../../infra/config/env.schema';
import { attemptWithin } from '../../infra/resilience/abort';
import { BreakerRegistry, type ManagedBreaker } from '../../infra/resilience/breaker-registry';
import type { ChangedFile } from '../../review/review.model';
import { GitHubClient, type PostedDecision, type PullRequestRef, type ReviewEvent } from './github-client';

/** Marks BSM's summary comment, so later runs update it instead of adding another. */
export const SUMMARY_MARKER = '<!-- bsm:summary -->';
const CALL_TIMEOUT_MS = 15_000;

export class GitHubTimeoutError extends Error {
  constructor(ms: number) {
    super(`GitHub did not answer within ${ms} ms`);
    this.name = 'GitHubTimeoutError';
  }
}

/** 4xx other than 408/429 say the request is wrong (permissions, a deleted PR), not that GitHub is down. */
function isClientError(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * GitHub through the official @octokit/rest (loaded on first use, so an instance without GitHub never loads it),
 * every call behind the `github` circuit breaker and a per-call timeout.
 */
@Injectable()
export class OctokitGitHubClient extends GitHubClient implements OnModuleInit {
  private octokit?: Promise<Octokit>;
  private breaker!: ManagedBreaker;
  private readonly token?: string;
  private readonly baseUrl: string;

  constructor(
    config: ConfigService<Env, true>,
    private readonly breakers: BreakerRegistry,
    private readonly logger: PinoLogger,
  ) {
    super();
    logger.setContext(OctokitGitHubClient.name);
    this.token = config.get('GITHUB_TOKEN', { infer: true });
    this.baseUrl = config.get('GITHUB_API_URL', { infer: true }).replace(/\/$/, '');
  }

  onModuleInit(): void {
    this.breaker = this.breakers.register('github', { isIgnored: isClientError, isTimeout: (e) => e instanceof GitHubTimeoutError });
  }

  get configured(): boolean {
    return this.token !== undefined;
  }

  private client(): Promise<Octokit> {
    // Octokit logs failed requests to the console; they belong in BSM's JSON log (the caller records the error too).
    const log = { debug: () => undefined, info: () => undefined, warn: (m: string) => this.logger.warn(m), error: (m: string) => this.logger.warn(m) };
    this.octokit ??= import('@octokit/rest').then(({ Octokit }) => new Octokit({ auth: this.token, baseUrl: this.baseUrl, userAgent: 'bsm', log }));
    return this.octokit;
  }

  private call<T>(work: (octokit: Octokit, signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.breaker.fire(async (breakerSignal) => {
      const octokit = await this.client();
      return attemptWithin(breakerSignal, CALL_TIMEOUT_MS, (signal) => work(octokit, signal), () => new GitHubTimeoutError(CALL_TIMEOUT_MS));
    });
  }

  listFiles(pr: PullRequestRef): Promise<ChangedFile[]> {
    return this.call(async (octokit, signal) => {
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
        owner: pr.owner,
        repo: pr.repo,
        pull_number: pr.number,
        per_page: 100,
        request: { signal },
      });
      return files.map((f) => ({ filename: f.filename, status: f.status, additions: f.additions, deletions: f.deletions, patch: f.patch }));
    });
  }

  fileAt(pr: PullRequestRef, path: string, ref?: string): Promise<string | null> {
    return this.call(async (octokit, signal) => {
      try {
        const { data } = await octokit.rest.repos.getContent({ owner: pr.owner, repo: pr.repo, path, ...(ref ? { ref } : {}), request: { signal } });
        return !Array.isArray(data) && data.type === 'file' && 'content' in data ? Buffer.from(data.content, 'base64').toString('utf8') : null;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
    });
  }

  postDecision(pr: PullRequestRef, review: ReviewEvent, body: string, labels: string[]): Promise<PostedDecision> {
    return this.call(async (octokit, signal) => {
      const ref = { owner: pr.owner, repo: pr.repo, request: { signal } };
      const summary = `${SUMMARY_MARKER}\n${body}`;
      const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...ref, issue_number: pr.number, per_page: 100 });
      const existing = comments.find((c) => c.body?.startsWith(SUMMARY_MARKER));
      const comment = existing
        ? (await octokit.rest.issues.updateComment({ ...ref, comment_id: existing.id, body: summary })).data
        : (await octokit.rest.issues.createComment({ ...ref, issue_number: pr.number, body: summary })).data;
      await octokit.rest.pulls.createReview({ ...ref, pull_number: pr.number, event: review, body: body.slice(0, 60_000) });
      if (labels.length > 0) await octokit.rest.issues.addLabels({ ...ref, issue_number: pr.number, labels });
      return { review, labels, commentId: comment.id, commentCreated: !existing };
    });
  }
}
