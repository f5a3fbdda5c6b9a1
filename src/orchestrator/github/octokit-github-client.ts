import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Octokit } from '@octokit/rest';
import { PinoLogger } from 'nestjs-pino';
import type { Env } from '../../infra/config/env.schema';
import { attemptWithin } from '../../infra/resilience/abort';
import { BreakerRegistry, type ManagedBreaker } from '../../infra/resilience/breaker-registry';
import type { ChangedFile } from '../../review/review.model';
import { GitHubClient, isGitHubRefusal, type CheckHandle, type CheckResult, type InlineComment, type PostedDecision, type PullRequestRef, type ReviewEvent } from './github-client';

/** Marks BSM's summary comment, so later runs update it instead of adding another. */
export const SUMMARY_MARKER = '<!-- bsm:summary -->';
/** Marks BSM's reviews, so an attempt retried after posting one finds it. */
const REVIEW_MARKER = '<!-- bsm:review -->';
/** The state GitHub gives a review of each event. */
const REVIEW_STATE: Record<ReviewEvent, string> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };
/** The check run's name, one per reviewed head commit; and the commit status's context. */
export const CHECK_NAME = 'BSM review';
export const STATUS_CONTEXT = 'bsm/review';
const CALL_TIMEOUT_MS = 15_000;
/** GitHub takes at most 50 annotations per request; the rest go in updates. */
const ANNOTATIONS_PER_REQUEST = 50;
/** A rate limit asking for a longer wait than this is not waited out: the call fails and is recorded. */
const MAX_RATE_LIMIT_WAIT_S = 10;

export class GitHubTimeoutError extends Error {
  constructor(ms: number) {
    super(`GitHub did not answer within ${ms} ms`);
    this.name = 'GitHubTimeoutError';
  }
}

/** An App installation BSM cannot act for: the webhook named none. Not an outage of GitHub. */
export class GitHubNotInstalledError extends Error {
  readonly status = 400;
  constructor() {
    super('the webhook names no installation of the GitHub App (GITHUB_APP_ID is set): the decision is recorded only');
    this.name = 'GitHubNotInstalledError';
  }
}


/**
 * GitHub through the official @octokit/rest (loaded on first use, so an instance without GitHub never loads it):
 * as a GitHub App (@octokit/auth-app: an installation token per webhook's installation, cached until shortly
 * before it expires) or with a token; rate limits honoured by @octokit/plugin-throttling and 5xx answers retried by
 * @octokit/plugin-retry, both only for what is safe to send twice (GET, PATCH); every call behind the `github`
 * circuit breaker and a per-call timeout.
 */
@Injectable()
export class OctokitGitHubClient extends GitHubClient implements OnModuleInit {
  private readonly octokits = new Map<string, Promise<Octokit>>();
  private breaker!: ManagedBreaker;
  private readonly token?: string;
  private readonly app?: { appId: number; privateKey: string };
  private readonly baseUrl: string;

  constructor(
    config: ConfigService<Env, true>,
    private readonly breakers: BreakerRegistry,
    private readonly logger: PinoLogger,
  ) {
    super();
    logger.setContext(OctokitGitHubClient.name);
    this.token = config.get('GITHUB_TOKEN', { infer: true });
    // Boot validation checked the key and keeps it as a PEM in GITHUB_APP_PRIVATE_KEY (read from its file if need be).
    const appId = config.get('GITHUB_APP_ID', { infer: true });
    const privateKey = config.get('GITHUB_APP_PRIVATE_KEY', { infer: true });
    if (appId !== undefined && privateKey !== undefined) this.app = { appId, privateKey };
    this.baseUrl = config.get('GITHUB_API_URL', { infer: true }).replace(/\/$/, '');
  }

  onModuleInit(): void {
    this.breaker = this.breakers.register('github', { isIgnored: isGitHubRefusal, isTimeout: (e) => e instanceof GitHubTimeoutError });
  }

  get mode(): 'app' | 'token' | 'none' {
    return this.app ? 'app' : this.token !== undefined ? 'token' : 'none';
  }

  get configured(): boolean {
    return this.mode !== 'none';
  }

