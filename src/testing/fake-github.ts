import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGitHub {
  url: string;
  /** Files served for every pull request. */
  files: object[];
  /** Repository files by ref (branch, tag or SHA; `''` for the default branch), then path: the contents API. */
  contents: Record<string, Record<string, string>>;
  comments: { id: number; body: string }[];
  reviews: { event: string; body: string }[];
  labels: string[];
  /** Requests seen, as "METHOD /path". */
  calls: string[];
  /** Answer every write with this status (e.g. 502) when set. */
  failWrites?: number;
  close(): Promise<void>;
}

async function json(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

/** The slice of GitHub's REST API BSM calls, on 127.0.0.1, recording what it was sent. */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  let nextId = 1000;
  const state: Omit<FakeGitHub, 'url' | 'close'> = { files: [], contents: {}, comments: [], reviews: [], labels: [], calls: [] };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    void (async () => {
      const [path, query = ''] = (req.url ?? '').split('?');
      state.calls.push(`${req.method} ${path}`);
      if (req.method !== 'GET' && state.failWrites) return send(res, state.failWrites, { message: 'Server Error' });
      if (req.method === 'GET' && /\/pulls\/\d+\/files$/.test(path)) return send(res, 200, state.files);
      if (req.method === 'GET' && /\/issues\/\d+\/comments$/.test(path)) return send(res, 200, state.comments);
      const content = /^\/repos\/[^/]+\/[^/]+\/contents\/(.+)$/.exec(path);
      if (req.method === 'GET' && content) {
        const file = decodeURIComponent(content[1]);
        const text = state.contents[new URLSearchParams(query).get('ref') ?? '']?.[file];
        if (text === undefined) return send(res, 404, { message: 'Not Found' });
        return send(res, 200, { type: 'file', path: file, encoding: 'base64', content: Buffer.from(text).toString('base64') });
      }
      if (req.method === 'POST' && /\/issues\/\d+\/comments$/.test(path)) {
        const comment = { id: nextId++, body: String((await json(req)).body) };
        state.comments.push(comment);
        return send(res, 201, comment);
      }
      const update = /\/issues\/comments\/(\d+)$/.exec(path);
      if (req.method === 'PATCH' && update) {
        const comment = state.comments.find((c) => c.id === Number(update[1]));
        if (!comment) return send(res, 404, { message: 'Not Found' });
        comment.body = String((await json(req)).body);
        return send(res, 200, comment);
      }
      if (req.method === 'POST' && /\/pulls\/\d+\/reviews$/.test(path)) {
        const body = await json(req);
        state.reviews.push({ event: String(body.event), body: String(body.body) });
        return send(res, 200, { id: nextId++ });
      }
      if (req.method === 'POST' && /\/issues\/\d+\/labels$/.test(path)) {
        state.labels.push(...((await json(req)).labels as string[]));
        return send(res, 200, []);
      }
      send(res, 404, { message: 'Not Found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake = state as FakeGitHub;
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}
