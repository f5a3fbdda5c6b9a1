export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A verdict an analyzer gives, or an LLM agent in the structured answer asked of it. */
export type ReviewVerdict = 'approve' | 'request_changes' | 'block';
/** `unknown`: an LLM agent answered without the structured verdict; it never approves. */
export type Verdict = ReviewVerdict | 'unknown';
export const DECISION_ACTIONS = ['approve', 'request_changes', 'block_pr', 'manual_review'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

export interface Finding {
  severity: Severity;
  file?: string;
  line?: number;
  rule?: string;
  message: string;
  /** A short hint at the fix. */
  fix?: string;
  /** Stable across pushes (rule, file, the line's text): what `.bsm.yml` allow lists and SARIF de-duplicate by. */
  fingerprint?: string;
  /** Found by the review of this earlier head commit and still there: counted, not commented again. */
  carriedFrom?: string;
}

/** A finding that does not count, and why: an inline `bsm-ignore` with its reason, or the repository's configuration. */
export interface SuppressedFinding extends Finding {
  suppressedBy: 'inline' | 'config';
  /** The reason written beside the suppression, or the configuration entry that matched. */
  reason: string;
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

/** What a reviewer (an analyzer or an LLM agent) may do beyond giving its verdict, as its definition declares. */
export interface ReviewerPowers {
  /** Its block verdict, or a critical finding of its own, blocks the pull request (the agent's actions include block_pr). */
  block: boolean;
  /** Its review of the diff goes into review memory (the agent's capabilities include remember_reviews). */
  remember: boolean;
}

/** One reviewer's part in a review. */
export interface AgentResult {
  agentId: string;
  kind: 'llm' | 'analyzer';
  status: 'success' | 'failed' | 'skipped';
  verdict?: Verdict;
  output: string;
  findings: Finding[];
  /** Findings set aside by an inline suppression or the repository's configuration (listed, never counted). */
  suppressed?: SuppressedFinding[];
  metadata: { intent: string; action: string; allowed: boolean; model?: string; provider?: string };
  powers: ReviewerPowers;
  executionTime: number;
  reason?: string;
}

/** What a reviewer failing means for the decision. */
export const ON_FAILURE = ['block', 'manual_review', 'ignore'] as const;
export type OnFailure = (typeof ON_FAILURE)[number];

export interface Decision {
  action: DecisionAction;
  reason: string;
  reasons: string[];
  skippedAgents: string[];
  automated: boolean;
}