  private client(pr: PullRequestRef): Promise<Octokit> {
    if (this.app && pr.installationId === undefined) return Promise.reject(new GitHubNotInstalledError());
    const key = this.app ? `installation:${pr.installationId}` : 'token';
    let client = this.octokits.get(key);
    if (!client) {
      client = this.build(pr.installationId);
      client.catch(() => this.octokits.delete(key));
      this.octokits.set(key, client);
    }
    return client;
  }

  private async build(installationId?: number): Promise<Octokit> {
    const [{ Octokit }, { retry: retries }, { throttling }, { createAppAuth }] = await Promise.all([
      import('@octokit/rest'),
      import('@octokit/plugin-retry'),
      import('@octokit/plugin-throttling'),
      import('@octokit/auth-app'),
    ]);
    // Octokit logs failed requests to the console; they belong in BSM's JSON log (the caller records the error too).
    const log = { debug: () => undefined, info: () => undefined, warn: (m: string) => this.logger.warn(m), error: (m: string) => this.logger.warn(m) };
    // A POST sent twice is worse than one missing (two reviews, two check runs): only GET and PATCH are retried.
    const retry = (after: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const safe = (options.method === 'GET' || options.method === 'PATCH') && retryCount < 2 && after <= MAX_RATE_LIMIT_WAIT_S;
      this.logger.warn(`GitHub rate limit on ${options.method} ${options.url}: ${safe ? `retrying after ${after} s` : 'not retried'}`);
      return safe;
    };
    const Client = Octokit.plugin(retries, throttling);
    const auth = this.app ? { authStrategy: createAppAuth, auth: { appId: this.app.appId, privateKey: this.app.privateKey, installationId } } : { auth: this.token };
    const octokit = new Client({ ...auth, baseUrl: this.baseUrl, userAgent: 'bsm', log, retry: { retries: 2 }, throttle: { onRateLimit: retry, onSecondaryRateLimit: retry } });
    // 5xx answers are retried (twice, after 1 and 4 s) for GET and PATCH only, for the same reason as rate limits.
    octokit.hook.before('request', (options) => {
      if (options.method !== 'GET' && options.method !== 'PATCH') options.request = { ...options.request, retries: 0 };
    });
    return octokit as unknown as Octokit;
  }

