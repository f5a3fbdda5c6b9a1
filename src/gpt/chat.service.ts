import { Injectable } from '@nestjs/common';
import type { Agent, AgentContext } from '../agents/agent.model';
import { AgentCatalogService } from '../agents/agent-catalog.service';
import { CorrelationContext } from '../common/correlation/correlation-context';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import type { ChatResponseDto, HistoryItemDto, Language } from './dto/chat.dto';
import { detectIntent, INTENT_ACTIONS } from './intent';
import { ModelRouter, type ModelSelection, type RoutedStream } from './model-router.service';
import type { ChatMessage } from './ports/llm-provider';

export interface Conversation {
  input: string;
  history?: HistoryItemDto[];
  language?: Language;
}

interface ChatCall {
  agentId: string | null;
  selection: ModelSelection;
  messages: ChatMessage[];
}

/** A chat answer being streamed: who asked for it, and the routed stream. */
export interface ChatStream {
  agentId: string | null;
  correlationId: string;
  stream: RoutedStream;
}

const LANGUAGE_NAMES: Record<Language, string> = { ar: 'Arabic', en: 'English' };
const DIRECT_INSTRUCTIONS =
  'You are the BSM assistant for a software organisation. Answer precisely and say when you are not sure.';

/** Chat with an agent (or without one): permissions first, then the model router. */
@Injectable()
export class ChatService {
  constructor(
    private readonly catalog: AgentCatalogService,
    private readonly router: ModelRouter,
    private readonly correlation: CorrelationContext,
  ) {}

  /** `context` is where the call comes from: chat for /api/chat, api for /api/agents/run. */
  async withAgent(agentId: string, conversation: Conversation, context: AgentContext): Promise<ChatResponseDto> {
    return this.complete(await this.agentCall(agentId, conversation, context));
  }

  direct(conversation: Conversation): Promise<ChatResponseDto> {
    return this.complete(this.directCall(conversation));
  }

  /** The same call, streamed: resolves once the answering model's first content has arrived. */
  async streamWithAgent(agentId: string, conversation: Conversation, context: AgentContext): Promise<ChatStream> {
    return this.openStream(await this.agentCall(agentId, conversation, context));
  }

  streamDirect(conversation: Conversation): Promise<ChatStream> {
    return this.openStream(this.directCall(conversation));
  }

  private async agentCall(agentId: string, conversation: Conversation, context: AgentContext): Promise<ChatCall> {
    const agent = await this.catalog.get(agentId);
    this.assertAllowed(agent, conversation.input, context);
    return {
      agentId: agent.id,
      selection: { provider: agent.modelProvider, model: agent.modelName, modelKey: agent.modelKey, task: 'chat_response' },
      messages: this.messages(agent.instructions ?? `You are ${agent.name}.`, conversation),
    };
  }

  private directCall(conversation: Conversation): ChatCall {
    return { agentId: null, selection: { task: 'chat_response' }, messages: this.messages(DIRECT_INSTRUCTIONS, conversation) };
  }

  /** Contexts and intents as in the original BSM: agents without contexts are allowed everywhere. */
  private assertAllowed(agent: Agent, input: string, context: AgentContext): void {
    const allowed = agent.contexts?.allowed;
    if (allowed && !allowed.includes(context)) {
      throw new DomainException(ErrorCode.ContextNotAllowed, `${agent.id} is not allowed in the ${context} context`, {
        details: { agentId: agent.id, context, allowed },
      });
    }
    if (agent.kind === 'analyzer') {
      throw new DomainException(
        ErrorCode.AgentNotChattable,
        `${agent.id} is a deterministic analyzer (${agent.analyzer}); it runs in orchestrator jobs, not in chat`,
      );
    }
    const intent = detectIntent(input);
    if (intent && !(agent.actions ?? []).includes(INTENT_ACTIONS[intent])) {
      throw new DomainException(ErrorCode.ActionNotAllowed, `${agent.id} may not ${INTENT_ACTIONS[intent]} (asked to ${intent.replace('_', ' ')})`, {
        details: { agentId: agent.id, intent, action: INTENT_ACTIONS[intent], allowed: agent.actions ?? [] },
      });
    }
  }

  private messages(instructions: string, conversation: Conversation): ChatMessage[] {
    const language = LANGUAGE_NAMES[conversation.language ?? 'en'];
    return [
      { role: 'system', content: `${instructions}\nAnswer in ${language}.` },
      ...(conversation.history ?? []).map((item) => ({ role: item.role, content: item.content })),
      { role: 'user', content: conversation.input },
    ];
  }

  private async complete({ agentId, selection, messages }: ChatCall): Promise<ChatResponseDto> {
    const completion = await this.router.complete(selection, messages);
    return {
      output: completion.text,
      agentId,
      model: completion.model,
      provider: completion.provider,
      usage: completion.usage,
      ...(completion.citations ? { citations: completion.citations } : {}),
      attempts: completion.attempts,
      correlationId: this.correlation.current() ?? '',
    };
  }

  private async openStream({ agentId, selection, messages }: ChatCall): Promise<ChatStream> {
    const stream = await this.router.stream(selection, messages);
    return { agentId, correlationId: this.correlation.current() ?? '', stream };
  }
}
