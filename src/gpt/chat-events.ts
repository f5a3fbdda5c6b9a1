import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import type { ChatStream } from './chat.service';
import type { RoutedStream } from './model-router.service';

/** `"stream": true` in the body, or (when the body does not say) `Accept: text/event-stream`. */
export function wantsEvents(stream: boolean | undefined, req: Request): boolean {
  return stream ?? (req.headers.accept ?? '').includes('text/event-stream');
}

/**
 * A routed stream's server-sent events as the response: Nest pipes `frames` with backpressure (the upstream is
 * read only as fast as the client reads) and destroys them when the client goes away; the close listener aborts
 * the upstream at once, even while it is silent. Shared by the chat routes and the OpenAI-compatible one.
 */
export function eventStream(res: Response, stream: RoutedStream, frames: AsyncIterable<string>): StreamableFile {
  res.setHeader('cache-control', 'no-cache');
  // Proxies that buffer (nginx) would hold the events back.
  res.setHeader('x-accel-buffering', 'no');
  res.once('close', () => {
    if (!res.writableFinished) stream.cancel();
  });
  return new StreamableFile(Readable.from(frames), { type: 'text/event-stream; charset=utf-8' });
}

/** What ended a stream after its first content, as the error its last event carries. */
export function streamFailure(error: unknown): DomainException {
  return error instanceof DomainException ? error : new DomainException(ErrorCode.InternalError, 'The stream failed', { cause: error });
}

/** A chat stream's events: `meta`, a `delta` per chunk, then `done` or `error` (never both). */
export function chatEvents(res: Response, chat: ChatStream): StreamableFile {
  return eventStream(res, chat.stream, events(chat));
}

async function* events({ agentId, correlationId, stream }: ChatStream): AsyncGenerator<string> {
  yield event('meta', { agentId, model: stream.model, provider: stream.provider, correlationId });
  try {
    for await (const content of stream.chunks) yield event('delta', { content });
  } catch (error) {
    const failure = streamFailure(error);
    yield event('error', { code: failure.code, message: failure.message, ...(failure.details === undefined ? {} : { details: failure.details }) });
    return;
  }
  yield event('done', { usage: stream.usage() ?? null, attempts: stream.attempts });
}

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
