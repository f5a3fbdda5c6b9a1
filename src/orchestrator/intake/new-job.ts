import { randomUUID } from 'node:crypto';
import { storable } from '../../infra/storage/storable';
import { reviewInputOf } from '../github/pull-request-payload';
import type { NewJob } from '../jobs/job-store';

/**
 * A job for a payload: the one place a payload is read into the review input that the job stores (a rerun
 * passes the input its original was reviewed on). Text storage cannot hold is made storable here (see storable).
 */
export function newJob(
  event: string,
  received: Record<string, unknown>,
  context: Record<string, unknown> | null,
  correlationId: string | undefined,
  input?: NewJob['input'],
): NewJob {
  const payload = storable(received);
  const read = input ?? reviewInputOf(event, payload);
  return { id: randomUUID(), event, repo: read.repo, pr: read.pr.number, payload, input: read, context: storable(context), correlationId: correlationId ?? randomUUID() };
}
