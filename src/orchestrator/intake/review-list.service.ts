import { Injectable } from '@nestjs/common';
import { ReviewEngine } from '../../review/review-engine';
import { SEVERITIES, type DecisionAction, type Severity } from '../../review/review.model';
import type { Job, JobFilter, JobStatus } from '../jobs/job-store';
import { ReviewJobs } from './review-jobs.service';

export interface ReviewRow {
  jobId: string;
  status: JobStatus;
  event: string;
  repo: string | null;
  pr: number | null;
  /** The pull request's title, with any secret found in its diff masked. */
  title: string;
  headSha: string | null;
  decision: DecisionAction | null;
  findings: Record<Severity, number>;
  createdAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
}

/** Reviews as people list them: one row per job, with what the reviews page shows. */
@Injectable()
export class ReviewListService {
  constructor(
    private readonly jobs: ReviewJobs,
    private readonly engine: ReviewEngine,
  ) {}

  async list(filter: JobFilter, limit: number, cursor?: number): Promise<{ reviews: ReviewRow[]; nextCursor: string | null }> {
    const page = await this.jobs.list(filter, limit, cursor);
    return { reviews: await Promise.all(page.jobs.map((job) => this.row(job))), nextCursor: page.nextCursor };
  }

  private async row(job: Job): Promise<ReviewRow> {
    const { input } = await this.engine.prepare(job.input);
    const findings = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
    for (const result of job.results ?? []) for (const finding of result.findings) findings[finding.severity]++;
    const head = (job.payload.pull_request as { head?: { sha?: unknown } } | undefined)?.head?.sha;
    return {
      jobId: job.id,
      status: job.status,
      event: job.event,
      repo: job.repo,
      pr: job.pr,
      title: input.pr.title,
      headSha: typeof head === 'string' ? head : null,
      decision: job.decision?.action ?? null,
      findings,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
      durationMs: job.startedAt && job.finishedAt ? job.finishedAt.getTime() - job.startedAt.getTime() : null,
    };
  }
}
