import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Agent } from '../agents/agent.model';
import { AgentCatalogService } from '../agents/agent-catalog.service';
import { DomainException } from '../common/errors/domain.exception';
import { BootError } from '../infra/lifecycle/boot-error';
import { ModelRouter } from '../gpt/model-router.service';
import type { KnowledgeDocument } from '../knowledge/knowledge.model';
import { Analyzer } from './analyzers/analyzer';
import type { SecretHit } from './analyzers/secret-scanner';
import type { AgentResult, ReviewInput } from './orchestrator.model';
import { parseVerdict } from './verdict-parser';

export interface RunContext {
  /** The pull request with every secret already masked. */
  input: ReviewInput;
  secrets: readonly SecretHit[];
  /** Loaded once per run, shared by every agent. */
  knowledge: readonly KnowledgeDocument[];
}

const MAX_KNOWLEDGE_CHARS = 6_000;
const MAX_DIFF_CHARS = 20_000;
const ANSWER_SHAPE =
  'Answer with JSON only: {"decision": "approve" | "request_changes" | "block", "score": 0-100, "summary": "...", ' +
  '"findings": [{"severity": "critical" | "high" | "medium" | "low" | "info", "file": "...", "line": 1, "message": "..."}]}';

/** Runs one agent of a job: an analyzer in process, or an LLM agent through the model router. */
@Injectable()
export class AgentExecutor implements OnModuleInit {
  private analyzers = new Map<string, Analyzer>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly catalog: AgentCatalogService,
    private readonly router: ModelRouter,
  ) {}

  /** Every Analyzer in the app, including those an embedding codebase declares. */
  onModuleInit(): void {
    const found = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is Analyzer => instance instanceof Analyzer);
    for (const analyzer of found) {
      const other = this.analyzers.get(analyzer.name);
      if (other && other !== analyzer) throw new BootError('Analyzers', [`two analyzers are named "${analyzer.name}"`]);
      this.analyzers.set(analyzer.name, analyzer);
    }
  }

  analyzerNames(): string[] {
    return [...this.analyzers.keys()];
  }

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
      return finish({ kind: 'llm', status: 'failed', output: '', findings: [], metadata: { intent: 'review_pr', action: 'review_pr', allowed: false }, reason: (error as Error).message });
    }
    const metadata = { intent: 'review_pr', action: 'review_pr', allowed: !agent.actions || agent.actions.includes('review_pr') };
    if (!timeoutMs) return this.review(agent, context, metadata, finish);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<AgentResult>((resolve) => {
      timer = setTimeout(
        () => resolve(finish({ kind: agent.kind, status: 'failed', output: '', findings: [], metadata, reason: `timed out after ${timeoutMs} ms (the event's timeoutMs)` })),
        timeoutMs,
      );
    });
    return Promise.race([this.review(agent, context, metadata, finish), late]).finally(() => clearTimeout(timer));
  }

  private async review(
    agent: Agent,
    context: RunContext,
    metadata: AgentResult['metadata'],
    finish: (result: Omit<AgentResult, 'executionTime' | 'agentId'>) => AgentResult,
  ): Promise<AgentResult> {
    try {
      if (agent.kind === 'analyzer') {
        const analyzer = this.analyzers.get(agent.analyzer ?? '');
        if (!analyzer) {
          return finish({ kind: 'analyzer', status: 'failed', output: '', findings: [], metadata, reason: `no analyzer named "${agent.analyzer}" (known: ${this.analyzerNames().join(', ')})` });
        }
        const report = await analyzer.analyze({ input: context.input, secrets: context.secrets });
        return finish({ kind: 'analyzer', status: 'success', verdict: report.verdict, output: report.summary, findings: report.findings, metadata });
      }
      const selection = { provider: agent.modelProvider, model: agent.modelName, modelKey: agent.modelKey, task: 'code_review' as const };
      const unavailable = this.router.unavailable(selection);
      if (unavailable) return finish({ kind: 'llm', status: 'skipped', output: '', findings: [], metadata, reason: unavailable });
      const completion = await this.router.complete(selection, [
        { role: 'system', content: this.systemPrompt(agent, context.knowledge) },
        { role: 'user', content: this.userPrompt(context.input) },
      ]);
      const parsed = parseVerdict(completion.text);
      return finish({
        kind: 'llm',
        status: 'success',
        verdict: parsed.verdict,
        output: parsed.summary || completion.text.slice(0, 2000),
        findings: parsed.findings,
        metadata: { ...metadata, model: completion.model, provider: completion.provider },
      });
    } catch (error) {
      const reason = error instanceof DomainException ? `${error.code}: ${error.message}` : (error as Error).message;
      return finish({ kind: agent.kind, status: 'failed', output: '', findings: [], metadata, reason });
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
