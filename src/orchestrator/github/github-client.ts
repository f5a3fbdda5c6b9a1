import type { ChangedFile } from '../../review/review.model';

export type ReviewEvent = 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

export interface PostedDecision {
  review: ReviewEvent;
  labels: string[];
  commentId: number;
  /** false when an earlier run's summary comment was updated in place. */
  commentCreated: boolean;
}

/** Port: the GitHub API calls BSM makes. */
export abstract class GitHubClient {
  abstract get configured(): boolean;
  abstract listFiles(pr: PullRequestRef): Promise<ChangedFile[]>;
  /** A file's text at a ref (branch, tag or SHA; the default branch when absent); null when there is no such file. */
  abstract fileAt(pr: PullRequestRef, path: string, ref?: string): Promise<string | null>;
  /** Posts a review, adds labels, and creates or updates BSM's one summary comment. */
  abstract postDecision(pr: PullRequestRef, review: ReviewEvent, body: string, labels: string[]): Promise<PostedDecision>;
}
