import { startLlmTestApp, waitFor, type LlmTestApp } from './support/llm-app';
import { ADMIN_TOKEN } from './support/test-app';

interface ServerEvent {
  event: string;
  data: any;
}

/** Reads a server-sent-event response to its end (or until `stopAfter` says so, then aborts the request). */
async function events(
  url: string,
  body: object,
  { stopAfter, headers = {} }: { stopAfter?: (seen: ServerEvent[]) => boolean; headers?: Record<string, string> } = {},
): Promise<{ status: number; type: string | null; events: ServerEvent[]; json?: any }> {
  const abort = new AbortController();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: abort.signal });
  const type = res.headers.get('content-type');
  if (!type?.startsWith('text/event-stream')) return { status: res.status, type, events: [], json: await res.json() };
  const seen: ServerEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(bytes, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(frame)?.[1] ?? 'message';
        seen.push({ event, data: JSON.parse(/^data: (.*)$/m.exec(frame)![1]) });
      }
      if (stopAfter?.(seen)) {
        abort.abort();
        break;
      }
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  }
  return { status: res.status, type, events: seen };
}

const text = (seen: ServerEvent[]) => seen.filter((e) => e.event === 'delta').map((e) => e.data.content).join('');
const names = (seen: ServerEvent[]) => [...new Set(seen.map((e) => e.event))];

