import { Injectable } from '@nestjs/common';
import { ReviewEngine } from '../../review/review-engine';
import type { ChangedFile } from '../../review/review.model';
import { ReviewJobs } from './review-jobs.service';

export interface JobFiles {
  files: ChangedFile[];
  /** Secrets found in the diff, each shown masked. */
  secretsMasked: number;
  /** No diff was stored with the job: the run fetched it from GitHub, and it was not kept. */
  fetchedAtRunTime: boolean;
}

/**
 * The diff a job reviewed, as people may see it: scanned again with the review's secret rules and every
 * secret masked, so the raw value never leaves BSM (the stored payload is never served).
 */
@Injectable()
export class JobFilesService {
  constructor(
    private readonly jobs: ReviewJobs,
    private readonly engine: ReviewEngine,
  ) {}

  async of(id: string): Promise<JobFiles> {
    const job = await this.jobs.get(id);
    const review = await this.engine.prepare(job.input);
    return {
      files: review.input.files,
      secretsMasked: review.secrets.length,
      fetchedAtRunTime: job.input.files.length === 0 && job.pr !== null,
    };
  }
}
