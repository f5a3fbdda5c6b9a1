import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { webhookHeaders } from '../src/testing/webhooks';
import { startFakeLlm, type FakeLlm } from '../src/tools/fake-llm/fake-llm.server';
import { TEST_OPENAI_KEY, waitFor } from './support/llm-app';
import { copyOfData } from './support/data-dir';
import { APPROVE_JSON, pullRequest, REFUSE_REPORTS } from './support/pull-requests';
import { spawnApp, type SpawnedApp } from './support/spawn-app';
import { ADMIN_TOKEN } from './support/test-app';
import { createStateBackend, REDIS_URL, USING_SERVICES, type StateBackend } from './support/test-backend';

// Several processes need a shared PostgreSQL (the embedded store belongs to one process) and Redis.
const withServices = USING_SERVICES ? describe : describe.skip;
const SECRET = 'instances-webhook-secret-0123456789';

interface JobBody {
  status: string;
  attempts: number;
  decision: { action: string } | null;
  results: { kind: string }[];
}

const url = (app: SpawnedApp, path: string) => `http://127.0.0.1:${app.port}${path}`;
const getJob = async (app: SpawnedApp, id: string) => (await (await fetch(url(app, `/api/orchestrator/jobs/${id}`))).json()) as JobBody;
const submit = async (app: SpawnedApp, pr: number) => {
  const res = await fetch(url(app, '/api/orchestrator/run'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event: 'pull_request.opened', payload: pullRequest({ number: pr }) }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { jobId: string }).jobId;
};
/** The jobs a process logged as started (its own worker took them). */
const startedBy = (app: SpawnedApp, ids: string[]) => ids.filter((id) => app.stdout().includes(`"jobId":"${id}","event":"pull_request.opened"`) && /job started/.test(app.stdout()));
const stop = async (app: SpawnedApp) => {
  if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
  await app.exited;
};