describe('streaming chat (server-sent events)', () => {
  let t: LlmTestApp;
  const ANSWER = 'Roll back by redeploying the previous image tag, then verify the health checks.';

  beforeAll(async () => {
    t = await startLlmTestApp({
      env: { FALLBACK_ENABLED: 'true', BREAKER_VOLUME_THRESHOLD: '50', LLM_STREAM_FIRST_TOKEN_TIMEOUT_MS: '400', LLM_STREAM_IDLE_TIMEOUT_MS: '400', LLM_DEADLINE_MS: '5000' },
    });
  });
  afterAll(() => t?.dispose());
  beforeEach(() => {
    t.openai.reset();
    return t.http.post('/api/admin/circuit-breakers/openai/reset').set('x-admin-token', ADMIN_TOKEN);
  });

  it('delivers every chunk as a delta, then done with usage and attempts', async () => {
    t.openai.setBehaviour({ content: ANSWER, chunkSize: 7, chunkDelayMs: 5 });
    const res = await events(`${t.baseUrl}/api/chat/direct`, { message: 'How do we roll back?', stream: true });
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/event-stream; charset=utf-8');
    expect(res.events[0]).toEqual({ event: 'meta', data: { agentId: null, model: 'gpt-4o-mini', provider: 'openai', correlationId: expect.any(String) } });
    expect(res.events.filter((e) => e.event === 'delta').length).toBe(Math.ceil(ANSWER.length / 7));
    expect(text(res.events)).toBe(ANSWER);
    expect(res.events.at(-1)).toEqual({
      event: 'done',
      data: { usage: { promptTokens: expect.any(Number), completionTokens: Math.ceil(ANSWER.length / 4), totalTokens: expect.any(Number) }, attempts: [{ provider: 'openai', model: 'gpt-4o-mini', outcome: 'success' }] },
    });
    expect(t.openai.stats().streams).toBe(1);
  });

  it('streams for Accept: text/event-stream, and for an agent on /api/chat', async () => {
    t.openai.setBehaviour({ content: ANSWER });
    const res = await events(`${t.baseUrl}/api/chat`, { agentId: 'chat-assistant', message: 'hello' }, { headers: { accept: 'text/event-stream' } });
    expect(res.events[0].data).toMatchObject({ agentId: 'chat-assistant', provider: 'openai' });
    expect(text(res.events)).toBe(ANSWER);
    expect(names(res.events)).toEqual(['meta', 'delta', 'done']);
  });

  it('falls back before the first chunk without the client seeing the failure', async () => {
    t.openai.setBehaviour({ status: 500 }, 'gpt-4o-mini');
    t.openai.setBehaviour({ content: ANSWER }, 'gpt-4o');
    const res = await events(`${t.baseUrl}/api/chat/direct`, { message: 'hello', stream: true });
    expect(names(res.events)).toEqual(['meta', 'delta', 'done']);
    expect(res.events[0].data.model).toBe('gpt-4o');
    expect(text(res.events)).toBe(ANSWER);
    expect(res.events.at(-1)!.data.attempts).toEqual([
      { provider: 'openai', model: 'gpt-4o-mini', outcome: 'UPSTREAM_ERROR' },
      { provider: 'openai', model: 'gpt-4o', outcome: 'success' },
    ]);
  });

  it('ends a stream cut after 3 chunks with STREAM_INTERRUPTED and no done', async () => {
    t.openai.setBehaviour({ content: ANSWER, chunkSize: 10, chunkDelayMs: 20, cutAfterChunks: 3 });
    const failures = async () =>
      (await t.http.get('/api/health/circuit-breakers')).body.breakers.find((b: { name: string }) => b.name === 'openai').stats.failures as number;
    const before = await failures();
    const res = await events(`${t.baseUrl}/api/chat/direct`, { message: 'hello', stream: true });
    // The breaker counted the stream that broke after its first content.
    expect(await failures()).toBe(before + 1);
    expect(res.json).toBeUndefined();
    expect(names(res.events)).toEqual(['meta', 'delta', 'error']);
    expect(text(res.events)).toBe(ANSWER.slice(0, 30));
    expect(res.events.at(-1)!.data).toMatchObject({ code: 'STREAM_INTERRUPTED', details: { delivered: 30, provider: 'openai', model: 'gpt-4o-mini' } });
    expect(res.events.at(-1)!.data.message).toContain('after 30 characters');
  });

  it('cuts a stream that goes silent at the idle timeout, and holds the bulkhead slot until it ends', async () => {
    t.openai.setBehaviour({ content: ANSWER, chunkSize: 10, stallAfterChunks: 2 });
    const pending = events(`${t.baseUrl}/api/chat/direct`, { message: 'hello', stream: true });
    const busy = await waitFor(
      async () => (await t.http.get('/api/health/circuit-breakers')).body.bulkheads.find((b: { name: string }) => b.name === 'openai'),
      (b) => b.inFlight === 1,
    );
    expect(busy.inFlight).toBe(1);
    const res = await pending;
    expect(res.events.at(-1)!.data).toMatchObject({ code: 'STREAM_INTERRUPTED', details: { delivered: 20, cause: { code: 'UPSTREAM_TIMEOUT' } } });
    expect(names(res.events)).not.toContain('done');
    const after = (await t.http.get('/api/health/circuit-breakers')).body.bulkheads.find((b: { name: string }) => b.name === 'openai');
    expect(after.inFlight).toBe(0);
  });

  it('times out a model that sends no content before the first-token timeout, and falls back: JSON errors when all do', async () => {
    t.openai.setBehaviour({ content: ANSWER, latencyMs: 1500 });
    const started = Date.now();
    const res = await events(`${t.baseUrl}/api/chat/direct`, { message: 'hello', stream: true });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe('ALL_MODELS_FAILED');
    expect(res.json.error.details.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['UPSTREAM_TIMEOUT', 'UPSTREAM_TIMEOUT']);
    await waitFor(async () => t.openai.stats(), (s) => s.inFlight === 0 && s.aborted === 2, 3000);
  });

  it('aborts the upstream request, closing its socket, within a second of the client going away', async () => {
    t.openai.setBehaviour({ content: ANSWER, chunkSize: 5, stallAfterChunks: 1 });
    let streamSocketsWhileReading = 0;
    const res = await events(
      `${t.baseUrl}/api/chat/direct`,
      { message: 'hello', stream: true },
      {
        stopAfter: (seen) => {
          streamSocketsWhileReading = t.openai.stats().streamSockets;
          return seen.some((e) => e.event === 'delta');
        },
      },
    );
    expect(text(res.events)).toBe(ANSWER.slice(0, 5));
    expect(streamSocketsWhileReading).toBe(1);
    const stats = await waitFor(async () => t.openai.stats(), (s) => s.streamSockets === 0 && s.inFlight === 0, 1000);
    expect(stats).toMatchObject({ streams: 1, aborted: 1 });
    const bulkhead = await waitFor(
      async () => (await t.http.get('/api/health/circuit-breakers')).body.bulkheads.find((b: { name: string }) => b.name === 'openai'),
      (b) => b.inFlight === 0,
      1000,
    );
    expect(bulkhead.inFlight).toBe(0);
  });

  it('keeps JSON answers for errors before streaming: validation, and a provider that is down', async () => {
    const invalid = await t.http.post('/api/chat/direct').send({ message: 'hello', stream: 'yes' }).expect(400);
    expect(invalid.body.error.message).toContain('stream must be true or false');
    t.openai.setBehaviour({ status: 500 });
    for (let i = 0; i < 60 && (await t.http.post('/api/chat/direct').send({ message: 'hello' })).status !== 503; i++);
    const res = await events(`${t.baseUrl}/api/chat/direct`, { message: 'hello', stream: true });
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe('UPSTREAM_CIRCUIT_OPEN');
  });
});
