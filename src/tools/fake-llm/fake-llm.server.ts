import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the fake answers chat completions, per model or as the default. */
export interface FakeBehaviour {
  /** Delay before answering, plus up to `jitterMs` more. */
  latencyMs?: number;
  jitterMs?: number;
  /** Answer with this HTTP status instead of a completion (with an OpenAI-style error body)... */
  status?: number;
  /** ...for this share of requests (0–1, default 1 when `status` is set)... */
  errorRate?: number;
  /** ...or only for the first N requests, then answer normally. */
  failFirst?: number;
  /** Retry-After header (seconds) on error answers. */
  retryAfterSeconds?: number;
  /** Never answer; the connection stays open until the client gives up. */
  hang?: boolean;
  /** Answer 200 with `{ error: { ... } }` and no choices. */
  errorBody?: boolean;
  /** Answer 200 with an empty message. */
  emptyContent?: boolean;
  /** Fixed reply text (default: an echo of the last user message). */
  content?: string;
  /** Citations returned with the answer (search models). */
  citations?: string[];
  /** Streams (`stream: true`): characters per content chunk (default 8)... */
  chunkSize?: number;
  /** ...the pause between chunks (`latencyMs` is the wait before the first)... */
  chunkDelayMs?: number;
  /** ...cut the connection after this many content chunks, without the end of the stream (with a
   * `chunkDelayMs`, the client has read the chunks sent before the cut; without, it may lose them)... */
  cutAfterChunks?: number;
  /** ...or go silent after this many chunks, the connection left open. */
  stallAfterChunks?: number;
}

export interface FakeStats {
  /** Chat completion requests that reached the fake, in total and per model. */
  requests: number;
  byModel: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
  /** Requests whose client closed the connection before the answer. */
  aborted: number;
  /** Authorization headers seen, per key suffix (last 4 characters), to check key selection. */
  byKeySuffix: Record<string, number>;
  /** The x-correlation-id of the latest request. */
  lastCorrelationId: string | null;
  /** Requests that asked for a stream. */
  streams: number;
  /** TCP connections open right now. */
  openSockets: number;
  /** Connections carrying a stream that has not finished: one goes away when its stream ends or its socket closes. */
  streamSockets: number;
}

export interface FakeLlm {
  /** The OpenAI-compatible base URL, e.g. http://127.0.0.1:4010/v1. */
  baseUrl: string;
  port: number;
  setBehaviour(behaviour: FakeBehaviour, model?: string): void;
  reset(): void;
  stats(): FakeStats;
  close(): Promise<void>;
}

const KNOWN_MODELS = ['gpt-4o', 'gpt-4o-mini', 'sonar', 'sonar-pro'];

function emptyStats(): FakeStats {
  return { requests: 0, byModel: {}, inFlight: 0, maxInFlight: 0, aborted: 0, byKeySuffix: {}, lastCorrelationId: null, streams: 0, openSockets: 0, streamSockets: 0 };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function lastUserMessage(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: string; content?: unknown }[]) : [];
  const user = [...messages].reverse().find((m) => m.role === 'user');
  return typeof user?.content === 'string' ? user.content : '';
}

/** OpenAI's streaming wire format: `data: <chunk>` events, then `data: [DONE]`, with the scripted faults. */
async function streamAnswer(res: ServerResponse, model: string, content: string, behaviour: FakeBehaviour, usage?: object): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const id = `chatcmpl-fake-stream-${Date.now()}`;
  const event = (delta: object, finish: string | null = null, extra: object = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  const size = Math.max(1, behaviour.chunkSize ?? 8);
  const pieces = content.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
  res.write(event({ role: 'assistant', content: '' }));
  for (const [i, piece] of pieces.entries()) {
    if (res.destroyed) return;
    if (i > 0 && behaviour.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.chunkDelayMs));
    if (behaviour.stallAfterChunks !== undefined && i >= behaviour.stallAfterChunks) return;
    if (behaviour.cutAfterChunks !== undefined && i >= behaviour.cutAfterChunks) {
      // What was written still goes out; then the connection ends without the stream's end.
      res.socket?.destroySoon();
      return;
    }
    res.write(event({ content: piece }));
  }
  res.write(event({}, 'stop'));
  if (usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}

/**
 * An OpenAI-compatible server with scripted faults, for offline development and for the
 * tests: chat completions, the models list, and an admin API (/__admin/behaviour,
 * /__admin/stats, /__admin/reset) to script latency, errors, 429 + Retry-After, hangs and
 * malformed answers, and to count what reached it.
 */
