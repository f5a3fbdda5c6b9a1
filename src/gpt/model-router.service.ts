import { resolve } from 'node:path';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryService } from '@nestjs/core';
import { CorrelationContext } from '../common/correlation/correlation-context';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode, type AnyErrorCode } from '../common/errors/error-code';
import type { Env } from '../infra/config/env.schema';
import { DataFiles } from '../infra/data/data-files';
import { DataFileError } from '../infra/data/data-format';
import { BootError } from '../infra/lifecycle/boot-error';
import { BreakerRegistry, type BreakerState } from '../infra/resilience/breaker-registry';
import { BulkheadRegistry } from '../infra/resilience/bulkhead';
import { Deadline } from '../infra/resilience/retry';
import { LlmMetrics } from './llm.metrics';
import { parseModelConfig, DEFAULT_MAX_CONCURRENT, type Complexity, type ModelConfig, type Task } from './model-config';
import { LlmProvider, type ChatMessage, type LlmCompletion, type LlmRequest, type LlmStreamChunk, type LlmUsage } from './ports/llm-provider';
import { LlmCallSettings, ProviderPipeline } from './provider-pipeline';
import { toDomainError } from './upstream-errors';
import { UpstreamFailure } from './upstream-failure';

/** What a caller asks for: a model by name (an agent's modelName), a provider, or a task. */
export interface ModelSelection {
  provider?: string;
  model?: string;
  task?: Task;
  complexity?: Complexity;
  requiresSearch?: boolean;
  /** Credential selector (an agent's modelKey). */
  modelKey?: string;
}

export interface ModelChoice {
  provider: string;
  model: string;
}

export interface AttemptRecord extends ModelChoice {
  /** `SKIPPED`: not called, because its provider is not configured or its breaker is open (`reason` says which). */
  outcome: 'success' | 'SKIPPED' | AnyErrorCode;
  reason?: string;
}

/** Outcomes of attempts that never reached an upstream. */
const NOT_REACHED = new Set<string>([ErrorCode.UpstreamCircuitOpen, ErrorCode.UpstreamBusy, ErrorCode.ProviderNotConfigured]);

export interface RoutedCompletion extends LlmCompletion {
  provider: string;
  /** Every model tried, in order (more than one when fallbacks were used). */
  attempts: AttemptRecord[];
}

/** A streamed answer whose first content has arrived from `provider`. */
export interface RoutedStream {
  provider: string;
  /** The model answering (the upstream's own name for it once a chunk says so). */
  readonly model: string;
  /** Every model tried before this one answered, and this one. */
  attempts: AttemptRecord[];
  /** The content, as it arrives; a failure after the first content is thrown as STREAM_INTERRUPTED. */
  chunks: AsyncIterable<string>;
  /** The usage, once the stream has ended and the upstream reported it. */
  usage(): LlmUsage | undefined;
  /** The client went away: abort the upstream request now. */
  cancel(): void;
}

export interface ProviderOverview {
  provider: string;
  configured: boolean;
  endpointHost: string;
  /** The variable to set when not configured. */
  variable: string;
  breaker: BreakerState;
}

/**
 * Picks the model for a call, runs it through its provider's resilience pipeline and,
 * when it fails, walks the model's fallback chain — all within one deadline.
 */
