import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { LlmProvider, type LlmCompletion, type LlmRequest, type LlmStreamChunk, type LlmUsage, type ProviderStatus } from '../ports/llm-provider';
import { parseRetryAfter, UpstreamFailure } from '../upstream-failure';

/** Placeholder values people leave in .env files. */
const PLACEHOLDER = /^(sk-)?(your|change|replace|placeholder|example|dummy|todo|none|null|x{3,}|\.{3}|<)/i;
const MIN_KEY_LENGTH = 20;

/** Empty, placeholder or obviously short keys mean "not configured". */
export function isUsableKey(key: string | undefined): key is string {
  return key !== undefined && key.trim().length >= MIN_KEY_LENGTH && !PLACEHOLDER.test(key.trim());
}

export interface Credential {
  key?: string;
  /** The variable the key comes from, named in PROVIDER_NOT_CONFIGURED. */
  variable: string;
}

interface WireCompletion {
  model?: string;
  choices?: { message?: { content?: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
  citations?: unknown;
  error?: { message?: string };
}

/**
 * Any OpenAI-compatible chat completions API (OpenAI, Perplexity, Ollama, vLLM, LM Studio),
 * through the official SDK with its own retries off: the router is the only retry loop.
 * One SDK client per key, created on first use.
 */
export abstract class OpenAiCompatibleProvider extends LlmProvider {
  private readonly clients = new Map<string, OpenAI>();

  protected constructor(private readonly baseUrl: string) {
    super();
  }

  protected abstract credential(modelKey?: string): Credential;

  status(modelKey?: string): ProviderStatus {
    const credential = this.credential(modelKey);
    return { configured: isUsableKey(credential.key), endpointHost: new URL(this.baseUrl).host, variable: credential.variable };
  }

  async complete(request: LlmRequest, signal: AbortSignal): Promise<LlmCompletion> {
    const key = this.credential(request.modelKey).key ?? '';
    let response: WireCompletion;
    try {
      response = (await this.client(key).chat.completions.create(
        { model: request.model, messages: request.messages },
        { signal, headers: request.correlationId ? { 'x-correlation-id': request.correlationId } : undefined },
      )) as WireCompletion;
    } catch (error) {
      throw translate(error, this.name);
    }
    return this.read(response, request.model);
  }

  /** `stream: true` with the usage in the last chunk; an error mid-stream (a cut, an error event) is thrown. */
  override async *stream(request: LlmRequest, signal: AbortSignal): AsyncGenerator<LlmStreamChunk> {
    const key = this.credential(request.modelKey).key ?? '';
    try {
      const chunks = await this.client(key).chat.completions.create(
        { model: request.model, messages: request.messages, stream: true, stream_options: { include_usage: true } },
        { signal, headers: request.correlationId ? { 'x-correlation-id': request.correlationId } : undefined },
      );
      for await (const chunk of chunks) {
        const content = chunk.choices?.[0]?.delta?.content ?? undefined;
        const usage = chunk.usage ? usageOf(chunk.usage) : undefined;
        if (content || usage) yield { content: content || undefined, usage, model: chunk.model };
      }
    } catch (error) {
      throw translate(error, this.name);
    }
  }

  /** A 200 is only a success when it holds an answer. */
  private read(response: WireCompletion, requested: string): LlmCompletion {
    if (response.error) {
      throw new UpstreamFailure('bad_response', `${this.name} answered 200 with an error: ${response.error.message ?? 'no message'}`);
    }
    const text = response.choices?.[0]?.message?.content;
    if (!response.choices?.length) throw new UpstreamFailure('bad_response', `${this.name} answered without choices`);
    if (typeof text !== 'string' || text.trim() === '') throw new UpstreamFailure('bad_response', `${this.name} answered with empty content`);
    const citations = Array.isArray(response.citations) ? response.citations.filter((c): c is string => typeof c === 'string') : undefined;
    return {
      text,
      model: response.model ?? requested,
      usage: usageOf(response.usage ?? {}),
      ...(citations?.length ? { citations } : {}),
    };
  }

  private client(key: string): OpenAI {
    let client = this.clients.get(key);
    if (!client) {
      client = new OpenAI({ apiKey: key, baseURL: this.baseUrl, maxRetries: 0 });
      this.clients.set(key, client);
    }
    return client;
  }
}

function usageOf(usage: NonNullable<WireCompletion['usage']>): LlmUsage {
  return {
    promptTokens: usage.prompt_tokens ?? 0,
    completionTokens: usage.completion_tokens ?? 0,
    totalTokens: usage.total_tokens ?? (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0),
  };
}

function translate(error: unknown, provider: string): unknown {
  // An abort is the caller's (timeout, shutdown): the pipeline that aborted knows which.
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionTimeoutError) return new UpstreamFailure('timeout', `${provider} timed out`);
  if (error instanceof APIError) {
    if (error.status === undefined) return new UpstreamFailure('network', `${provider} unreachable: ${error.message}`);
    return new UpstreamFailure('status', `${provider} answered ${error.status}`, error.status, parseRetryAfter(error.headers));
  }
  return new UpstreamFailure('network', `${provider} call failed: ${(error as Error).message}`);
}
