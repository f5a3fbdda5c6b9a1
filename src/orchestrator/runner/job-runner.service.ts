import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PinoLogger } from 'nestjs-pino';
import { CorrelationContext } from '../../common/correlation/correlation-context';
import type { Env } from '../../infra/config/env.schema';
import { JobQueue, type QueuedJob } from '../../infra/queue/job-queue';
import { messageOf } from '../../infra/storage/storage-errors';
import { JobStore, type Job, type JobOutcome } from '../jobs/job-store';
import { REVIEW_DEAD_LETTERS, REVIEW_QUEUE, reviewQueueSettings, type ReviewQueueEntry } from '../jobs/review-queue';
import { OrchestratorMetrics } from '../metrics/orchestrator.metrics';
import { ReviewRun } from '../run/review-run.service';

/** Thrown for a run cut short by shutdown: its attempt fails in the queue, so another worker runs it. */
class ShutdownInterruption extends Error {
  constructor() {
    super('the process running it was stopping');
  }
}

/**
 * Works the review queue: up to ORCHESTRATOR_CONCURRENCY jobs at once, each started in storage under this
 * process's worker identity (a superseded or cancelled job is not run). A run that throws is retried by the
 * queue with backoff; past ORCHESTRATOR_RETRY_LIMIT the job is recorded as failed and parked as a dead letter.
 * At shutdown it takes nothing new and lets running jobs finish for up to SHUTDOWN_TIMEOUT_MS, with every
 * other module still open; what is still running then goes back to the queue with no outcome recorded.
 */
@Injectable()
export class JobRunner implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly concurrency: number;
  private readonly shutdownTimeoutMs: number;
  private readonly retryLimit: number;
  private readonly timeoutMs: number;
  private readonly retentionDays: number;
  private readonly running = new Map<string, Promise<void>>();
  private readonly interrupted = new Set<string>();
  private stopping = false;

  constructor(
    config: ConfigService<Env, true>,
    private readonly jobs: JobStore,
    private readonly queue: JobQueue,
    private readonly reviewRun: ReviewRun,
    private readonly metrics: OrchestratorMetrics,
    private readonly correlation: CorrelationContext,
    private readonly logger: PinoLogger,
  ) {
    this.shutdownTimeoutMs = config.get('SHUTDOWN_TIMEOUT_MS', { infer: true });
    this.concurrency = config.get('ORCHESTRATOR_CONCURRENCY', { infer: true });
    this.retryLimit = config.get('ORCHESTRATOR_RETRY_LIMIT', { infer: true });
    this.timeoutMs = config.get('ORCHESTRATOR_JOB_TIMEOUT_MS', { infer: true });
    this.retentionDays = config.get('RETENTION_JOBS_DAYS', { infer: true });
    logger.setContext(JobRunner.name);
  }

  /** This process's worker identity, recorded as the owner of the jobs it runs. */
  get owner(): string {
    return this.queue.workerId;
  }

  /** Before anything can be stored: storing a job sends it to these queues. */
  async onModuleInit(): Promise<void> {
    const settings = reviewQueueSettings(this.retryLimit, this.timeoutMs, this.retentionDays);
    await this.queue.define(REVIEW_DEAD_LETTERS, { ...settings, deadLetter: undefined, heartbeatSeconds: undefined });
    await this.queue.define(REVIEW_QUEUE, settings);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.work<ReviewQueueEntry>(REVIEW_QUEUE, this.concurrency, (entry) => this.take(entry));
  }

  private async take(entry: QueuedJob<ReviewQueueEntry>): Promise<void> {
    if (this.stopping) throw new ShutdownInterruption();
    const job = await this.jobs.start(entry.data.jobId, this.owner);
    if (!job) return; // superseded, cancelled or ended meanwhile: nothing to run
    this.logger.info({ jobId: job.id, event: job.event, attempt: entry.attempt, worker: this.owner }, 'job started');
    const run = this.run(job, entry);
    this.running.set(job.id, run);
    try {
      await run;
    } finally {
      this.running.delete(job.id);
      this.interrupted.delete(job.id);
    }
  }

  private run(job: Job, entry: QueuedJob<ReviewQueueEntry>): Promise<void> {
    return this.correlation.run(job.correlationId, async () => {
      let outcome: JobOutcome;
      try {
        outcome = await this.reviewRun.execute(job);
      } catch (error) {
        if (this.interrupted.has(job.id)) throw new ShutdownInterruption();
        const message = messageOf(error);
        this.logger.error({ err: message, jobId: job.id, attempt: entry.attempt, lastAttempt: entry.lastAttempt }, 'job run threw');
        // The queue keeps what it is thrown (the dead letter's error): the message alone, not a failed query's text.
        const failure = new Error(message);
        if (!entry.lastAttempt) {
          await this.jobs.release(job.id, this.owner, `attempt ${entry.attempt} failed (${message}); retrying`);
          throw failure;
        }
        await this.record(job, { status: 'failed', results: [], decision: null, report: null, error: message });
        throw failure; // past the retry limit: the queue parks it as a dead letter
      }
      // A run that ended after shutdown gave it up may have met closed providers: its outcome is not recorded.
      if (this.interrupted.has(job.id)) throw new ShutdownInterruption();
      await this.record(job, outcome);
    });
  }

  private async record(job: Job, outcome: JobOutcome): Promise<void> {
    const recorded = await this.jobs.finish(job.id, this.owner, outcome);
    this.metrics.jobs.inc({ event: job.event, status: outcome.status, decision: outcome.decision?.action ?? 'none' });
    this.logger.info({ jobId: job.id, event: job.event, status: outcome.status, decision: outcome.decision?.action, recorded }, 'job finished');
  }

  /** Resolves when no job is running in this process (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Before any module closes, so running jobs can still reach their providers and storage. Jobs still
   * running after SHUTDOWN_TIMEOUT_MS go back to the queue with no outcome (their late outcome is discarded).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.queue.stopWork(REVIEW_QUEUE);
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise((resolve) => (timer = setTimeout(resolve, this.shutdownTimeoutMs)))]);
    clearTimeout(timer);
    const unfinished = [...this.running.keys()];
    for (const id of unfinished) {
      this.interrupted.add(id);
      await this.jobs.release(id, this.owner, null).catch((error: Error) => this.logger.error({ err: error, jobId: id }, 'could not put a job back'));
    }
    if (unfinished.length > 0) this.logger.info({ requeued: unfinished.length }, 'shutdown: unfinished jobs back in the queue for another worker');
  }
}
