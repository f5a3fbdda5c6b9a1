'use strict';
// The streaming baseline: a bare NestJS app with one route that does what any SSE gateway must — read the
// upstream's stream with the official SDK and pass each piece of content on as an event, with backpressure —
// and nothing else (no middleware, guards, validation, router, breaker or bulkhead).
// UPSTREAM_BASE_URL: the OpenAI-compatible server to stream from.
require('reflect-metadata');
const { Readable } = require('node:stream');
const { Controller, HttpCode, Module, Post, Req, StreamableFile } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const OpenAI = require('openai').default;

const client = new OpenAI({ apiKey: 'sk-bench-bare-0123456789abcdef', baseURL: process.env.UPSTREAM_BASE_URL, maxRetries: 0 });

async function* events(body) {
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: body.message }], stream: true });
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta?.content;
    if (content) yield `event: delta\ndata: ${JSON.stringify({ content })}\n\n`;
  }
  yield 'event: done\ndata: {}\n\n';
}

class BareSseController {
  stream(req) {
    return new StreamableFile(Readable.from(events(req.body)), { type: 'text/event-stream; charset=utf-8' });
  }
}
const descriptor = Object.getOwnPropertyDescriptor(BareSseController.prototype, 'stream');
Reflect.decorate([Post('api/chat/direct'), HttpCode(200)], BareSseController.prototype, 'stream', descriptor);
Req()(BareSseController.prototype, 'stream', 0);
Reflect.decorate([Controller()], BareSseController);

class BareSseModule {}
Reflect.decorate([Module({ controllers: [BareSseController] })], BareSseModule);

(async () => {
  const app = await NestFactory.create(BareSseModule, { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
})();