  private call<T>(pr: PullRequestRef, work: (octokit: Octokit, signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.breaker.fire(async (breakerSignal) => {
      const octokit = await this.client(pr);
      return attemptWithin(breakerSignal, CALL_TIMEOUT_MS, (signal) => work(octokit, signal), () => new GitHubTimeoutError(CALL_TIMEOUT_MS));
    });
  }

  listFiles(pr: PullRequestRef): Promise<ChangedFile[]> {
    return this.call(pr, async (octokit, signal) => {
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: pr.owner, repo: pr.repo, pull_number: pr.number, per_page: 100, request: { signal } });
      return files.map((f) => ({ filename: f.filename, status: f.status, additions: f.additions, deletions: f.deletions, patch: f.patch }));
    });
  }

  compare(pr: PullRequestRef, base: string, head: string): Promise<{ status: 'ahead' | 'behind' | 'diverged' | 'identical'; files: ChangedFile[] }> {
    return this.call(pr, async (octokit, signal) => {
      const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: pr.owner, repo: pr.repo, basehead: `${base}...${head}`, request: { signal } });
      const files = (data.files ?? []).map((f) => ({ filename: f.filename, status: f.status, additions: f.additions, deletions: f.deletions, patch: f.patch }));
      return { status: data.status, files };
    });
  }

  fileAt(pr: PullRequestRef, path: string, ref?: string): Promise<string | null> {
    return this.call(pr, async (octokit, signal) => {
      try {
        const { data } = await octokit.rest.repos.getContent({ owner: pr.owner, repo: pr.repo, path, ...(ref ? { ref } : {}), request: { signal } });
        return !Array.isArray(data) && data.type === 'file' && 'content' in data ? Buffer.from(data.content, 'base64').toString('utf8') : null;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
    });
  }

  startCheck(pr: PullRequestRef, detailsUrl?: string): Promise<CheckHandle> {
    return this.call(pr, async (octokit, signal) => {
      const ref = { owner: pr.owner, repo: pr.repo, request: { signal } };
      const link = detailsUrl ? { details_url: detailsUrl } : {};
      if (this.mode !== 'app') {
        await octokit.rest.repos.createCommitStatus({ ...ref, sha: pr.headSha!, state: 'pending', context: STATUS_CONTEXT, description: 'Review in progress', ...(detailsUrl ? { target_url: detailsUrl } : {}) });
        return { kind: 'status' };
      }
      // A redelivery or a retried job finds the check run it already created for this commit, instead of adding one.
      const { data } = await octokit.rest.checks.listForRef({ ...ref, ref: pr.headSha!, check_name: CHECK_NAME, filter: 'latest' });
      const existing = data.check_runs[0];
      if (existing) {
        await octokit.rest.checks.update({ ...ref, check_run_id: existing.id, status: 'in_progress', ...link });
        return { kind: 'check_run', id: existing.id };
      }
      const created = await octokit.rest.checks.create({ ...ref, name: CHECK_NAME, head_sha: pr.headSha!, status: 'in_progress', ...link });
      return { kind: 'check_run', id: created.data.id };
    });
  }

  finishCheck(pr: PullRequestRef, handle: CheckHandle, result: CheckResult): Promise<void> {
    return this.call(pr, async (octokit, signal) => {
      const ref = { owner: pr.owner, repo: pr.repo, request: { signal } };
      if (handle.kind === 'status') {
        const { state, description } = result.status;
        await octokit.rest.repos.createCommitStatus({ ...ref, sha: pr.headSha!, state, context: STATUS_CONTEXT, description, ...(result.detailsUrl ? { target_url: result.detailsUrl } : {}) });
        return;
      }
      const batches: CheckResult['annotations'][] = [];
      for (let i = 0; i < result.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(result.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
      const output = (annotations: CheckResult['annotations']) => ({ title: result.title, summary: result.summary, ...(annotations.length ? { annotations } : {}) });
      await octokit.rest.checks.update({
        ...ref,
        check_run_id: handle.id,
        status: 'completed',
        conclusion: result.conclusion,
        completed_at: new Date().toISOString(),
        output: output(batches[0] ?? []),
      });
      for (const batch of batches.slice(1)) await octokit.rest.checks.update({ ...ref, check_run_id: handle.id, output: output(batch) });
    });
  }

  postDecision(pr: PullRequestRef, review: ReviewEvent, body: string, labels: string[], comments: InlineComment[]): Promise<PostedDecision> {
    return this.call(pr, async (octokit, signal) => {
      const ref = { owner: pr.owner, repo: pr.repo, request: { signal } };
      const summary = `${SUMMARY_MARKER}\n${body}`;
      const existing = (await octokit.paginate(octokit.rest.issues.listComments, { ...ref, issue_number: pr.number, per_page: 100 })).find((c) => c.body?.startsWith(SUMMARY_MARKER));
      const comment = existing
        ? (await octokit.rest.issues.updateComment({ ...ref, comment_id: existing.id, body: summary })).data
        : (await octokit.rest.issues.createComment({ ...ref, issue_number: pr.number, body: summary })).data;
      const inline = comments.map((c) => ({ path: c.path, line: c.line, side: 'RIGHT' as const, body: c.body }));
      // A retried attempt (the process died after posting) finds the review it posted on this commit instead of
      // posting it twice.
      const reviews = pr.headSha ? await octokit.paginate(octokit.rest.pulls.listReviews, { ...ref, pull_number: pr.number, per_page: 100 }) : [];
      const posted = reviews.some((r) => r.commit_id === pr.headSha && r.body?.startsWith(REVIEW_MARKER) && r.state === REVIEW_STATE[review]);
      if (!posted) {
        await octokit.rest.pulls.createReview({
          ...ref,
          pull_number: pr.number,
          event: review,
          body: `${REVIEW_MARKER}\n${body}`.slice(0, 60_000),
          ...(pr.headSha ? { commit_id: pr.headSha } : {}),
          ...(inline.length ? { comments: inline } : {}),
        });
      }
      if (labels.length > 0) await octokit.rest.issues.addLabels({ ...ref, issue_number: pr.number, labels });
      return { review, labels, commentId: comment.id, commentCreated: !existing, reviewCreated: !posted, inlineComments: posted ? 0 : inline.length };
    });
  }
}
