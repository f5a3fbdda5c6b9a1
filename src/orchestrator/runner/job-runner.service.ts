import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PinoLogger } from 'nestjs-pino';
import { CorrelationContext } from '../../common/correlation/correlation-context';
import type { Env } from '../../infra/config/env.schema';
import { JobSignal } from '../jobs/job-signal';
import { JobStore, type Job } from '../jobs/job-store';
import { OrchestratorMetrics } from '../metrics/orchestrator.metrics';
import { ReviewRun } from '../run/review-run.service';

const POLL_MS = 1000;

/**
 * Takes queued jobs from storage and runs up to ORCHESTRATOR_CONCURRENCY at once, each
 * under a lease it renews. It wakes when a job is stored (the queue's signal) and polls for
 * jobs whose owner's lease expired. At shutdown it takes nothing new, lets running jobs finish for
 * up to SHUTDOWN_TIMEOUT_MS and puts the rest back in the queue. After a crash the jobs
 * stay leased to this instance: its next boot re-queues them, or another instance takes
 * them when the lease expires.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly owner: string;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly shutdownTimeoutMs: number;
  private readonly active = new Set<Promise<void>>();
  private stopping = false;
  private claiming = false;
  private again = false;
  private poller?: NodeJS.Timeout;
  private unlisten?: () => void;

  constructor(
    config: ConfigService<Env, true>,
    private readonly jobs: JobStore,
    private readonly signal: JobSignal,
    private readonly reviewRun: ReviewRun,
    private readonly metrics: OrchestratorMetrics,
    private readonly correlation: CorrelationContext,
    private readonly logger: PinoLogger,
  ) {
    this.shutdownTimeoutMs = config.get('SHUTDOWN_TIMEOUT_MS', { infer: true });
    this.owner = config.get('INSTANCE_ID', { infer: true }) ?? hostname();
    this.concurrency = config.get('ORCHESTRATOR_CONCURRENCY', { infer: true });
    this.leaseMs = config.get('ORCHESTRATOR_LEASE_MS', { infer: true });
    logger.setContext(JobRunner.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    const requeued = await this.jobs.requeueOwned(this.owner);
    if (requeued > 0) this.logger.info({ requeued, owner: this.owner }, 're-queued jobs left running by the last run');
    // Picks up jobs whose owner's lease expired (another instance died) and anything missed.
    this.poller = setInterval(() => this.claimAvailable(), POLL_MS);
    this.poller.unref();
    this.unlisten = this.signal.listen(() => this.claimAvailable());
    this.claimAvailable();
  }

  /** Claims jobs until the concurrency limit is reached or the queue is empty. */
  private claimAvailable(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = true;
    void this.claimLoop().finally(() => {
      this.claiming = false;
      if (this.again) {
        this.again = false;
        this.claimAvailable();
      }
    });
  }

  private async claimLoop(): Promise<void> {
    while (!this.stopping && this.active.size < this.concurrency) {
      let job: Job | null;
      try {
        job = await this.jobs.claim(this.owner, this.leaseMs);
      } catch (error) {
        this.logger.error({ err: error }, 'could not claim a job');
        return;
      }
      if (!job) return;
      const running = this.run(job).finally(() => {
        this.active.delete(running);
        this.claimAvailable();
      });
      this.active.add(running);
    }
  }

  private run(job: Job): Promise<void> {
    return this.correlation.run(job.correlationId, async () => {
      const renew = setInterval(() => void this.jobs.renew(job.id, this.owner, this.leaseMs), Math.max(500, this.leaseMs / 3));
      renew.unref();
      try {
        const outcome = await this.reviewRun.execute(job).catch((error: Error) => {
          this.logger.error({ err: error, jobId: job.id }, 'job failed');
          return { status: 'failed' as const, results: [], decision: null, report: null, error: error.message };
        });
        const recorded = await this.jobs.finish(job.id, this.owner, outcome);
        this.metrics.jobs.inc({ event: job.event, status: outcome.status, decision: outcome.decision?.action ?? 'none' });
        this.logger.info({ jobId: job.id, event: job.event, status: outcome.status, decision: outcome.decision?.action, recorded }, 'job finished');
      } catch (error) {
        // Storage gone (shutdown) or failing: the job stays leased and is run again later.
        this.logger.error({ err: error, jobId: job.id }, 'could not record the outcome of a job');
      } finally {
        clearInterval(renew);
      }
    });
  }

  /** Resolves when no job is running (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0 || this.claiming) await Promise.all([...this.active, new Promise((r) => setTimeout(r, 10))]);
  }

  /**
   * Before any module closes, so running jobs can still write their outcome to storage.
   * Jobs still running after SHUTDOWN_TIMEOUT_MS go back to the queue (their late outcome
   * is then discarded, since they are no longer this owner's).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.poller);
    this.unlisten?.();
    if (this.active.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.active), new Promise((r) => (timer = setTimeout(r, this.shutdownTimeoutMs)))]);
    clearTimeout(timer);
    if (this.active.size > 0) {
      const requeued = await this.jobs.requeueOwned(this.owner);
      this.logger.info({ requeued }, 'shutdown: unfinished jobs left queued for the next instance');
    }
  }
}