export async function startFakeLlm(options: { port?: number; host?: string } = {}): Promise<FakeLlm> {
  const behaviours = new Map<string, FakeBehaviour>();
  const served = new Map<FakeBehaviour, number>();
  const openSockets = new Set<Socket>();
  let stats = emptyStats();

  const behaviourFor = (model: string) => behaviours.get(model) ?? behaviours.get('*') ?? {};

  async function chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const model = typeof body.model === 'string' ? body.model : 'unknown';
    stats.requests++;
    stats.byModel[model] = (stats.byModel[model] ?? 0) + 1;
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const suffix = key.slice(-4);
    stats.byKeySuffix[suffix] = (stats.byKeySuffix[suffix] ?? 0) + 1;
    stats.lastCorrelationId = typeof req.headers['x-correlation-id'] === 'string' ? req.headers['x-correlation-id'] : null;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let finished = false;
    res.on('close', () => {
      stats.inFlight--;
      if (!finished) stats.aborted++;
    });
    res.on('finish', () => (finished = true));

    const behaviour = behaviourFor(model);
    const count = (served.get(behaviour) ?? 0) + 1;
    served.set(behaviour, count);
    const delay = (behaviour.latencyMs ?? 0) + Math.random() * (behaviour.jitterMs ?? 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (behaviour.hang) return;

    const failing =
      behaviour.status !== undefined &&
      (behaviour.failFirst !== undefined ? count <= behaviour.failFirst : Math.random() < (behaviour.errorRate ?? 1));
    if (failing) {
      const headers: Record<string, string> =
        behaviour.retryAfterSeconds === undefined ? {} : { 'retry-after': String(behaviour.retryAfterSeconds) };
      send(res, behaviour.status!, { error: { message: `scripted ${behaviour.status}`, type: 'fake_error', code: null } }, headers);
      return;
    }
    if (behaviour.errorBody) {
      send(res, 200, { error: { message: 'The server had an error while processing your request', type: 'server_error' } });
      return;
    }
    const prompt = lastUserMessage(body);
    const content = behaviour.emptyContent ? '' : (behaviour.content ?? `Fake ${model} reply to: ${prompt.slice(0, 200)}`);
    const promptTokens = Math.ceil(JSON.stringify(body.messages ?? []).length / 4);
    const completionTokens = Math.ceil(content.length / 4);
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    if (body.stream === true) {
      stats.streams++;
      if (!res.destroyed) {
        const counted = stats;
        counted.streamSockets++;
        let open = true;
        const closed = () => {
          if (open) counted.streamSockets--;
          open = false;
        };
        res.once('finish', closed);
        res.socket?.once('close', closed);
      }
      return streamAnswer(res, model, content, behaviour, (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage ? usage : undefined);
    }
    send(res, 200, {
      id: `chatcmpl-fake-${stats.requests}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage,
      ...(behaviour.citations ? { citations: behaviour.citations } : {}),
    });
  }

  async function admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'GET' && path === '/__admin/stats') return send(res, 200, { ...stats, openSockets: openSockets.size });
    if (req.method === 'POST' && path === '/__admin/reset') {
      behaviours.clear();
      served.clear();
      stats = { ...emptyStats(), inFlight: stats.inFlight };
      return send(res, 200, { reset: true });
    }
    if (req.method === 'PUT' && path === '/__admin/behaviour') {
      const { model, ...behaviour } = (await readJson(req)) as FakeBehaviour & { model?: string };
      behaviours.set(model ?? '*', behaviour);
      return send(res, 200, { model: model ?? '*', behaviour });
    }
    send(res, 404, { error: { message: `no admin route ${req.method} ${path}` } });
  }

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0].replace(/^\/v1(?=\/)/, '');
    const handle = async () => {
      if (path.startsWith('/__admin/')) return admin(req, res, path);
      if (req.method === 'POST' && path === '/chat/completions') return chat(req, res);
      if (req.method === 'GET' && path === '/models') {
        const ids = [...new Set([...KNOWN_MODELS, ...behaviours.keys()].filter((id) => id !== '*'))];
        return send(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', owned_by: 'fake' })) });
      }
      send(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
    };
    handle().catch((error: Error) => send(res, 400, { error: { message: error.message, type: 'invalid_request_error' } }));
  });
  server.on('connection', (socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    setBehaviour: (behaviour, model) => behaviours.set(model ?? '*', behaviour),
    reset: () => {
      behaviours.clear();
      served.clear();
      stats = { ...emptyStats(), inFlight: stats.inFlight };
    },
    stats: () => ({ ...structuredClone(stats), openSockets: openSockets.size }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of openSockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
