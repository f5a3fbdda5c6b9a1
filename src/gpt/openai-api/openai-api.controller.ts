import { applyDecorators, Body, Controller, Get, HttpCode, Post, Res, StreamableFile, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { eventStream, streamFailure } from '../chat-events';
import type { RoutedStream } from '../model-router.service';
import { ChatCompletionRequestDto } from './chat-completion.dto';
import { OpenAiApiService, wireUsage } from './openai-api.service';
import { OpenAiErrorDto } from './openai-error.dto';
import { OpenAiErrorsFilter } from './openai-errors.filter';
import { UsageGuard } from '../usage/usage.guard';

const ERRORS =
  'Errors are OpenAI-shaped — `{ "error": { "message", "type", "code", "param" } }` — with BSM\'s status, `Retry-After` and `x-correlation-id`; `code` is BSM\'s error code (docs/errors.md).';

/** Every error status of these routes, in OpenAI's shape (declared on the class: it replaces the global envelope). */
const OpenAiErrors = () =>
  applyDecorators(
    ApiExtraModels(OpenAiErrorDto),
    ...[
      [400, 'invalid request (param names the field)'],
      [401, 'API_KEYS is set and the Bearer key is missing or wrong'],
      [404, 'unknown model (MODEL_NOT_FOUND)'],
      [429, 'rate limited; Retry-After'],
      [500, 'unexpected failure'],
      [502, 'the upstreams failed (UPSTREAM_ERROR, ALL_MODELS_FAILED, …)'],
      [503, 'no model could be called: breaker open or bulkhead full (Retry-After), or no provider configured'],
      [504, 'the deadline was spent'],
    ].map(([status, description]) => ApiResponse({ status: status as number, description: description as string, type: OpenAiErrorDto })),
  );

const COMPLETION_EXAMPLE = {
  id: 'chatcmpl-5f0c6c2e-3a8e-4a53-9a43-2b1f0f0c9d7e',
  object: 'chat.completion',
  created: 1796000000,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Redeploy the previous image tag.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 21, completion_tokens: 8, total_tokens: 29 },
};

/**
 * OpenAI's wire format over BSM's router: point an OpenAI SDK (or LangChain, an editor's assistant) at
 * `<BSM>/v1` and its calls get BSM's breakers, bulkheads, retries, fallbacks, metrics and correlation ids.
 */
@ApiTags('openai-compatible')
@ApiSecurity('api-key')
@OpenAiErrors()
@Controller('v1')
@UseFilters(OpenAiErrorsFilter)
export class OpenAiApiController {
  constructor(private readonly api: OpenAiApiService) {}

  @Get('models')
  @ApiOperation({ summary: 'The models of models.yaml, as OpenAI lists models.', description: ERRORS })
  @ApiOkResponse({
    description: 'The models (owned_by: their provider)',
    schema: { type: 'object', example: { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'openai' }] } },
  })
  models() {
    return this.api.models();
  }

  @Post('chat/completions')
  @HttpCode(200)
  @UseGuards(UsageGuard)
  @ApiOperation({
    summary: 'A chat completion in OpenAI\'s format, through BSM\'s router; `"stream": true` answers OpenAI\'s chunks and `data: [DONE]`.',
    description: `${ERRORS} A stream that breaks after its first content ends with a \`data: { "error": … }\` event (code STREAM_INTERRUPTED) and no \`[DONE]\`.`,
  })
  @ApiOkResponse({
    description: 'A `chat.completion` object, or `chat.completion.chunk` server-sent events ending with `data: [DONE]`',
    content: {
      'application/json': { schema: { type: 'object', example: COMPLETION_EXAMPLE } },
      'text/event-stream': {
        schema: { type: 'string' },
        example:
          'data: {"id":"chatcmpl-5f0c6c2e","object":"chat.completion.chunk","created":1796000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Redeploy"},"finish_reason":null}]}\n\ndata: [DONE]\n\n',
      },
    },
  })
  async completions(@Body() body: ChatCompletionRequestDto, @Res({ passthrough: true }) res: Response): Promise<object | StreamableFile> {
    if (!body.stream) return this.api.complete(body);
    const stream = await this.api.stream(body);
    return eventStream(res, stream, chunkEvents(stream, this.api.id(), body.stream_options?.include_usage === true));
  }
}

async function* chunkEvents(stream: RoutedStream, id: string, includeUsage: boolean): AsyncGenerator<string> {
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finish: 'stop' | null = null) =>
    data({ id, object: 'chat.completion.chunk', created, model: stream.model, choices: [{ index: 0, delta, finish_reason: finish }] });
  yield chunk({ role: 'assistant', content: '' });
  try {
    for await (const content of stream.chunks) yield chunk({ content });
  } catch (error) {
    const failure = streamFailure(error);
    yield data({ error: { message: failure.message, type: 'api_error', code: failure.code, param: null } });
    return;
  }
  yield chunk({}, 'stop');
  const usage = stream.usage();
  if (includeUsage && usage) yield data({ id, object: 'chat.completion.chunk', created, model: stream.model, choices: [], usage: wireUsage(usage) });
  yield 'data: [DONE]\n\n';
}

function data(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}
