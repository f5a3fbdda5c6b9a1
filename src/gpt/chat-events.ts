import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import type { ChatStream } from './chat.service';

/** `"stream": true` in the body, or (when the body does not say) `Accept: text/event-stream`. */
export function wantsEvents(stream: boolean | undefined, req: Request): boolean {
  return stream ?? (req.headers.accept ?? '').includes('text/event-stream');
}

/**
 * A chat stream as server-sent events: `meta`, a `delta` per chunk, then `done` or `error` (never both).
 * Nest pipes it with backpressure (the upstream is read only as fast as the client reads) and destroys it
 * when the client goes away; the close listener aborts the upstream at once, even while it is silent.
 */
export function chatEvents(res: Response, chat: ChatStream): StreamableFile {
  res.setHeader('cache-control', 'no-cache');
  // Proxies that buffer (nginx) would hold the events back.
  res.setHeader('x-accel-buffering', 'no');
  res.once('close', () => {
    if (!res.writableFinished) chat.stream.cancel();
  });
  return new StreamableFile(Readable.from(events(chat)), { type: 'text/event-stream; charset=utf-8' });
}

async function* events({ agentId, correlationId, stream }: ChatStream): AsyncGenerator<string> {
  yield event('meta', { agentId, model: stream.model, provider: stream.provider, correlationId });
  try {
    for await (const content of stream.chunks) yield event('delta', { content });
  } catch (error) {
    const failure =
      error instanceof DomainException ? error : new DomainException(ErrorCode.InternalError, 'The stream failed', { cause: error });
    yield event('error', { code: failure.code, message: failure.message, ...(failure.details === undefined ? {} : { details: failure.details }) });
    return;
  }
  yield event('done', { usage: stream.usage() ?? null, attempts: stream.attempts });
}

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
