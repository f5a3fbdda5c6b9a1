import { Injectable } from '@nestjs/common';
import type { Agent } from '../../agents/agent.model';
import { AgentCatalogService } from '../../agents/agent-catalog.service';
import { DomainException } from '../../common/errors/domain.exception';
import { ModelRouter } from '../../gpt/model-router.service';
import type { KnowledgeDocument } from '../../knowledge/knowledge.model';
import { parseVerdict } from '../../review/decision/verdict-parser';
import { NO_DIFF } from '../../review/diff/coverage';
import { resultFields } from '../../review/policy/finding-policy';
import { ReviewEngine, type PreparedReview } from '../../review/review-engine';
import type { AgentResult, ReviewerPowers, ReviewInput } from '../../review/review.model';

export interface RunContext {
  /** The pull request with every secret already masked, and the secrets found. */
  review: PreparedReview;
  /** Loaded once per run, shared by every agent. */
  knowledge: readonly KnowledgeDocument[];
}

/** The capability an agent declares to have its reviews remembered for similarity search. */
export const REMEMBER_REVIEWS = 'remember_reviews';

/** What an agent's definition lets it do beyond its verdict. */
export function powersOf(agent: Pick<Agent, 'actions' | 'capabilities'>): ReviewerPowers {
  return { block: agent.actions?.includes('block_pr') ?? false, remember: agent.capabilities?.includes(REMEMBER_REVIEWS) ?? false };
}

const NO_POWERS: ReviewerPowers = { block: false, remember: false };

const MAX_KNOWLEDGE_CHARS = 6_000;
const MAX_DIFF_CHARS = 20_000;
const ANSWER_SHAPE =
  'Answer with JSON only: {"decision": "approve" | "request_changes" | "block", "score": 0-100, "summary": "...", ' +
  '"findings": [{"severity": "critical" | "high" | "medium" | "low" | "info", "file": "...", "line": 1, "message": "..."}]}';

/** Runs one agent of a job: an analyzer through the review engine, or an LLM agent through the model router. */
@Injectable()
export class AgentExecutor {
  constructor(
    private readonly engine: ReviewEngine,
    private readonly catalog: AgentCatalogService,
    private readonly router: ModelRouter,
  ) {}

  /** Runs the agent, bounded by the event's timeout (a late agent is `failed`; its call is left to finish). */
  async run(agentId: string, context: RunContext, timeoutMs?: number): Promise<AgentResult> {
    const started = performance.now();
    const finish = (result: Omit<AgentResult, 'executionTime' | 'agentId'>): AgentResult => ({
      agentId,
      ...result,
      executionTime: Math.round(performance.now() - started),
    });
    let agent: Agent;
    try {
      agent = await this.catalog.get(agentId);
    } catch (error) {
      return finish({ kind: 'llm', status: 'failed', output: '', findings: [], metadata: { intent: 'review_pr', action: 'review_pr', allowed: false }, powers: NO_POWERS, reason: (error as Error).message });
    }
    const metadata = { intent: 'review_pr', action: 'review_pr', allowed: !agent.actions || agent.actions.includes('review_pr') };
    const powers = powersOf(agent);
    if (!timeoutMs) return this.review(agent, context, metadata, powers, finish);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<AgentResult>((resolve) => {
      timer = setTimeout(
        () => resolve(finish({ kind: agent.kind, status: 'failed', output: '', findings: [], metadata, powers, reason: `timed out after ${timeoutMs} ms (the event's timeoutMs)` })),
        timeoutMs,
      );
    });
    return Promise.race([this.review(agent, context, metadata, powers, finish), late]).finally(() => clearTimeout(timer));
  }

  private async review(
    agent: Agent,
    context: RunContext,
    metadata: AgentResult['metadata'],
    powers: ReviewerPowers,
    finish: (result: Omit<AgentResult, 'executionTime' | 'agentId'>) => AgentResult,
  ): Promise<AgentResult> {
    try {
      if (agent.kind === 'analyzer') {
        if (context.review.input.files.length === 0) {
          // An analyzer given no diff would pass anything: it says it did not review.
          return finish({ kind: 'analyzer', status: 'skipped', output: '', findings: [], metadata, powers, reason: `not reviewed: ${NO_DIFF}` });
        }
        const report = await this.engine.analyze(agent.analyzer ?? '', context.review);
        if (!report) {
          return finish({ kind: 'analyzer', status: 'failed', output: '', findings: [], metadata, powers, reason: `no analyzer named "${agent.analyzer}" (known: ${this.engine.analyzerNames().join(', ')})` });
        }
        return finish({ kind: 'analyzer', status: 'success', verdict: report.verdict, output: report.summary, ...resultFields(report), metadata, powers });
      }
      const selection = { provider: agent.modelProvider, model: agent.modelName, modelKey: agent.modelKey, task: 'code_review' as const };
      const unavailable = this.router.unavailable(selection);
      if (unavailable) return finish({ kind: 'llm', status: 'skipped', output: '', findings: [], metadata, powers, reason: unavailable });
      const completion = await this.router.complete(selection, [
        { role: 'system', content: this.systemPrompt(agent, context.knowledge) },
        { role: 'user', content: this.userPrompt(context.review.input) },
      ]);
      const parsed = parseVerdict(completion.text);
      return finish({
        kind: 'llm',
        status: 'success',
        verdict: parsed.verdict,
        output: parsed.summary || completion.text.slice(0, 2000),
        // An LLM agent's findings are screened too; its verdict is its own judgement and stays.
        ...resultFields(context.review.policy.screen(parsed.findings)),
        metadata: { ...metadata, model: completion.model, provider: completion.provider },
        powers,
      });
    } catch (error) {
      const reason = error instanceof DomainException ? `${error.code}: ${error.message}` : (error as Error).message;
      return finish({ kind: agent.kind, status: 'failed', output: '', findings: [], metadata, powers, reason });
    }
  }

  private systemPrompt(agent: Agent, knowledge: readonly KnowledgeDocument[]): string {
    let policy = '';
    for (const doc of knowledge) {
      if (policy.length >= MAX_KNOWLEDGE_CHARS) break;
      policy += `\n## ${doc.title}\n${doc.content}`.slice(0, MAX_KNOWLEDGE_CHARS - policy.length);
    }
    return `${agent.instructions ?? `You are ${agent.name}.`}\n\nOur policies:${policy}\n\n${ANSWER_SHAPE}`;
  }

  private userPrompt(input: ReviewInput): string {
    let diff = '';
    for (const file of input.files) {
      if (diff.length >= MAX_DIFF_CHARS) break;
      diff += `\n--- ${file.filename} (${file.status ?? 'modified'})\n${file.patch ?? ''}`.slice(0, MAX_DIFF_CHARS - diff.length);
    }
    return `Pull request${input.pr.number === null ? '' : ` #${input.pr.number}`} in ${input.repo ?? 'an unnamed repository'}: ${input.pr.title}\n\n${input.pr.body}\n\nChanged files:${diff}`;
  }
}
