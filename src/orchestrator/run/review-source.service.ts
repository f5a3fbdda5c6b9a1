import { Injectable, Logger } from '@nestjs/common';
import { CONFIG_FILE, NO_REPO_CONFIG, type RepoConfig } from '../../review/policy/repo-config';
import { ReviewEngine } from '../../review/review-engine';
import type { ReviewInput } from '../../review/review.model';
import { GitHubClient, isGitHubRefusal, type PullRequestRef } from '../github/github-client';
import { JobStore, type Job } from '../jobs/job-store';
import type { Baseline } from '../../review/incremental/carry-forward';


/** The head commit a job's payload names. */
const HEAD_SHA = (job: Pick<Job, 'payload'>) => (job.payload.pull_request as { head?: { sha?: unknown } } | undefined)?.head?.sha;

/** The pull request a job reviews, with the App installation and head commit its payload names. */
export function pullRequestRef(job: Pick<Job, 'input' | 'payload'>): PullRequestRef | null {
  const [owner, repo] = (job.input.repo ?? '').split('/');
  if (!owner || !repo || job.input.pr.number === null) return null;
  const installation = (job.payload.installation as { id?: unknown } | undefined)?.id;
  const sha = HEAD_SHA(job);
  return {
    owner,
    repo,
    number: job.input.pr.number,
    ...(typeof installation === 'number' ? { installationId: installation } : {}),
    ...(typeof sha === 'string' ? { headSha: sha } : {}),
  };
}

/** What a job reviews, and how: the whole pull request, or only the commits since an earlier review. */
export interface ReviewScope {
  input: ReviewInput;
  config: RepoConfig;
  /** An incremental review: the earlier review it builds on (its findings are carried forward or fixed). */
  baseline?: Baseline;
  /** Why a push was reviewed whole although an earlier review exists (a force-push). */
  fullReview?: string;
}

/** What a job reviews: its input with the diff (fetched when the payload had none), and the repository's configuration. */
@Injectable()
export class ReviewSource {
  private readonly logger = new Logger(ReviewSource.name);

  constructor(
    private readonly github: GitHubClient,
    private readonly engine: ReviewEngine,
    private readonly jobs: JobStore,
  ) {}

  async resolve(job: Job): Promise<ReviewScope> {
    const pr = pullRequestRef(job);
    const config = await this.configOf(job, pr);
    const incremental = await this.incremental(job, pr);
    if (incremental) return { ...incremental, config };
    return { ...(await this.whole(job, pr)), config };
  }

  /**
   * A push (`synchronize`) after a completed review of the same pull request: the commits since that review's head,
   * by GitHub's compare. When that head is not an ancestor of the new one (a force-push), the review is whole.
   */
  private async incremental(job: Job, pr: PullRequestRef | null): Promise<Omit<ReviewScope, 'config'> | undefined> {
    if (job.event !== 'pull_request.synchronize' || !pr?.headSha || job.input.files.length > 0 || !this.github.configured) return undefined;
    const { jobs } = await this.jobs.list({ repo: job.repo ?? undefined, pr: pr.number, status: 'completed' }, 20);
    const earlier = jobs.find((j) => j.id !== job.id && j.createdAt <= job.createdAt && typeof HEAD_SHA(j) === 'string' && HEAD_SHA(j) !== pr.headSha && (j.results?.length ?? 0) > 0);
    if (!earlier) return undefined;
    const since = HEAD_SHA(earlier) as string;
    const { status, files } = await this.github.compare(pr, since, pr.headSha);
    if (status !== 'ahead') {
      return { ...(await this.whole(job, pr)), fullReview: `reviewed whole: ${since.slice(0, 7)}, the head of the last review, is not an ancestor of ${pr.headSha.slice(0, 7)} (${status}: a force-push)` };
    }
    return { input: { ...job.input, files }, baseline: { headSha: since, results: earlier.results ?? [] } };
  }

  private async whole(job: Job, pr: PullRequestRef | null): Promise<{ input: ReviewInput }> {
    let input = job.input;
    if (input.files.length === 0 && pr && this.github.configured) {
      // Without the diff the analyzers would pass anything: a transient failure fails the attempt (it is retried).
      // GitHub refusing (no installation, a missing permission, the PR gone) will not change on a retry: the
      // review goes on without the diff, which the decision then names as not reviewed — never an approval.
      try {
        input = { ...input, files: await this.github.listFiles(pr) };
      } catch (error) {
        if (!isGitHubRefusal(error)) throw error;
        this.logger.warn(`job ${job.id}: the changed files of ${pr.owner}/${pr.repo}#${pr.number} could not be fetched: ${(error as Error).message}`);
      }
    }
    return { input };
  }

  /**
   * The run's own `config`, else `.bsm.yml` from the pull request's base branch — never from its head, which the
   * author controls. A file GitHub refuses (a missing permission) leaves the defaults, saying why; a transient
   * failure fails the attempt, so it is retried.
   */
  private async configOf(job: Job, pr: PullRequestRef | null): Promise<RepoConfig> {
    if (job.context?.config !== undefined) return this.engine.readConfigObject(job.context.config, 'config');
    if (!pr || !this.github.configured) return NO_REPO_CONFIG;
    const base = (job.payload.pull_request as { base?: { ref?: unknown } } | undefined)?.base?.ref;
    const ref = typeof base === 'string' && base ? base : undefined;
    const source = `${CONFIG_FILE} on ${ref ?? 'the default branch'}`;
    try {
      const text = await this.github.fileAt(pr, CONFIG_FILE, ref);
      return text === null ? NO_REPO_CONFIG : await this.engine.readConfigFile(text, source);
    } catch (error) {
      if (!isGitHubRefusal(error)) throw error;
      const status = (error as { status: number }).status;
      return { ...NO_REPO_CONFIG, source, problems: [`${CONFIG_FILE} could not be read (GitHub answered ${status}: the app needs contents: read)`] };
    }
  }
}
