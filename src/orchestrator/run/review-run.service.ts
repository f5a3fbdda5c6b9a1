import { Injectable, Logger } from '@nestjs/common';
import { KnowledgeService } from '../../knowledge/knowledge.service';
import type { ReviewReport } from '../../review/report/review-report';
import { ReviewEngine } from '../../review/review-engine';
import { NO_REPO_CONFIG, type RepoConfig } from '../../review/policy/repo-config';
import { carryForward } from '../../review/incremental/carry-forward';
import type { AgentResult } from '../../review/review.model';
import { ReviewArchive } from '../archive/review-archive.service';
import { GitHubDelivery } from '../delivery/github-delivery.service';
import { EventsService } from '../events/events.service';
import type { Job, JobDecision, JobOutcome } from '../jobs/job-store';
import { OrchestratorMetrics } from '../metrics/orchestrator.metrics';
import { AgentExecutor, type RunContext } from './agent-executor.service';
import { pullRequestRef, ReviewSource } from './review-source.service';

/** Runs one job: the event's agents on its review input, the engine's decision, delivery, the archive. */
@Injectable()
export class ReviewRun {
  private readonly logger = new Logger(ReviewRun.name);

  constructor(
    private readonly events: EventsService,
    private readonly engine: ReviewEngine,
    private readonly executor: AgentExecutor,
    private readonly knowledge: KnowledgeService,
    private readonly source: ReviewSource,
    private readonly delivery: GitHubDelivery,
    private readonly archive: ReviewArchive,
    private readonly metrics: OrchestratorMetrics,
  ) {}

  async execute(job: Job): Promise<JobOutcome> {
    const startedAt = new Date().toISOString();
    const event = await this.events.strategyFor(job.event);
    const pr = pullRequestRef(job);
    const deliver = pr && this.delivery.configured && job.context?.source === 'github' ? pr : null;
    const check = deliver ? await this.delivery.start(deliver, job.id) : undefined;
    const { input, config, baseline, fullReview } = await this.source.resolve(job);
    const strategy = withAgentsOf(event, config);
    const review = await this.engine.prepare(input, strategy.config);
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
    let incremental: ReviewReport['incremental'];
    if (baseline) {
      const carried = carryForward(results, baseline, review.input.files);
      results = carried.results;
      incremental = { since: baseline.headSha, carried: carried.carried, fixed: carried.fixed };
    } else if (fullReview) incremental = { fullReview };
    const decision: JobDecision = this.engine.decide(results, review, new Map(strategy.agents.map((a) => [a.id, a.onFailure])));
    const masked = review.input;
    const report: ReviewReport = {
      jobId: job.id,
      event: job.event,
      strategy: { execution: strategy.execution, description: strategy.description, agents: strategy.agents.map((a) => a.id) },
      input: { repo: masked.repo, pr: masked.pr, files: masked.files.map((f) => f.filename) },
      coverage: review.coverage,
      ...(strategy.config.source ? { config: { source: strategy.config.source, problems: [...strategy.config.problems] } } : {}),
      ...(incremental ? { incremental } : {}),
      results,
      decision,
      startedAt,
      finishedAt: new Date().toISOString(),
    };
    if (deliver) decision.github = await this.delivery.post(deliver, report, masked.files, check);
    const diff = masked.files.map((f) => `${f.filename}\n${f.patch ?? ''}`).join('\n');
    const name = await this.archive.keep(report, diff);
    return { status: 'completed', results, decision, report: name, error: null };
  }
}

/**
 * The event's strategy with only the agents the configuration names (all when it names none). A name that is
 * not one of the event's agents is a problem of the configuration, which then, like any, leaves the defaults.
 */
function withAgentsOf<S extends { agents: Array<{ id: string }> }>(strategy: S, config: RepoConfig): S & { config: RepoConfig } {
  if (!config.agents) return { ...strategy, config };
  const unknown = config.agents.filter((id) => !strategy.agents.some((a) => a.id === id));
  if (unknown.length > 0) {
    const problem = `agents: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among this event's agents (${strategy.agents.map((a) => a.id).join(', ')})`;
    return { ...strategy, config: { ...NO_REPO_CONFIG, source: config.source, problems: [problem] } };
  }
  return { ...strategy, agents: strategy.agents.filter((a) => config.agents!.includes(a.id)), config };
}
