import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { JobQueue, type ParkedJob } from '../../infra/queue/job-queue';
import { JobStore, type Job } from '../jobs/job-store';
import { REVIEW_DEAD_LETTERS, type ReviewQueueEntry } from '../jobs/review-queue';
import { OrchestratorError } from '../orchestrator.errors';

/** A job whose run threw past the retry limit, parked until an operator runs it again. */
export interface DeadLetter {
  id: string;
  jobId: string;
  /** The job as stored (null if retention deleted it). */
  event: string | null;
  repo: string | null;
  pr: number | null;
  attempts: number | null;
  /** The last attempt's error. */
  error: string | null;
  failedAt: Date;
}

export interface DeadLetterPage {
  deadLetters: DeadLetter[];
  nextCursor: string | null;
}

/** The review queue's dead letters: listed with the job each one stands for, re-run by an admin (audit-logged). */
@Injectable()
export class DeadLetters {
  constructor(
    private readonly queue: JobQueue,
    private readonly jobs: JobStore,
    private readonly audit: AuditService,
  ) {}

  async list(limit: number, cursor?: string): Promise<DeadLetterPage> {
    const parked = await this.queue.parked<ReviewQueueEntry>(REVIEW_DEAD_LETTERS, { limit: limit + 1, after: cursor }).catch((error: Error) => {
      if (cursor === undefined) throw error;
      throw new DomainException(ErrorCode.ValidationFailed, `cursor ${cursor} is not a dead letter (any more): start again without a cursor`, {
        details: [{ field: 'cursor', messages: [error.message] }],
      });
    });
    const page = parked.slice(0, limit);
    const deadLetters = await Promise.all(page.map(async (letter) => this.viewOf(letter, await this.jobs.get(letter.data.jobId))));
    return { deadLetters, nextCursor: parked.length > limit ? page[page.length - 1].id : null };
  }

  /** Moves the dead letter back to the review queue and its job back to queued. */
  async rerun(id: string): Promise<DeadLetter> {
    const [letter] = await this.queue.parked<ReviewQueueEntry>(REVIEW_DEAD_LETTERS, { limit: 1, id });
    if (!letter || !(await this.jobs.requeueDeadLetter(letter.data.jobId, id))) {
      throw new DomainException(OrchestratorError.DEAD_LETTER_NOT_FOUND, `No dead letter with id ${id}`);
    }
    await this.audit.record('orchestrator.dead-letter.rerun', letter.data.jobId, { deadLetterId: id, error: letter.error });
    return this.viewOf(letter, await this.jobs.get(letter.data.jobId));
  }

  private viewOf(letter: ParkedJob<ReviewQueueEntry>, job: Job | null): DeadLetter {
    return {
      id: letter.id,
      jobId: letter.data.jobId,
      event: job?.event ?? null,
      repo: job?.repo ?? null,
      pr: job?.pr ?? null,
      attempts: job?.attempts ?? null,
      error: letter.error,
      failedAt: letter.parkedAt,
    };
  }
}
