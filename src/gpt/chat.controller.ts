import { Body, Controller, Get, HttpCode, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { chatEvents, wantsEvents } from './chat-events';
import { ChatService } from './chat.service';
import { ChatRequestDto, ChatResponseDto, DirectChatRequestDto, KeyStatusDto, RunAgentRequestDto } from './dto/chat.dto';
import { ModelRouter } from './model-router.service';
import { Metered } from './usage/usage.guard';

const UPSTREAM_ERRORS = [
  ErrorCode.ProviderNotConfigured,
  ErrorCode.UpstreamCircuitOpen,
  ErrorCode.UpstreamBusy,
  ErrorCode.UpstreamTimeout,
  ErrorCode.UpstreamError,
  ErrorCode.UpstreamAuthFailed,
  ErrorCode.UpstreamRejected,
  ErrorCode.AllModelsFailed,
];
const STREAM_DESCRIPTION =
  'With `"stream": true` (or `Accept: text/event-stream`) the answer is server-sent events: `meta` { agentId, model, provider, correlationId } once a model is answering, `delta` { content } per chunk, then `done` { usage, attempts } or `error` { code, message, details } — never both. A model that fails before its first content falls back along its chain unseen; a failure after it ends the stream with `error` STREAM_INTERRUPTED (details.delivered: characters sent). Errors before the first event are the usual JSON answers.';
const CHAT_RESPONSE = {
  description: 'The answer (JSON), or its server-sent events when streaming',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(ChatResponseDto) } },
    'text/event-stream': {
      schema: { type: 'string' },
      example:
        'event: meta\ndata: {"agentId":null,"model":"gpt-4o-mini","provider":"openai","correlationId":"c0ffee00-1234"}\n\nevent: delta\ndata: {"content":"Roll back with "}\n\nevent: done\ndata: {"usage":{"promptTokens":31,"completionTokens":12,"totalTokens":43},"attempts":[{"provider":"openai","model":"gpt-4o-mini","outcome":"success"}]}\n\n',
    },
  },
};
const AGENT_ERRORS = [ErrorCode.AgentNotFound, ErrorCode.ContextNotAllowed, ErrorCode.ActionNotAllowed, ErrorCode.AgentNotChattable];

@ApiTags('chat')
@Controller('api/chat')
export class ChatController {
  constructor(
    private readonly chat: ChatService,
    private readonly router: ModelRouter,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "Talk to an agent: its instructions and model, the governance registry's contexts, real upstream errors.",
    description: STREAM_DESCRIPTION,
  })
  @ApiOkResponse(CHAT_RESPONSE)
  @ApiErrors(ErrorCode.ValidationFailed, ...AGENT_ERRORS, ...UPSTREAM_ERRORS)
  @Metered()
  async withAgent(
    @Body() body: ChatRequestDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ChatResponseDto | StreamableFile> {
    const conversation = { input: (body.input ?? body.message)!, history: body.history, language: body.language };
    if (wantsEvents(body.stream, req)) return chatEvents(res, await this.chat.streamWithAgent(body.agentId, conversation, 'chat'));
    return this.chat.withAgent(body.agentId, conversation, 'chat');
  }

  @Post('direct')
  @HttpCode(200)
  @ApiOperation({ summary: 'Talk to the model routed for chat_response, without an agent.', description: STREAM_DESCRIPTION })
  @ApiOkResponse(CHAT_RESPONSE)
  @ApiErrors(ErrorCode.ValidationFailed, ...UPSTREAM_ERRORS)
  @Metered()
  async direct(
    @Body() body: DirectChatRequestDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ChatResponseDto | StreamableFile> {
    const conversation = { input: body.message, history: body.history, language: body.language };
    if (wantsEvents(body.stream, req)) return chatEvents(res, await this.chat.streamDirect(conversation));
    return this.chat.direct(conversation);
  }

  @Get('key-status')
  @ApiOperation({ summary: 'Per provider: configured or not, endpoint host, breaker state. Never key material.' })
  @ApiOkResponse({ type: KeyStatusDto })
  keyStatus(): KeyStatusDto {
    return { providers: this.router.providers() };
  }
}

@ApiTags('agents')
@Controller('api/agents')
export class AgentRunController {
  constructor(private readonly chat: ChatService) {}

  @Post('run')
  @HttpCode(200)
  @ApiOperation({ summary: "Run an agent on an input (the original BSM's contract, the chat engine, the api context)." })
  @ApiOkResponse({ type: ChatResponseDto })
  @ApiErrors(ErrorCode.ValidationFailed, ...AGENT_ERRORS, ...UPSTREAM_ERRORS)
  @Metered()
  run(@Body() body: RunAgentRequestDto): Promise<ChatResponseDto> {
    return this.chat.withAgent(body.agentId, { input: body.input }, 'api');
  }
}
