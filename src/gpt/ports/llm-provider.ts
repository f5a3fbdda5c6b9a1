export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  model: string;
  messages: ChatMessage[];
  /** Selects a credential where the provider has several (an agent's modelKey). */
  modelKey?: string;
  /** Forwarded as x-correlation-id, so the upstream's logs can be matched with BSM's. */
  correlationId?: string;
}

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface LlmCompletion {
  text: string;
  model: string;
  usage: LlmUsage;
  /** Sources, for search models. */
  citations?: string[];
}

/** One piece of a streamed answer: text as it arrives; the usage (and model) when the upstream reports them. */
export interface LlmStreamChunk {
  content?: string;
  usage?: LlmUsage;
  model?: string;
}

export interface ProviderStatus {
  configured: boolean;
  /** Host of the endpoint called; never a key. */
  endpointHost: string;
  /** The variable to set when it is not configured. */
  variable: string;
}

/**
 * Port: one LLM API. Adapters translate their wire errors into UpstreamFailure and know
 * nothing of retries, breakers or bulkheads: the router wraps every provider in those.
 * Any provider in the app that extends this class is found at boot and can be named by
 * models in models.yaml.
 */
export abstract class LlmProvider {
  /** The name models.yaml and agents' `modelProvider` use. */
  abstract readonly name: string;

  /** Whether a call with this credential selector can be made at all. */
  abstract status(modelKey?: string): ProviderStatus;

  /** One attempt. Must stop its request and release its socket when `signal` aborts. */
  abstract complete(request: LlmRequest, signal: AbortSignal): Promise<LlmCompletion>;

  /**
   * One attempt, streamed: content as the upstream produces it. Same contract as `complete()` for `signal`
   * and errors. A provider that cannot stream keeps this default: its whole answer as one chunk.
   */
  async *stream(request: LlmRequest, signal: AbortSignal): AsyncGenerator<LlmStreamChunk> {
    const completion = await this.complete(request, signal);
    yield { content: completion.text, usage: completion.usage, model: completion.model };
  }
}
