import { Injectable } from '@nestjs/common';
import { CorrelationContext } from '../../common/correlation/correlation-context';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { ModelRouter, type ModelSelection, type RoutedCompletion, type RoutedStream } from '../model-router.service';
import type { ChatMessage, LlmUsage } from '../ports/llm-provider';
import type { ChatCompletionMessageDto, ChatCompletionRequestDto } from './chat-completion.dto';

/** OpenAI's usage object. */
export function wireUsage(usage: LlmUsage): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.totalTokens };
}

/** OpenAI's chat completions and models, served by BSM's router (its breakers, bulkheads, retries, fallbacks). */
@Injectable()
export class OpenAiApiService {
  constructor(
    private readonly router: ModelRouter,
    private readonly correlation: CorrelationContext,
  ) {}

  models() {
    return {
      object: 'list' as const,
      data: this.router.models().map((m) => ({ id: m.model, object: 'model' as const, created: 0, owned_by: m.provider })),
    };
  }

  async complete(body: ChatCompletionRequestDto) {
    const completion: RoutedCompletion = await this.router.complete(this.selection(body.model), messagesOf(body.messages));
    return {
      id: this.id(),
      object: 'chat.completion' as const,
      created: Math.floor(Date.now() / 1000),
      model: completion.model,
      choices: [{ index: 0, message: { role: 'assistant' as const, content: completion.text }, finish_reason: 'stop' as const }],
      usage: wireUsage(completion.usage),
    };
  }

  stream(body: ChatCompletionRequestDto): Promise<RoutedStream> {
    return this.router.stream(this.selection(body.model), messagesOf(body.messages));
  }

  /** The completion's id: the request's correlation id, so a client's log line leads to BSM's. */
  id(): string {
    return `chatcmpl-${this.correlation.current() ?? 'bsm'}`;
  }

  private selection(model: string): ModelSelection {
    const selection = this.router.selectionFor(model);
    if (!selection) {
      throw new DomainException(ErrorCode.ModelNotFound, `No model or task named "${model}" (GET /v1/models lists them)`, {
        details: { model },
      });
    }
    return selection;
  }
}

function messagesOf(messages: ChatCompletionMessageDto[]): ChatMessage[] {
  return messages.map((message) => ({
    role: message.role === 'developer' ? 'system' : message.role,
    content: typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('\n'),
  }));
}
