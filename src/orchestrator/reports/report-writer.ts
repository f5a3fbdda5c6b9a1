import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../infra/config/env.schema';
import { resolveUnder } from '../../infra/data/data-files';
import { markdownOf, type ReviewReport } from '../../review/report/review-report';

/** Port: where job reports go. */
export abstract class ReportWriter {
  /** Writes the Markdown and JSON reports; returns the report's name. */
  abstract write(report: ReviewReport): Promise<string>;
  abstract read(jobId: string): Promise<{ json: ReviewReport; markdown: string } | null>;
  abstract remove(jobId: string): Promise<void>;
}

/** Reports as files under REPORTS_DIR, written atomically (temp file, fsync, rename). */
@Injectable()
export class FsReportWriter extends ReportWriter {
  private readonly dir: string;

  constructor(config: ConfigService<Env, true>) {
    super();
    this.dir = resolve(config.get('REPORTS_DIR', { infer: true }));
  }

  async write(report: ReviewReport): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    await this.atomicWrite(`${report.jobId}.json`, `${JSON.stringify(report, null, 2)}\n`);
    await this.atomicWrite(`${report.jobId}.md`, markdownOf(report));
    return report.jobId;
  }

  private async atomicWrite(name: string, content: string): Promise<void> {
    const target = join(this.dir, name);
    const temp = join(this.dir, `.${name}.${randomUUID()}.tmp`);
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async remove(jobId: string): Promise<void> {
    await Promise.all(['json', 'md'].map((ext) => rm(resolveUnder(this.dir, `${jobId}.${ext}`), { force: true })));
  }

  async read(jobId: string): Promise<{ json: ReviewReport; markdown: string } | null> {
    try {
      const [json, markdown] = await Promise.all([
        readFile(resolveUnder(this.dir, `${jobId}.json`), 'utf8'),
        readFile(resolveUnder(this.dir, `${jobId}.md`), 'utf8'),
      ]);
      return { json: JSON.parse(json) as ReviewReport, markdown };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
