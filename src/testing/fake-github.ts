import { createVerify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  details_url?: string;
  output?: { title?: string; summary?: string };
  /** Every annotation sent, across the create and update requests, in order. */
  annotations: object[];
  /** How many annotations each request carried. */
  annotationBatches: number[];
}

export interface FakeGitHub {
  url: string;
  /** Files served for every pull request. */
  files: object[];
  /** Answers of the compare API by `base...head`. */
  compare: Record<string, { status: 'ahead' | 'behind' | 'diverged' | 'identical'; files: object[] }>;
  /** Repository files by ref (branch, tag or SHA; `''` for the default branch), then path: the contents API. */
  contents: Record<string, Record<string, string>>;
  comments: { id: number; body: string }[];
  reviews: { event: string; body: string; commit_id?: string; comments: Array<{ path: string; line: number; side?: string; body: string }> }[];
  labels: string[];
  checkRuns: FakeCheckRun[];
  statuses: Array<{ sha: string; state: string; context: string; description?: string; target_url?: string }>;
  /** Installation tokens issued to the App (after checking its JWT), by installation. */
  tokens: Array<{ installationId: number; token: string }>;
  /** Requests seen, as "METHOD /path". */
  calls: string[];
  /** The Authorization header of each request, in the order of `calls`. */
  authorizations: Array<string | undefined>;
  /** Answer every write with this status (e.g. 502) when set. */
  failWrites?: number;
  /** Answer matching requests with a status (e.g. 403 on check runs: a permission the App lacks), `times` times or always. */
  refuse: Array<{ method: string; path: RegExp; status: number; times?: number }>;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  /** A GitHub App: installation tokens are issued only for a JWT it signed, and every repository call needs one. */
  app?: { id: number; publicKey: string };
}

async function json(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

/** Whether a bearer JWT is the App's: RS256 signature by its key, `iss` its id, not expired. */
function appJwtValid(authorization: string | undefined, app: { id: number; publicKey: string }): boolean {
  const jwt = /^bearer (.+)$/i.exec(authorization ?? '')?.[1];
  const [header, payload, signature] = jwt?.split('.') ?? [];
  if (!header || !payload || !signature) return false;
  const verified = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(app.publicKey, Buffer.from(signature, 'base64url'));
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: number };
  return verified && String(claims.iss) === String(app.id) && (claims.exp ?? 0) * 1000 > Date.now();
}

