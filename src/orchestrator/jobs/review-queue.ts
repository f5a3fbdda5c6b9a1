import type { QueueSettings } from '../../infra/queue/job-queue';

/** The job queue that runs reviews; a queue entry carries only the id of the job row it runs. */
export const REVIEW_QUEUE = 'review';
/** Where a review job goes when its run threw past the retry limit. */
export const REVIEW_DEAD_LETTERS = 'review-dead-letters';

export interface ReviewQueueEntry {
  jobId: string;
}

/** pg-boss's shortest heartbeat: a worker that dies is noticed this long after its last beat, at most. */
export const HEARTBEAT_SECONDS = 10;

export function reviewQueueSettings(retryLimit: number, timeoutMs: number, retentionDays: number): QueueSettings {
  return {
    retryLimit,
    retryDelaySeconds: 1,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    expireInSeconds: Math.ceil(timeoutMs / 1000),
    retentionSeconds: retentionDays * 86_400,
    deadLetter: REVIEW_DEAD_LETTERS,
  };
}