@Injectable()
export class ModelRouter implements OnModuleInit {
  private config!: ModelConfig;
  private readonly pipelines = new Map<string, ProviderPipeline>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly files: DataFiles,
    private readonly appConfig: ConfigService<Env, true>,
    private readonly breakers: BreakerRegistry,
    private readonly bulkheads: BulkheadRegistry,
    private readonly settings: LlmCallSettings,
    private readonly metrics: LlmMetrics,
    private readonly correlation: CorrelationContext,
  ) {}

  async onModuleInit(): Promise<void> {
    const providers = this.discoverProviders();
    this.config = await this.loadConfig(providers.map((p) => p.name));
    for (const provider of providers) {
      const limits = this.config.providers[provider.name];
      const bulkhead = this.bulkheads.register(provider.name, {
        maxConcurrent: limits?.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
        maxQueue: limits?.maxQueue ?? this.settings.maxQueue,
        maxQueueWaitMs: limits?.maxQueueWaitMs ?? this.settings.maxQueueWaitMs,
      });
      const breaker = this.breakers.register(provider.name, {
        isIgnored: (error) => error instanceof UpstreamFailure && error.isClientError,
        isTimeout: (error) => error instanceof UpstreamFailure && error.kind === 'timeout',
      });
      this.pipelines.set(provider.name, new ProviderPipeline(provider, bulkhead, breaker, this.settings));
    }
  }

  /** Every LlmProvider in the app, including those an embedding codebase adds. */
  private discoverProviders(): LlmProvider[] {
    const found = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is LlmProvider => instance instanceof LlmProvider);
    const byName = new Map<string, LlmProvider>();
    const problems: string[] = [];
    for (const provider of found) {
      const other = byName.get(provider.name);
      if (other && other !== provider) problems.push(`two providers are named "${provider.name}"`);
      byName.set(provider.name, provider);
    }
    if (problems.length > 0) throw new BootError('LLM providers', problems);
    const providers = [...byName.values()];
    return providers;
  }

  private async loadConfig(providerNames: string[]): Promise<ModelConfig> {
    const path = resolve(this.appConfig.get('MODELS_PATH', { infer: true }));
    const text = await this.files.readAbsolute(path);
    if (text === null) throw new BootError('Model configuration', [`MODELS_PATH: ${path} does not exist`]);
    try {
      return parseModelConfig(path, text, providerNames);
    } catch (error) {
      if (error instanceof DataFileError) throw new BootError('Invalid model configuration', error.problems.map((p) => `${path}: ${p}`));
      throw error;
    }
  }

  /** The models a selection tries, primary first, then its fallbacks (when enabled). */
  chain(selection: ModelSelection): ModelChoice[] {
    const primary = this.primary(selection);
    const chain = [primary];
    if (this.appConfig.get('FALLBACK_ENABLED', { infer: true })) {
      for (const id of this.config.models[primary.model]?.fallbacks ?? []) {
        if (!chain.some((c) => c.model === id)) chain.push({ model: id, provider: this.config.models[id].provider });
      }
    }
    return chain;
  }

  private primary(selection: ModelSelection): ModelChoice {
    const known = (model: string): ModelChoice => ({ model, provider: this.config.models[model].provider });
    if (selection.model) {
      return this.config.models[selection.model]
        ? known(selection.model)
        : { model: selection.model, provider: selection.provider ?? 'openai' };
    }
    if (selection.requiresSearch) return known(this.config.search);
    const byTask = known(this.config.tasks[selection.task ?? 'chat_response'][selection.complexity ?? 'medium']);
    if (!selection.provider || selection.provider === byTask.provider) return byTask;
    // An agent tied to another provider without naming a model: that provider's search model, or its first model.
    const search = known(this.config.search);
    if (search.provider === selection.provider) return search;
    const first = Object.values(this.config.models).find((m) => m.provider === selection.provider);
    return first ? known(first.id) : { model: byTask.model, provider: selection.provider };
  }

  /**
   * Calls the selected model, then its fallbacks. A model is skipped, not called, while its provider is not
   * configured or its breaker is open; a fallback on the same provider with a closed breaker is still tried.
   * When no attempt reached an upstream the caller learns why, by priority: a breaker open (503 with
   * Retry-After until the earliest probe), bulkheads full (503 with Retry-After), providers not configured
   * (503 naming the variables). Upstream errors are one model's error or 502 ALL_MODELS_FAILED; a spent
   * deadline is 504. Every error lists the attempts, skipped ones with their reason.
   */
  async complete(selection: ModelSelection, messages: ChatMessage[]): Promise<RoutedCompletion> {
    const caller = this.correlation.caller();
    const routed = await this.route(selection, messages, (pipeline, request, deadline) => pipeline.call(request, deadline));
    const completion = routed.value;
    this.metrics.record(routed.choice.provider, routed.choice.model, 'success', routed.seconds(), completion.usage, caller);
    return { ...completion, provider: routed.choice.provider, attempts: routed.attempts };
  }

  /**
   * The same walk for a streamed answer: a model that fails before its first content is an ordinary failed
   * attempt (the next model of the chain is tried, nothing has been sent), and the errors are those of
   * `complete()`. Once content flows the stream is committed to its model: a failure after it ends the
   * iteration with STREAM_INTERRUPTED, saying how many characters were delivered.
   */
  async stream(selection: ModelSelection, messages: ChatMessage[]): Promise<RoutedStream> {
    // Read while the request is in hand: a stream ends in another async context.
    const caller = this.correlation.caller();
    const routed = await this.route(selection, messages, (pipeline, request, deadline) => pipeline.openStream(request, deadline));
    const { choice, attempts } = routed;
    const metrics = this.metrics;
    let usage: LlmUsage | undefined;
    let model = choice.model;
    const source = routed.value[Symbol.asyncIterator]();
    let delivered = 0;
    let ended = false;
    // A plain iterator over the provider's chunks (see ProviderPipeline.openStream): content only, the usage and
    // model noted on the way, a failure after the first content turned into STREAM_INTERRUPTED.
    const chunks: AsyncIterator<string> = {
      async next(): Promise<IteratorResult<string>> {
        for (;;) {
          let result: IteratorResult<LlmStreamChunk>;
          try {
            result = await source.next();
          } catch (error) {
            ended = true;
            const cause = toDomainError(error, choice.provider, choice.model);
            metrics.record(choice.provider, choice.model, ErrorCode.StreamInterrupted, routed.seconds());
            throw new DomainException(ErrorCode.StreamInterrupted, `${choice.provider} (${choice.model}) stopped after ${delivered} characters: ${cause.code}`, {
              details: { provider: choice.provider, model: choice.model, delivered, cause: { code: cause.code, message: cause.message }, attempts },
            });
          }
          if (result.done) {
            if (!ended) {
              ended = true;
              metrics.record(choice.provider, choice.model, 'success', routed.seconds(), usage, caller);
            }
            return { done: true, value: undefined };
          }
          const chunk = result.value;
          if (chunk.usage) usage = chunk.usage;
          if (chunk.model) model = chunk.model;
          if (!chunk.content) continue;
          delivered += chunk.content.length;
          return { done: false, value: chunk.content };
        }
      },
      return: async (): Promise<IteratorResult<string>> => {
        ended = true;
        await source.return?.();
        return { done: true, value: undefined };
      },
    };
    return {
      provider: choice.provider,
      get model() {
        return model;
      },
      attempts,
      chunks: { [Symbol.asyncIterator]: () => chunks },
      usage: () => usage,
      cancel: () => routed.value.cancel(),
    };
  }

  /** Walks the chain with `call` for each model that can be called now, within one deadline (see complete()). */
  private async route<T>(
    selection: ModelSelection,
    messages: ChatMessage[],
    call: (pipeline: ProviderPipeline, request: LlmRequest, deadline: Deadline) => Promise<T>,
  ): Promise<{ value: T; choice: ModelChoice; attempts: AttemptRecord[]; seconds: () => number }> {
    const deadline = new Deadline(this.settings.deadlineMs);
    const attempts: AttemptRecord[] = [];
    const errors: DomainException[] = [];
    for (const choice of this.chain(selection)) {
      const blocked = this.blocked(choice, selection.modelKey);
      if (blocked) {
        attempts.push({ ...choice, outcome: 'SKIPPED', reason: blocked.message });
        errors.push(blocked);
        continue;
      }
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const request = { model: choice.model, messages, modelKey: selection.modelKey, correlationId: this.correlation.current() };
        const value = await call(this.pipelines.get(choice.provider)!, request, deadline);
        attempts.push({ ...choice, outcome: 'success' });
        return { value, choice, attempts, seconds };
      } catch (error) {
        const failure = toDomainError(error, choice.provider, choice.model);
        this.metrics.record(choice.provider, choice.model, failure.code, seconds());
        attempts.push({ ...choice, outcome: failure.code });
        errors.push(failure);
        if (deadline.remaining() <= 0) {
          if (errors.length === 1) throw withAttempts(failure, attempts);
          throw new DomainException(ErrorCode.UpstreamTimeout, `The ${this.settings.deadlineMs} ms deadline was spent: ${summary(attempts)}`, { details: { attempts } });
        }
      }
    }
    const reached = errors.filter((e) => !NOT_REACHED.has(e.code));
    if (reached.length === 0) throw withAttempts(notReached(errors), attempts);
    if (errors.length === 1) throw withAttempts(errors[0], attempts);
    throw new DomainException(ErrorCode.AllModelsFailed, `Every model failed: ${summary(attempts)}`, { details: { attempts } });
  }

  /** Why a model cannot be called now, without calling it: its provider is missing or unconfigured, or its breaker is open. */
  private blocked(choice: ModelChoice, modelKey: string | undefined): DomainException | undefined {
    const pipeline = this.pipelines.get(choice.provider);
    if (!pipeline) {
      return new DomainException(ErrorCode.ProviderNotConfigured, `No LLM provider named "${choice.provider}" is installed`, {
        details: { provider: choice.provider, model: choice.model },
      });
    }
    const status = pipeline.provider.status(modelKey);
    if (!status.configured) {
      return new DomainException(ErrorCode.ProviderNotConfigured, `${choice.provider} is not configured: set ${status.variable}`, {
        details: { provider: choice.provider, model: choice.model, variable: status.variable },
      });
    }
    if (pipeline.breaker.rejecting) return toDomainError(pipeline.breaker.refuse(), choice.provider, choice.model);
    return undefined;
  }

  /** The models of models.yaml, with their providers, in file order. */
  models(): ModelChoice[] {
    return Object.values(this.config.models).map((model) => ({ model: model.id, provider: model.provider }));
  }

  /** A model id of models.yaml, or a task of its routing (at medium complexity); undefined for anything else. */
  selectionFor(name: string): ModelSelection | undefined {
    if (this.config.models[name]) return { model: name };
    if (Object.hasOwn(this.config.tasks, name)) return { task: name as Task, complexity: 'medium' };
    return undefined;
  }

  /** Why no model of this selection can be called (no configured provider in its chain), or null. */
  unavailable(selection: ModelSelection): string | null {
    const missing: string[] = [];
    for (const choice of this.chain(selection)) {
      const pipeline = this.pipelines.get(choice.provider);
      const status = pipeline?.provider.status(selection.modelKey);
      if (status?.configured) return null;
      missing.push(status ? `set ${status.variable}` : `install the ${choice.provider} provider`);
    }
    return `provider not configured: ${[...new Set(missing)].join(', ')}`;
  }

  providers(): ProviderOverview[] {
    return [...this.pipelines.values()].map((pipeline) => {
      const status = pipeline.provider.status();
      return {
        provider: pipeline.provider.name,
        configured: status.configured,
        endpointHost: status.endpointHost,
        variable: status.variable,
        breaker: pipeline.breaker.state,
      };
    });
  }
}

