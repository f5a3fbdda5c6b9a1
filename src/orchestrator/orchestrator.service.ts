import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CorrelationContext } from '../common/correlation/correlation-context';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { KnowledgeService } from '../knowledge/knowledge.service';
import { ReviewMemory } from '../vector/ports/review-memory';
import { AgentExecutor, type RunContext } from './agent-executor.service';
import { maskAll, SecretScanner } from './analyzers/secret-scanner';
import { decide } from './decision-engine';
import { EventsService } from './events/events.service';
import { JobStore, type Job, type JobOutcome } from './jobs/job-store';
import type { AgentResult, Decision, ReviewInput } from './orchestrator.model';
import { OrchestratorMetrics } from './orchestrator.metrics';
import { markdownOf, ReportWriter, type JobReport } from './reports/report-writer';
import { GitHubClient, type PullRequestRef, type ReviewEvent } from './github/github-client';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../infra/config/env.schema';
import { reviewInputOf } from './review-input';

/** Runs a job: the event's agents on the pull request, the decision, the report, the memory. */
@Injectable()
export class OrchestratorService {
  constructor(
    private readonly events: EventsService,
    private readonly jobs: JobStore,
    private readonly executor: AgentExecutor,
    private readonly scanner: SecretScanner,
    private readonly knowledge: KnowledgeService,
    private readonly reports: ReportWriter,
    private readonly memory: ReviewMemory,
    private readonly metrics: OrchestratorMetrics,
    private readonly correlation: CorrelationContext,
    private readonly audit: AuditService,
    private readonly github: GitHubClient,
    config: ConfigService<Env, true>,
  ) {
    this.autoApprove = config.get('AUTO_APPROVE', { infer: true });
  }

  private readonly autoApprove: Env['AUTO_APPROVE'];

  /** Stores the job (before anyone is told it exists); the runner picks it up. */
  submit(event: string, payload: Record<string, unknown>, context?: Record<string, unknown>): Promise<Job> {
    const input = reviewInputOf(event, payload);
    return this.jobs.create({
      id: randomUUID(),
      event,
      repo: input.repo,
      pr: input.pr.number,
      payload,
      context: context ?? null,
      correlationId: this.correlation.current() ?? randomUUID(),
    });
  }

  /** A new job on the same event and payload (the original stays as it was). */
  async rerun(id: string): Promise<Job> {
    const original = await this.get(id);
    const job = await this.jobs.create({
      id: randomUUID(),
      event: original.event,
      repo: original.repo,
      pr: original.pr,
      payload: original.payload,
      context: { ...(original.context ?? {}), rerunOf: original.id },
      correlationId: this.correlation.current() ?? randomUUID(),
    });
    await this.audit.record('orchestrator.job.rerun', original.id, { jobId: job.id });
    return job;
  }

  /** Queued or running → cancelled (a running job's outcome is then discarded). */
  async cancel(id: string): Promise<Job> {
    const job = await this.get(id);
    if (!(await this.jobs.cancel(id))) {
      throw new DomainException(ErrorCode.JobNotCancellable, `Job ${id} has already ended (${job.status})`, { details: { status: job.status } });
    }
    await this.audit.record('orchestrator.job.cancel', id, { from: job.status });
    return this.get(id);
  }

  async get(id: string): Promise<Job> {
    const job = await this.jobs.get(id);
    if (!job) throw new DomainException(ErrorCode.JobNotFound, `No job ${id}`);
    return job;
  }

