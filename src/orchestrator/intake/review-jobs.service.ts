import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { CorrelationContext } from '../../common/correlation/correlation-context';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { ReviewEngine } from '../../review/review-engine';
import { JobStore, type Job, type JobFilter, type JobPage } from '../jobs/job-store';
import { newJob } from './new-job';
import { OrchestratorError } from '../orchestrator.errors';

/**
 * Intake: review jobs asked for through the API. Each payload is read once, here, into the stored
 * review input; storing a job queues it.
 */
@Injectable()
export class ReviewJobs {
  constructor(
    private readonly jobs: JobStore,
    private readonly correlation: CorrelationContext,
    private readonly audit: AuditService,
    private readonly engine: ReviewEngine,
  ) {}

  /**
   * Stores the job (before anyone is told it exists); the runner picks it up. A `config` (the shape of `.bsm.yml`)
   * is checked first: a request's mistakes are refused with each field named, not reviewed with the defaults.
   */
  async submit(event: string, payload: Record<string, unknown>, context?: Record<string, unknown>, config?: unknown): Promise<Job> {
    if (config !== undefined) {
      const { problems } = await this.engine.readConfigObject(config, 'config');
      if (problems.length > 0) {
        const details = problems.map((p) => ({ field: p.slice(0, p.indexOf(': ')), messages: [p] }));
        throw new DomainException(ErrorCode.ValidationFailed, problems.join('; '), { details });
      }
    }
    const stored = config === undefined ? context : { ...context, config };
    const job = await this.jobs.create(newJob(event, payload, stored ?? null, this.correlation.current()));
    return job;
  }

  /** A new job on the same event and input (the original stays as it was). */
  async rerun(id: string): Promise<Job> {
    const original = await this.get(id);
    const context = { ...(original.context ?? {}), rerunOf: original.id };
    const job = await this.jobs.create(newJob(original.event, original.payload, context, this.correlation.current(), original.input));
    await this.audit.record('orchestrator.job.rerun', original.id, { jobId: job.id });
    return job;
  }

  /** Queued or running → cancelled (a running job's outcome is then discarded). */
  async cancel(id: string): Promise<Job> {
    const job = await this.get(id);
    if (!(await this.jobs.cancel(id))) {
      throw new DomainException(OrchestratorError.JOB_NOT_CANCELLABLE, `Job ${id} has already ended (${job.status})`, { details: { status: job.status } });
    }
    await this.audit.record('orchestrator.job.cancel', id, { from: job.status });
    return this.get(id);
  }

  async get(id: string): Promise<Job> {
    const job = await this.jobs.get(id);
    if (!job) throw new DomainException(OrchestratorError.JOB_NOT_FOUND, `No job ${id}`);
    return job;
  }

  list(filter: JobFilter, limit: number, cursor?: number): Promise<JobPage> {
    return this.jobs.list(filter, limit, cursor);
  }
}