function summary(attempts: readonly AttemptRecord[]): string {
  return attempts.map((a) => `${a.provider}/${a.model} ${a.outcome}${a.reason ? ` (${a.reason})` : ''}`).join(', ');
}

/** The same error with every attempt in its details. */
function withAttempts(error: DomainException, attempts: AttemptRecord[]): DomainException {
  return new DomainException(error.code, error.message, { headers: error.headers, details: { ...(error.details as object | undefined), attempts } });
}

/**
 * Why no attempt reached an upstream, by priority: a breaker open (retry when the earliest one probes), then
 * bulkheads full, then providers not configured (naming every variable).
 */
function notReached(errors: readonly DomainException[]): DomainException {
  const open = errors.filter((e) => e.code === ErrorCode.UpstreamCircuitOpen);
  if (open.length > 0) {
    const earliest = open.reduce((a, b) => (retryAfterOf(b) < retryAfterOf(a) ? b : a));
    return open.length === 1 ? earliest : new DomainException(ErrorCode.UpstreamCircuitOpen, `Every model's circuit is open: ${open.map((e) => e.message).join('; ')}`, { headers: earliest.headers, details: earliest.details });
  }
  const busy = errors.find((e) => e.code === ErrorCode.UpstreamBusy);
  if (busy) return busy;
  const variables = [...new Set(errors.map((e) => (e.details as { variable?: string } | undefined)?.variable).filter(Boolean))];
  if (variables.length <= 1) return errors.find((e) => (e.details as { variable?: string } | undefined)?.variable) ?? errors[0];
  return new DomainException(ErrorCode.ProviderNotConfigured, `No configured provider for this call: set ${variables.join(' or ')}`, { details: { variable: variables[0], variables } });
}

function retryAfterOf(error: DomainException): number {
  return (error.details as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 0;
}
