import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PinoLogger } from 'nestjs-pino';
import { AuditService } from '../../audit/audit.service';
import type { Env } from '../../infra/config/env.schema';
import { BootError } from '../../infra/lifecycle/boot-error';
import { JobQueue } from '../../infra/queue/job-queue';
import { JobStore } from '../jobs/job-store';
import { ReportStore } from '../reports/report-store';

const DAY_MS = 86_400_000;

export interface PurgeResult {
  jobs: number;
  deliveries: number;
  auditEntries: number;
}

/** The job queue's schedule that runs the purge (one instance runs each occurrence). */
const RETENTION_QUEUE = 'retention';

/**
 * Applies the retention settings: ended jobs with their reports, delivery ids, audit entries. The purge runs
 * on RETENTION_SCHEDULE as a job-queue schedule, so N instances purge once, not N times. (The queue's own
 * entries are kept RETENTION_JOBS_DAYS by the queue itself.)
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap {
  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly queue: JobQueue,
    private readonly jobs: JobStore,
    private readonly reports: ReportStore,
    private readonly audit: AuditService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(RetentionService.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    const cron = this.config.get('RETENTION_SCHEDULE', { infer: true });
    await this.queue
      .schedule(RETENTION_QUEUE, cron, async () => {
        await this.purge().catch((error: Error) => this.logger.error({ err: error }, 'retention purge failed'));
      })
      .catch((error: Error) => {
        throw new BootError(`RETENTION_SCHEDULE "${cron}" is not a schedule the job queue accepts`, [error.message]);
      });
  }

  async purge(now = new Date()): Promise<PurgeResult> {
    const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const jobIds = await this.jobs.purgeEndedBefore(before(this.config.get('RETENTION_JOBS_DAYS', { infer: true })));
    for (const id of jobIds) await this.reports.remove(id);
    const deliveries = await this.jobs.purgeDeliveriesBefore(before(this.config.get('RETENTION_DELIVERIES_DAYS', { infer: true })));
    const auditEntries = await this.audit.purgeBefore(before(this.config.get('RETENTION_AUDIT_DAYS', { infer: true })));
    const result = { jobs: jobIds.length, deliveries, auditEntries };
    if (jobIds.length + deliveries + auditEntries > 0) this.logger.info(result, 'retention purge');
    return result;
  }
}
