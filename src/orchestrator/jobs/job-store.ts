import type { AgentResult, Decision, DecisionAction, ReviewInput } from '../../review/review.model';
import type { GitHubOutcome } from '../github/github-client';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'superseded' | 'cancelled';
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'completed', 'failed', 'superseded', 'cancelled'];

/** The review engine's decision, with what was posted to the pull request (or why not). */
export interface JobDecision extends Decision {
  github?: GitHubOutcome;
}

export interface Job {
  id: string;
  event: string;
  status: JobStatus;
  repo: string | null;
  pr: number | null;
  /** The delivery as received, kept for the record: may hold secrets, never served. */
  payload: Record<string, unknown>;
  /** The payload read once, at intake: what the run reviews. */
  input: ReviewInput;
  context: Record<string, unknown> | null;
  results: AgentResult[] | null;
  decision: JobDecision | null;
  report: string | null;
  error: string | null;
  /** The worker running it (or that ran it last). */
  owner: string | null;
  attempts: number;
  correlationId: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export type NewJob = Pick<Job, 'id' | 'event' | 'repo' | 'pr' | 'payload' | 'input' | 'context' | 'correlationId'>;

export interface JobFilter {
  status?: JobStatus;
  event?: string;
  repo?: string;
  pr?: number;
  /** The decision's action. */
  decision?: DecisionAction;
  /** Created at or after / before. */
  since?: Date;
  until?: Date;
}

export interface JobPage {
  jobs: Job[];
  nextCursor: string | null;
}

export interface JobOutcome {
  status: 'completed' | 'failed';
  results: AgentResult[];
  decision: JobDecision | null;
  report: string | null;
  error: string | null;
}

export interface DeliveryOutcome {
  jobId: string;
  /** queued: a new job; coalesced: it replaced a queued job of the same PR; duplicate: seen before; rerun: a failed job queued again. */
  outcome: 'queued' | 'coalesced' | 'duplicate' | 'rerun';
}

/**
 * Port: orchestrator jobs in storage, and their place in the job queue. Storing a job and queueing it is
 * one transaction: a job is queued exactly when it is stored.
 */
export abstract class JobStore {
  /** Stores a queued job and queues it. */
  abstract create(job: NewJob): Promise<Job>;
  /**
   * A webhook delivery, atomically: a delivery id seen before returns its job (a failed
   * one is queued again); otherwise the job is stored and queued with the delivery, and with
   * `coalesce` it supersedes the queued jobs of the same event and pull request.
   */
  abstract acceptDelivery(job: NewJob, deliveryId: string, coalesce: boolean): Promise<DeliveryOutcome>;
  /** Queued or running → cancelled; false when the job had already ended. */
  abstract cancel(id: string): Promise<boolean>;
  abstract get(id: string): Promise<Job | null>;
  abstract list(filter: JobFilter, limit: number, cursor?: number): Promise<JobPage>;
  /**
   * A worker starts a job the queue gave it: queued (or running under a worker that died) → running under
   * `owner`. Null when the job no longer wants running (superseded, cancelled, ended) or no longer exists.
   */
  abstract start(id: string, owner: string): Promise<Job | null>;
  /** Running under `owner` → queued, with no outcome (`error` says why a retry is pending); false if no longer its. */
  abstract release(id: string, owner: string, error: string | null): Promise<boolean>;
  /** Records the outcome, if the job is still this owner's. */
  abstract finish(id: string, owner: string, outcome: JobOutcome): Promise<boolean>;
  /** A failed job back in the queue, from its dead letter (`deadLetterId`); false if either is gone. */
  abstract requeueDeadLetter(jobId: string, deadLetterId: string): Promise<boolean>;
  abstract countByStatus(): Promise<Partial<Record<JobStatus, number>>>;
  /** Retention: deletes ended jobs finished before `cutoff`; returns their ids. */
  abstract purgeEndedBefore(cutoff: Date): Promise<string[]>;
  /** Retention: forgets deliveries received before `cutoff`. */
  abstract purgeDeliveriesBefore(cutoff: Date): Promise<number>;
}
