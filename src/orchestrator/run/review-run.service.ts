import { Injectable, Logger } from '@nestjs/common';
import { KnowledgeService } from '../../knowledge/knowledge.service';
import type { ReviewReport } from '../../review/report/review-report';
import { ReviewEngine } from '../../review/review-engine';
import type { AgentResult, ReviewInput } from '../../review/review.model';
import { ReviewArchive } from '../archive/review-archive.service';
import { GitHubDelivery } from '../delivery/github-delivery.service';
import { EventsService } from '../events/events.service';
import { GitHubClient, type PullRequestRef } from '../github/github-client';
import type { Job, JobDecision, JobOutcome } from '../jobs/job-store';
import { OrchestratorMetrics } from '../metrics/orchestrator.metrics';
import { AgentExecutor, type RunContext } from './agent-executor.service';

/** Runs one job: the event's agents on its review input, the engine's decision, delivery, the archive. */
@Injectable()
export class ReviewRun {
  private readonly logger = new Logger(ReviewRun.name);

  constructor(
    private readonly events: EventsService,
    private readonly engine: ReviewEngine,
    private readonly executor: AgentExecutor,
    private readonly knowledge: KnowledgeService,
    private readonly github: GitHubClient,
    private readonly delivery: GitHubDelivery,
    private readonly archive: ReviewArchive,
    private readonly metrics: OrchestratorMetrics,
  ) {}

  async execute(job: Job): Promise<JobOutcome> {
    const startedAt = new Date().toISOString();
    const strategy = await this.events.strategyFor(job.event);
    const pr = pullRequestRef(job.input);
    let input = job.input;
    if (input.files.length === 0 && pr && this.github.configured) {
      // Without the diff the analyzers would pass anything: a failed fetch fails the job (a redelivery re-runs it).
      input = { ...input, files: await this.github.listFiles(pr) };
    }
    const review = await this.engine.prepare(input);
    for (const near of review.dismissedSecrets) {
      this.logger.debug(`job ${job.id}: ${near.file}:${near.line} matched ${near.rule} but is not a secret (${near.reason})`);
    }
    const knowledge = await this.knowledge.all();
    this.metrics.knowledgeLoads.inc();
    const context: RunContext = { review, knowledge };

    const runOne = (agentId: string) => this.executor.run(agentId, context, strategy.timeoutMs);
    let results: AgentResult[];
    if (strategy.execution === 'parallel') {
      results = await Promise.all(strategy.agents.map((a) => runOne(a.id)));
    } else {
      results = [];
      // Sequential runs go on after a failed agent: each one's verdict still counts.
      for (const agent of strategy.agents) results.push(await runOne(agent.id));
    }
    const decision: JobDecision = this.engine.decide(results, review, new Map(strategy.agents.map((a) => [a.id, a.onFailure])));
    const masked = review.input;
    const report: ReviewReport = {
      jobId: job.id,
      event: job.event,
      strategy: { execution: strategy.execution, description: strategy.description, agents: strategy.agents.map((a) => a.id) },
      input: { repo: masked.repo, pr: masked.pr, files: masked.files.map((f) => f.filename) },
      coverage: review.coverage,
      results,
      decision,
      startedAt,
      finishedAt: new Date().toISOString(),
    };
    if (pr && this.delivery.configured && job.context?.source === 'github') decision.github = await this.delivery.post(pr, report);
    const diff = masked.files.map((f) => `${f.filename}\n${f.patch ?? ''}`).join('\n');
    const name = await this.archive.keep(report, diff);
    return { status: 'completed', results, decision, report: name, error: null };
  }
}

function pullRequestRef(input: ReviewInput): PullRequestRef | null {
  const [owner, repo] = (input.repo ?? '').split('/');
  return owner && repo && input.pr.number !== null ? { owner, repo, number: input.pr.number } : null;
}
