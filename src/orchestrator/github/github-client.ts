import type { ChangedFile } from '../../review/review.model';

export type ReviewEvent = 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  /** The GitHub App installation the webhook came from (its `installation.id`). */
  installationId?: number;
  /** The head commit reviewed: where the check run or commit status goes. */
  headSha?: string;
}

/** A comment on a line of the diff (the new file's side). */
export interface InlineComment {
  path: string;
  line: number;
  body: string;
}

export interface PostedDecision {
  review: ReviewEvent;
  labels: string[];
  commentId: number;
  /** false when an earlier run's summary comment was updated in place. */
  commentCreated: boolean;
  /** false when this review was already on the head commit (an attempt retried after posting it). */
  reviewCreated: boolean;
  /** Review comments on diff lines. */
  inlineComments: number;
}

/** What went out to GitHub for a job, and what GitHub refused (each naming the permission it needs). */
export interface GitHubOutcome extends Partial<PostedDecision> {
  check?: { kind: 'check_run'; id: number; conclusion: string; annotations: number } | { kind: 'status'; state: string };
  /** The review could not be posted (the check run or status may still have gone out). */
  error?: string;
  problems: string[];
}

/** An annotation of a check run, in GitHub's shape. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
  raw_details?: string;
}

/** The outcome on the head commit, for a check run (conclusion, output) or a commit status (state, description). */
export interface CheckResult {
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
  status: { state: 'success' | 'failure'; description: string };
  detailsUrl?: string;
}

/** Where the outcome goes: a check run (only Apps may create them), else a commit status. */
export type CheckHandle = { kind: 'check_run'; id: number } | { kind: 'status' };

/**
 * GitHub refusing a request (4xx other than 408/429: a missing permission, a deleted PR, no installation): the
 * request is wrong, GitHub is not down, and retrying will not change the answer.
 */
export function isGitHubRefusal(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** Port: the GitHub API calls BSM makes. */
export abstract class GitHubClient {
  abstract get configured(): boolean;
  /** How BSM authenticates: as a GitHub App (installation tokens), with a token, or not at all. */
  abstract get mode(): 'app' | 'token' | 'none';
  abstract listFiles(pr: PullRequestRef): Promise<ChangedFile[]>;
  /**
   * The changes from `base` to `head` (GitHub's compare): `ahead` when `base` is an ancestor of `head` (new commits
   * on top), `diverged` or `behind` after a force-push, `identical` when nothing changed.
   */
  abstract compare(pr: PullRequestRef, base: string, head: string): Promise<{ status: 'ahead' | 'behind' | 'diverged' | 'identical'; files: ChangedFile[] }>;
  /** A file's text at a ref (branch, tag or SHA; the default branch when absent); null when there is no such file. */
  abstract fileAt(pr: PullRequestRef, path: string, ref?: string): Promise<string | null>;
  /** Marks the head commit as being reviewed: a check run in progress (found again, not duplicated), or a pending status. */
  abstract startCheck(pr: PullRequestRef, detailsUrl?: string): Promise<CheckHandle>;
  /** Completes the check run (annotations 50 per request, as GitHub takes them) or sets the final status. */
  abstract finishCheck(pr: PullRequestRef, handle: CheckHandle, result: CheckResult): Promise<void>;
  /** Posts a review (with comments on diff lines), adds labels, and creates or updates BSM's one summary comment. */
  abstract postDecision(pr: PullRequestRef, review: ReviewEvent, body: string, labels: string[], comments: InlineComment[]): Promise<PostedDecision>;
}
