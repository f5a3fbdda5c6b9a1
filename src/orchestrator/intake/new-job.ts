import { randomUUID } from 'node:crypto';
import { reviewInputOf } from '../github/pull-request-payload';
import type { NewJob } from '../jobs/job-store';

/**
 * A job for a payload: the one place a payload is read into the review input that the job stores (a rerun
 * passes the input its original was reviewed on).
 */
export function newJob(
  event: string,
  payload: Record<string, unknown>,
  context: Record<string, unknown> | null,
  correlationId: string | undefined,
  input = reviewInputOf(event, payload),
): NewJob {
  return { id: randomUUID(), event, repo: input.repo, pr: input.pr.number, payload, input, context, correlationId: correlationId ?? randomUUID() };
}
