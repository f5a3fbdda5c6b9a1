export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Verdict = 'approve' | 'request_changes' | 'block';
export type DecisionAction = 'approve' | 'request_changes' | 'block_pr' | 'manual_review';
export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'superseded' | 'cancelled';
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'completed', 'failed', 'superseded', 'cancelled'];

export interface Finding {
  severity: Severity;
  file?: string;
  line?: number;
  rule?: string;
  message: string;
}

/** A changed file, in the shape of GitHub's "list pull request files" API. */
export interface ChangedFile {
  filename: string;
  status?: string;
  additions?: number;
  deletions?: number;
  patch?: string;
}

/** What every agent of a run reviews: the pull request and its changed files. */
export interface ReviewInput {
  event: string;
  repo: string | null;
  pr: {
    number: number | null;
    title: string;
    body: string;
    draft: boolean;
    author: string | null;
    additions: number;
    deletions: number;
    changedFiles: number;
  };
  files: ChangedFile[];
}

export interface AgentResult {
  agentId: string;
  kind: 'llm' | 'analyzer';
  status: 'success' | 'failed' | 'skipped';
  verdict?: Verdict;
  output: string;
  findings: Finding[];
  metadata: { intent: string; action: string; allowed: boolean; model?: string; provider?: string };
  executionTime: number;
  reason?: string;
}

export interface Decision {
  action: DecisionAction;
  reason: string;
  reasons: string[];
  skippedAgents: string[];
  automated: boolean;
  /** What was posted to the pull request (with GITHUB_TOKEN, for GitHub deliveries), or why not. */
  github?: { review: string; labels: string[]; commentId: number; commentCreated: boolean } | { error: string };
}