  async execute(job: Job): Promise<JobOutcome> {
    const startedAt = new Date().toISOString();
    const strategy = await this.events.strategyFor(job.event);
    const raw = reviewInputOf(job.event, job.payload);
    const pr = this.pullRequestRef(raw);
    if (raw.files.length === 0 && pr && this.github.configured) {
      // Without the diff the analyzers would pass anything: a failed fetch fails the job (a redelivery re-runs it).
      raw.files = await this.github.listFiles(pr);
    }
    const secrets = await this.scanner.scan(raw.files);
    const input = maskInput(raw, (text) => maskAll(text, secrets));
    const knowledge = await this.knowledge.all();
    this.metrics.knowledgeLoads.inc();
    const context: RunContext = { input, secrets, knowledge };

    const runOne = (agentId: string) => this.executor.run(agentId, context, strategy.timeoutMs);
    let results: AgentResult[];
    if (strategy.execution === 'parallel') {
      results = await Promise.all(strategy.agents.map((a) => runOne(a.id)));
    } else {
      results = [];
      // Sequential runs go on after a failed agent: each one's verdict still counts.
      for (const agent of strategy.agents) results.push(await runOne(agent.id));
    }
    const decision = decide(results, strategy.agents);
    const jobReport: JobReport = {
      jobId: job.id,
      event: job.event,
      strategy: { execution: strategy.execution, description: strategy.description, agents: strategy.agents.map((a) => a.id) },
      input: { repo: input.repo, pr: input.pr, files: input.files.map((f) => f.filename) },
      results,
      decision,
      startedAt,
      finishedAt: new Date().toISOString(),
    };
    if (pr && this.github.configured && job.context?.source === 'github') decision.github = await this.post(pr, jobReport);
    const report = await this.reports.write(jobReport);
    const where = { jobId: job.id, event: job.event, repo: input.repo, pr: input.pr.number };
    await this.memory.rememberDecision({ action: decision.action, reason: decision.reason, reasons: decision.reasons }, where);
    const diff = input.files.map((f) => `${f.filename}\n${f.patch ?? ''}`).join('\n');
    for (const result of results) {
      if (result.status === 'success' && result.agentId.includes('code-review') && diff.trim()) {
        await this.memory.rememberReview(diff, result.output, { ...where, agentId: result.agentId, verdict: result.verdict });
      }
    }
    return { status: 'completed', results, decision, report, error: null };
  }

  private pullRequestRef(input: ReviewInput): PullRequestRef | null {
    const [owner, repo] = (input.repo ?? '').split('/');
    return owner && repo && input.pr.number !== null ? { owner, repo, number: input.pr.number } : null;
  }

  /**
   * Carries the decision out on the pull request: request_changes → REQUEST_CHANGES;
   * block_pr → REQUEST_CHANGES + `blocked`; manual_review → COMMENT + `needs-review`;
   * approve → APPROVE only as AUTO_APPROVE allows (by default only when an analyzer
   * approved: PR text can steer a model), else COMMENT. A failure is recorded, not fatal.
   */
  private async post(pr: PullRequestRef, report: JobReport): Promise<NonNullable<Decision['github']>> {
    const { decision, results } = report;
    const analyzersPassed =
      results.some((r) => r.kind === 'analyzer' && r.status === 'success') &&
      results.every((r) => r.kind !== 'analyzer' || (r.status === 'success' && r.verdict === 'approve'));
    const approve = this.autoApprove === 'any' || (this.autoApprove === 'analyzers' && analyzersPassed);
    const [review, labels]: [ReviewEvent, string[]] =
      decision.action === 'approve'
        ? [approve ? 'APPROVE' : 'COMMENT', []]
        : decision.action === 'request_changes'
          ? ['REQUEST_CHANGES', []]
          : decision.action === 'block_pr'
            ? ['REQUEST_CHANGES', ['blocked']]
            : ['COMMENT', ['needs-review']];
    try {
      return await this.github.postDecision(pr, review, markdownOf(report), labels);
    } catch (error) {
      return { error: error instanceof DomainException ? error.message : (error as Error).message };
    }
  }

}

/** The input every agent sees: secrets masked in the title, the description and every patch. */
function maskInput(input: ReviewInput, mask: (text: string) => string): ReviewInput {
  return {
    ...input,
    pr: { ...input.pr, title: mask(input.pr.title), body: mask(input.pr.body) },
    files: input.files.map((f) => (f.patch ? { ...f, patch: mask(f.patch) } : f)),
  };
}