withServices('BSM as several processes on one PostgreSQL and Redis', () => {
  let backend: StateBackend;
  let fake: FakeLlm;
  const apps: SpawnedApp[] = [];
  const start = async (env: Record<string, string> = {}, on = backend) => {
    const app = await spawnApp({
      ...on.env,
      REDIS_URL,
      GITHUB_WEBHOOK_SECRET: SECRET,
      ADMIN_TOKEN,
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_API_KEY: TEST_OPENAI_KEY,
      RATE_LIMIT_MAX: '100000',
      DATA_WATCH: 'false',
      ...env,
    });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    backend = await createStateBackend();
    fake = await startFakeLlm();
    fake.setBehaviour({ content: APPROVE_JSON });
  });
  afterAll(async () => {
    await Promise.all(apps.map(stop));
    await fake.close();
    await backend.dispose();
  });

  let a: SpawnedApp;
  let b: SpawnedApp;
  beforeEach(() => fake.setBehaviour({ content: APPROVE_JSON }));

  it('two processes boot at once on an empty database', async () => {
    [a, b] = await Promise.all([start(), start()]);
    for (const app of [a, b]) expect((await fetch(url(app, '/health/ready'))).status).toBe(200);
  });

  it('runs each delivery exactly once, whichever process receives it and however often', async () => {
    const before = fake.stats().requests;
    const deliveries = Array.from({ length: 20 }, (_, i) => ({ id: randomUUID(), body: JSON.stringify(pullRequest({ number: 100 + i })) }));
    // Every delivery reaches both processes at once (GitHub retrying through another instance).
    const answers = await Promise.all(
      deliveries.flatMap(({ id, body }) =>
        [a, b].map(async (app) => {
          const res = await fetch(url(app, '/api/webhooks/github'), { method: 'POST', headers: webhookHeaders('pull_request', body, SECRET, id), body });
          return { id, status: res.status, body: (await res.json()) as { status: string; jobId: string } };
        }),
      ),
    );
    for (const { id } of deliveries) {
      const mine = answers.filter((answer) => answer.id === id);
      expect(mine.map((answer) => answer.status).sort()).toEqual([200, 202]);
      expect(mine.map((answer) => answer.body.status).sort()).toEqual(['duplicate', 'queued']);
      expect(mine.every((answer) => answer.body.jobId === id)).toBe(true);
    }
    const jobs = await Promise.all(deliveries.map(({ id }) => waitFor(() => getJob(b, id), (job) => job.status === 'completed', 30_000)));
    expect(jobs.every((job) => job.attempts === 1 && job.decision?.action === 'approve')).toBe(true);
    // Each report is served by either process, whichever ran the job.
    for (const { id } of deliveries.slice(0, 4)) {
      for (const app of [a, b]) expect(((await (await fetch(url(app, `/api/reports/${id}`))).json()) as { json: { jobId: string } }).json.jobId).toBe(id);
    }
    const llmAgents = jobs[0].results.filter((result) => result.kind === 'llm').length;
    expect(llmAgents).toBeGreaterThan(0);
    expect(fake.stats().requests - before).toBe(deliveries.length * llmAgents);
  });

  it('finds through one process, within 2 s, a review remembered through the other', async () => {
    const remembered = await fetch(url(a, '/api/vector/reviews'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'const session = jwt.sign(payload, process.env.JWT_SECRET, { expiresIn: "7d" })', review: 'long-lived session token' }),
    });
    expect(remembered.status).toBe(201);
    const stored = Date.now();
    const search = async () => {
      const res = await fetch(url(b, '/api/vector/reviews/search'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'jwt.sign(payload, secret, { expiresIn })' }) });
      return ((await res.json()) as { results: { review: string }[] }).results.map((r) => r.review);
    };
    await waitFor(search, (reviews) => reviews.includes('long-lived session token'), 2_000);
    expect(Date.now() - stored).toBeLessThan(2_000);
  });

  it('an agent started through one process runs through the other, which stops it; both then agree', async () => {
    const post = (app: SpawnedApp, path: string) => fetch(url(app, path), { method: 'POST' });
    const status = async (app: SpawnedApp) => ((await (await fetch(url(app, '/api/agents/legal-agent/status'))).json()) as { status: string }).status;
    expect((await post(a, '/api/agents/start/legal-agent')).status).toBe(200);
    expect(await status(b)).toBe('running');
    expect((await post(b, '/api/agents/start/legal-agent')).status).toBe(409);
    expect((await post(b, '/api/agents/stop/legal-agent')).status).toBe(200);
    expect(await status(a)).toBe('stopped');
    expect((await post(a, '/api/agents/stop/legal-agent')).status).toBe(409);
  });

  it('an admin breaker reset through one process closes the breaker on the other within 2 s', async () => {
    const ask = (app: SpawnedApp) => fetch(url(app, '/api/chat/direct'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'hello' }) });
    const stateOn = async (app: SpawnedApp) =>
      ((await (await fetch(url(app, '/api/health/circuit-breakers'))).json()) as { breakers: { name: string; state: string }[] }).breakers.find((x) => x.name === 'openai')?.state;
    expect((await ask(a)).status).toBe(200);
    fake.setBehaviour({ status: 500 });
    await waitFor(async () => (await ask(b), stateOn(b)), (state) => state === 'open', 15_000);
    expect(await stateOn(a)).toBe('closed');
    const reset = await fetch(url(a, '/api/admin/circuit-breakers/openai/reset'), { method: 'POST', headers: { 'x-admin-token': ADMIN_TOKEN } });
    expect(reset.status).toBe(200);
    const at = Date.now();
    await waitFor(() => stateOn(b), (state) => state === 'closed', 2_000);
    expect(Date.now() - at).toBeLessThan(2_000);
  });

  it('serves through one process, within 2 s, a cache another cleared, though its own data files did not change', async () => {
    const [dataF, dataG] = await Promise.all([copyOfData(), copyOfData()]);
    const namespace = `cache-${randomUUID().slice(0, 8)}`;
    const env = (dir: string) => ({ DATA_DIR: dir, REGISTRY_PATH: join(dir, 'registry.yaml'), CACHE_NAMESPACE: namespace });
    const [f, g] = await Promise.all([start(env(dataF.dir)), start(env(dataG.dir))]);
    try {
      const nameOn = async (app: SpawnedApp) =>
        ((await (await fetch(url(app, '/api/agents'))).json()) as { agents: { id: string; name: string }[] }).agents.find((agent) => agent.id === 'code-review-agent')?.name;
      expect(await nameOn(g)).toBe('Code Review Agent');
      // Only f's copy of the data changes, as in a deployment with one data copy per container.
      const file = join(dataF.dir, 'agents/code-review-agent.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace('name: Code Review Agent', 'name: Code Review Agent (edited)'));
      const cleared = await fetch(url(f, '/api/cache/clear'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN_TOKEN },
        body: JSON.stringify({ cache: 'all' }),
      });
      expect(cleared.status).toBe(200);
      const at = Date.now();
      await waitFor(() => nameOn(g), (name) => name === 'Code Review Agent (edited)', 2_000);
      expect(Date.now() - at).toBeLessThan(2_000);
      const detailed = (await (await fetch(url(g, '/api/health/detailed'))).json()) as { checks: Record<string, { status: string }> };
      expect(detailed.checks.redis.status).toBe('pass');
    } finally {
      // Not left to take the jobs of the tests that follow.
      await Promise.all([stop(f), stop(g)]);
      await Promise.all([dataF.dispose(), dataG.dispose()]);
    }
  });

  it("finishes a SIGKILLed process's running jobs on the other within 15 s of its death, with default settings", async () => {
    // Long enough to be killed mid-review, short enough that the other process's own reviews end soon.
    fake.setBehaviour({ content: APPROVE_JSON, latencyMs: 4_000 });
    const ids = await Promise.all([1, 2, 3, 4].map((n) => submit(a, 200 + n)));
    const onA = await waitFor(async () => startedBy(a, ids), (started) => started.length > 0, 10_000);
    a.child.kill('SIGKILL');
    await a.exited;
    const died = Date.now();
    fake.setBehaviour({ content: APPROVE_JSON });
    const finished = await Promise.all(onA.map((id) => waitFor(() => getJob(b, id), (job) => job.status === 'completed', 15_000)));
    expect(Date.now() - died).toBeLessThan(15_000);
    expect(finished.every((job) => job.attempts === 2 && job.decision?.action === 'approve')).toBe(true);
    await Promise.all(ids.map((id) => waitFor(() => getJob(b, id), (job) => job.status === 'completed', 30_000)));
  });

  it('SIGTERM mid-review puts the review back in the queue with no outcome; another process completes it', async () => {
    const c = await start({ SHUTDOWN_TIMEOUT_MS: '300' });
    fake.setBehaviour({ content: APPROVE_JSON, latencyMs: 4_000 });
    // More jobs than the other process has workers: this one runs some.
    const ids = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => submit(c, 300 + n)));
    const onC = await waitFor(async () => startedBy(c, ids), (started) => started.length > 0, 10_000);
    c.child.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    expect(c.stdout()).toContain('unfinished jobs back in the queue');
    for (const id of onC) expect((await getJob(b, id)).status).toBe('queued');
    fake.setBehaviour({ content: APPROVE_JSON });
    const finished = await Promise.all(onC.map((id) => waitFor(() => getJob(b, id), (job) => job.status === 'completed', 20_000)));
    // Never the degraded outcome of a review cut short (its LLM agents failing as the process stopped).
    expect(finished.every((job) => job.decision?.action === 'approve' && job.attempts === 2)).toBe(true);
    await Promise.all(ids.map((id) => waitFor(() => getJob(b, id), (job) => job.status === 'completed', 30_000)));
  });

  it('SIGTERM mid-review lets the review finish within SHUTDOWN_TIMEOUT_MS, its LLM agents still answering', async () => {
    const c = await start();
    fake.setBehaviour({ content: APPROVE_JSON, latencyMs: 2_000 });
    const ids = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => submit(c, 500 + n)));
    const onC = await waitFor(async () => startedBy(c, ids), (started) => started.length > 0, 10_000);
    c.child.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    for (const id of onC) expect(await getJob(b, id)).toMatchObject({ status: 'completed', attempts: 1, decision: { action: 'approve' } });
    await Promise.all(ids.map((id) => waitFor(() => getJob(b, id), (job) => job.status === 'completed', 30_000)));
  });

  describe('with a limit and a failing run', () => {
    let other: StateBackend;
    beforeAll(async () => {
      other = await createStateBackend();
    });
    afterAll(() => other.dispose());

    it('shares the rate limit, and parks a job that always throws as a dead letter either process lists', async () => {
      const env = { RATE_LIMIT_MAX: '12', RATE_LIMIT_TTL_MS: '5000', CACHE_NAMESPACE: `inst-${randomUUID().slice(0, 8)}`, ORCHESTRATOR_RETRY_LIMIT: '1' };
      const [d, e] = await Promise.all([start(env, other), start(env, other)]);
      // Storage refuses report writes: every run throws as it keeps its report.
      const client = new Client({ connectionString: other.env.DATABASE_URL, options: `-c search_path=${other.env.DATABASE_SCHEMA}` });
      await client.connect();
      for (const statement of REFUSE_REPORTS) await client.query(statement);
      await client.end();
      // Windows are aligned to the clock: start at the beginning of one.
      const nextWindow = () => new Promise((r) => setTimeout(r, 5_000 - (Date.now() % 5_000) + 50));
      await nextWindow();
      const statuses = [];
      for (let i = 0; i < 10; i++) for (const app of [d, e]) statuses.push((await fetch(url(app, '/api/agents'))).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(12);
      expect(statuses.filter((s) => s === 429)).toHaveLength(8);

      await nextWindow();
      const id = await submit(d, 400);
      const failed = await waitFor(() => getJob(e, id), (job) => job.status === 'failed', 20_000);
      expect(failed).toMatchObject({ attempts: 2, decision: null });
      for (const app of [d, e]) {
        const page = (await (await fetch(url(app, '/api/orchestrator/dead-letters'), { headers: { 'x-admin-token': ADMIN_TOKEN } })).json()) as {
          deadLetters: { jobId: string; error: string }[];
        };
        expect(page.deadLetters).toEqual([expect.objectContaining({ jobId: id, error: expect.stringContaining('reports are refused by the test') })]);
      }
    });
  });
});
