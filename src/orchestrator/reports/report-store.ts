import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { eq } from 'drizzle-orm';
import { PinoLogger } from 'nestjs-pino';
import type { Env } from '../../infra/config/env.schema';
import { Database } from '../../infra/storage/database';
import { markdownOf, type ReviewReport } from '../../review/report/review-report';
import { orchestratorReports } from '../orchestrator.schema';

export interface StoredReport {
  json: ReviewReport;
  markdown: string;
}

/** Port: job reports, in storage every instance shares. */
export abstract class ReportStore {
  /** Stores the JSON and Markdown reports (a job run again replaces its report); returns the report's name. */
  abstract write(report: ReviewReport): Promise<string>;
  abstract read(jobId: string): Promise<StoredReport | null>;
  abstract remove(jobId: string): Promise<void>;
}

/**
 * Reports as rows, so any instance serves a report another one wrote. At boot, reports an earlier release wrote
 * as files under REPORTS_DIR (`<jobId>.json` and `.md`) are imported once (a report already stored stays).
 */
@Injectable()
export class DrizzleReportStore extends ReportStore implements OnApplicationBootstrap {
  constructor(
    private readonly database: Database,
    private readonly config: ConfigService<Env, true>,
    private readonly logger: PinoLogger,
  ) {
    super();
    logger.setContext(DrizzleReportStore.name);
  }

  async write(report: ReviewReport): Promise<string> {
    const row = { jobId: report.jobId, json: report, markdown: markdownOf(report) };
    await this.database.db
      .insert(orchestratorReports)
      .values(row)
      .onConflictDoUpdate({ target: orchestratorReports.jobId, set: { json: row.json, markdown: row.markdown, createdAt: new Date() } });
    return report.jobId;
  }

  async read(jobId: string): Promise<StoredReport | null> {
    const [row] = await this.database.db.select().from(orchestratorReports).where(eq(orchestratorReports.jobId, jobId));
    return row ? { json: row.json as ReviewReport, markdown: row.markdown } : null;
  }

  async remove(jobId: string): Promise<void> {
    await this.database.db.delete(orchestratorReports).where(eq(orchestratorReports.jobId, jobId));
  }

  onApplicationBootstrap(): void {
    void this.importFiles().catch((error: Error) => this.logger.warn({ err: error.message }, 'could not import the report files of an earlier release'));
  }

  private async importFiles(): Promise<void> {
    const dir = resolve(this.config.get('REPORTS_DIR', { infer: true }));
    const names = await readdir(dir).catch(() => [] as string[]);
    let imported = 0;
    for (const name of names) {
      const jobId = /^([0-9a-f-]{36})\.json$/.exec(name)?.[1];
      if (!jobId) continue;
      const [json, markdown] = await Promise.all([readFile(join(dir, name), 'utf8'), readFile(join(dir, `${jobId}.md`), 'utf8').catch(() => null)]);
      if (markdown === null) continue;
      const rows = await this.database.db
        .insert(orchestratorReports)
        .values({ jobId, json: JSON.parse(json) as ReviewReport, markdown })
        .onConflictDoNothing()
        .returning({ jobId: orchestratorReports.jobId });
      imported += rows.length;
    }
    if (imported > 0) this.logger.info({ imported, dir }, 'imported the report files of an earlier release');
  }
}
