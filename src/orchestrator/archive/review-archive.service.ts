import { Injectable } from '@nestjs/common';
import type { ReviewReport } from '../../review/report/review-report';
import { ReviewMemory } from '../../vector/ports/review-memory';
import { ReportStore, type StoredReport } from '../reports/report-store';

/** Where a finished review is kept: its report, its decision and, for reviewers that declare it, its review in memory. */
@Injectable()
export class ReviewArchive {
  constructor(
    private readonly reports: ReportStore,
    private readonly memory: ReviewMemory,
  ) {}

  /** Writes the report and remembers the review; returns the report's name. */
  async keep(report: ReviewReport, diff: string): Promise<string> {
    const name = await this.reports.write(report);
    const { decision } = report;
    const where = { jobId: report.jobId, event: report.event, repo: report.input.repo, pr: report.input.pr.number };
    await this.memory.rememberDecision({ action: decision.action, reason: decision.reason, reasons: decision.reasons }, where);
    if (diff.trim()) {
      for (const result of report.results) {
        if (result.status === 'success' && result.powers.remember) {
          await this.memory.rememberReview(diff, result.output, { ...where, agentId: result.agentId, verdict: result.verdict });
        }
      }
    }
    return name;
  }

  read(jobId: string): Promise<StoredReport | null> {
    return this.reports.read(jobId);
  }
}
