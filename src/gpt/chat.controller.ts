import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ChatService } from './chat.service';
import { ChatRequestDto, ChatResponseDto, DirectChatRequestDto, KeyStatusDto, RunAgentRequestDto } from './dto/chat.dto';
import { ModelRouter } from './model-router.service';

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
  @ApiOperation({ summary: "Talk to an agent: its instructions and model, the governance registry's contexts, real upstream errors." })
  @ApiOkResponse({ type: ChatResponseDto })
  @ApiErrors(ErrorCode.ValidationFailed, ...AGENT_ERRORS, ...UPSTREAM_ERRORS)
  withAgent(@Body() body: ChatRequestDto): Promise<ChatResponseDto> {
    return this.chat.withAgent(body.agentId, { input: (body.input ?? body.message)!, history: body.history, language: body.language }, 'chat');
  }

  @Post('direct')
  @HttpCode(200)
  @ApiOperation({ summary: 'Talk to the model routed for chat_response, without an agent.' })
  @ApiOkResponse({ type: ChatResponseDto })
  @ApiErrors(ErrorCode.ValidationFailed, ...UPSTREAM_ERRORS)
  direct(@Body() body: DirectChatRequestDto): Promise<ChatResponseDto> {
    return this.chat.direct({ input: body.message, history: body.history, language: body.language });
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
  run(@Body() body: RunAgentRequestDto): Promise<ChatResponseDto> {
    return this.chat.withAgent(body.agentId, { input: body.input }, 'api');
  }
}
