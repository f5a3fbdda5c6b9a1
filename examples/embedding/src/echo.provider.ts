import { Injectable } from '@nestjs/common';
import { LlmProvider, type LlmCompletion, type LlmRequest, type ProviderStatus } from 'bsm';

/**
 * An in-process "model" named in models.yaml as provider `acme`: it answers with the last user message.
 * BSM's router gives it a breaker and a bulkhead like any provider, and falls back along its chain.
 */
@Injectable()
export class EchoProvider extends LlmProvider {
  readonly name = 'acme';
  /** Set by tests to make the provider fail, as an outage would. */
  failing = false;

  status(): ProviderStatus {
    return { configured: true, endpointHost: 'in-process', variable: 'none' };
  }

  async complete(request: LlmRequest, signal: AbortSignal): Promise<LlmCompletion> {
    signal.throwIfAborted();
    if (this.failing) throw new Error('acme echo is down');
    const last = [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
    const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
    const promptTokens = request.messages.reduce((sum, message) => sum + words(message.content), 0);
    return { text: `echo: ${last}`, model: request.model, usage: { promptTokens, completionTokens: words(last) + 1, totalTokens: promptTokens + words(last) + 1 } };
  }
}
