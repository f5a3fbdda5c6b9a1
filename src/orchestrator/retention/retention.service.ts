import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PinoLogger } from 'nestjs-pino';
import { AuditService } from '../../audit/audit.service';
import type { Env } from '../../infra/config/env.schema';
import { JobStore } from '../jobs/job-store';
import { ReportWriter } from '../reports/report-writer';

const DAY_MS = 86_400_000;

export interface PurgeResult {
  jobs: number;
  deliveries: number;
  auditEntries: number;
}

/** Applies the retention settings: ended jobs with their reports, delivery ids, audit entries. */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly jobs: JobStore,
    private readonly reports: ReportWriter,
    private readonly audit: AuditService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(RetentionService.name);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge().catch((error: Error) => this.logger.error({ err: error }, 'retention purge failed')), this.config.get('RETENTION_INTERVAL_MS', { infer: true }));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
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