/** The slice of GitHub's REST API BSM calls, on 127.0.0.1, recording what it was sent. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  let nextId = 1000;
  const state: Omit<FakeGitHub, 'url' | 'close'> = {
    files: [],
    compare: {},
    contents: {},
    comments: [],
    reviews: [],
    labels: [],
    checkRuns: [],
    statuses: [],
    tokens: [],
    calls: [],
    authorizations: [],
    refuse: [],
  };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const [path, query = ''] = (req.url ?? '').split('?');
    const method = req.method ?? 'GET';
    state.calls.push(`${method} ${path}`);
    state.authorizations.push(req.headers.authorization);
    const refused = state.refuse.find((r) => r.method === method && r.path.test(path) && (r.times === undefined || r.times > 0));
    if (refused) {
      if (refused.times !== undefined) refused.times--;
      return send(res, refused.status, { message: refused.status >= 500 ? 'Server Error' : 'Resource not accessible by integration' });
    }
    const token = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (method === 'POST' && token && options.app) {
      if (!appJwtValid(req.headers.authorization, options.app)) return send(res, 401, { message: 'A JSON web token could not be decoded' });
      const issued = { installationId: Number(token[1]), token: `ghs_fakeinstallation${nextId++}` };
      state.tokens.push(issued);
      return send(res, 201, { token: issued.token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'all' });
    }
    if (options.app && !state.tokens.some((t) => req.headers.authorization === `token ${t.token}`)) return send(res, 401, { message: 'Bad credentials' });
    if (method !== 'GET' && state.failWrites) return send(res, state.failWrites, { message: 'Server Error' });
    if (method === 'GET' && /\/pulls\/\d+\/files$/.test(path)) return send(res, 200, state.files);
    if (method === 'GET' && /\/issues\/\d+\/comments$/.test(path)) return send(res, 200, state.comments);
    const compare = /^\/repos\/[^/]+\/[^/]+\/compare\/(.+)$/.exec(path);
    if (method === 'GET' && compare) {
      const answer = state.compare[decodeURIComponent(compare[1])];
      return answer ? send(res, 200, answer) : send(res, 404, { message: 'Not Found' });
    }
    const content = /^\/repos\/[^/]+\/[^/]+\/contents\/(.+)$/.exec(path);
    if (method === 'GET' && content) {
      const file = decodeURIComponent(content[1]);
      const text = state.contents[new URLSearchParams(query).get('ref') ?? '']?.[file];
      if (text === undefined) return send(res, 404, { message: 'Not Found' });
      return send(res, 200, { type: 'file', path: file, encoding: 'base64', content: Buffer.from(text).toString('base64') });
    }
    if (method === 'POST' && /\/issues\/\d+\/comments$/.test(path)) {
      const comment = { id: nextId++, body: String((await json(req)).body) };
      state.comments.push(comment);
      return send(res, 201, comment);
    }
    const update = /\/issues\/comments\/(\d+)$/.exec(path);
    if (method === 'PATCH' && update) {
      const comment = state.comments.find((c) => c.id === Number(update[1]));
      if (!comment) return send(res, 404, { message: 'Not Found' });
      comment.body = String((await json(req)).body);
      return send(res, 200, comment);
    }
    if (method === 'GET' && /\/pulls\/\d+\/reviews$/.test(path)) {
      const states: Record<string, string> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };
      return send(res, 200, state.reviews.map((r, i) => ({ id: i + 1, body: r.body, commit_id: r.commit_id, state: states[r.event] })));
    }
    if (method === 'POST' && /\/pulls\/\d+\/reviews$/.test(path)) {
      const body = await json(req);
      const comments = (body.comments as FakeGitHub['reviews'][number]['comments']) ?? [];
      state.reviews.push({ event: String(body.event), body: String(body.body), ...(typeof body.commit_id === 'string' ? { commit_id: body.commit_id } : {}), comments });
      return send(res, 200, { id: nextId++ });
    }
    if (method === 'POST' && /\/issues\/\d+\/labels$/.test(path)) {
      state.labels.push(...((await json(req)).labels as string[]));
      return send(res, 200, []);
    }
    const status = /^\/repos\/[^/]+\/[^/]+\/statuses\/([0-9a-f]+)$/.exec(path);
    if (method === 'POST' && status) {
      const body = await json(req);
      state.statuses.push({ sha: status[1], ...(body as { state: string; context: string }) });
      return send(res, 201, { id: nextId++ });
    }
    const listChecks = /^\/repos\/[^/]+\/[^/]+\/commits\/([^/]+)\/check-runs$/.exec(path);
    if (method === 'GET' && listChecks) {
      const name = new URLSearchParams(query).get('check_name');
      const runs = state.checkRuns.filter((r) => r.head_sha === listChecks[1] && (!name || r.name === name));
      return send(res, 200, { total_count: runs.length, check_runs: runs });
    }
    const checkRun = (body: Record<string, unknown>, run: FakeCheckRun) => {
      const { output, ...fields } = body as { output?: { title?: string; summary?: string; annotations?: object[] } };
      Object.assign(run, fields);
      if (output) {
        run.output = { title: output.title, summary: output.summary };
        run.annotations.push(...(output.annotations ?? []));
        run.annotationBatches.push(output.annotations?.length ?? 0);
      }
      return run;
    };
    if (method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/check-runs$/.test(path)) {
      const run = checkRun(await json(req), { id: nextId++, name: '', head_sha: '', status: 'queued', annotations: [], annotationBatches: [] });
      state.checkRuns.push(run);
      return send(res, 201, run);
    }
    const patchCheck = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(path);
    if (method === 'PATCH' && patchCheck) {
      const run = state.checkRuns.find((r) => r.id === Number(patchCheck[1]));
      if (!run) return send(res, 404, { message: 'Not Found' });
      return send(res, 200, checkRun(await json(req), run));
    }
    send(res, 404, { message: 'Not Found' });
  };
  const server = createServer((req, res) => void route(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake = state as FakeGitHub;
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}
