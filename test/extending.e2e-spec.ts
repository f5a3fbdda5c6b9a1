import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DiskSpaceHealthIndicator, DiskSpaceHealthModule } from '../examples/health/disk-space.health';
import { TodoAnalyzerModule } from '../examples/analyzers/todo.analyzer';
import { AcmeCodeAnalyzerModule } from '../examples/code-rules/acme-code.analyzer';
import { OllamaModule } from '../examples/llm/ollama.provider';
import { NotesModule } from '../examples/notes/notes.module';
import { BootError } from '../src/infra/lifecycle/boot-error';
import { startFakeLlm } from '../src/tools/fake-llm/fake-llm.server';
import { addExampleAgent, copyOfData } from './support/data-dir';
import { startLlmTestApp } from './support/llm-app';
import { ADMIN_TOKEN, REPO_ROOT, startTestApp, type TestApp } from './support/test-app';
import { createStateBackend } from './support/test-backend';

/** Each fenced block in docs/extending.md preceded by <!-- example: path --> must equal that file. */
async function documentedExamples(): Promise<Array<{ path: string; code: string }>> {
  const doc = await readFile(resolve(REPO_ROOT, 'docs/extending.md'), 'utf8');
  return [...doc.matchAll(/<!-- example: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)].map((m) => ({ path: m[1], code: m[2] }));
}

describe('docs/extending.md', () => {
  it('shows every example exactly as the tested file', async () => {
    const examples = await documentedExamples();
    expect(examples.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        'examples/health/disk-space.health.ts',
        'examples/agents/dependency-review-agent.yaml',
        'examples/agents/dependency-review-agent.registry.yaml',
        'examples/llm/ollama.provider.ts',
        'examples/llm/models.yaml',
        'examples/analyzers/todo.analyzer.ts',
        'examples/analyzers/todo-agent.yaml',
        'examples/notes/notes.module.ts',
        'examples/notes/notes.schema.ts',
        'examples/secret-rules/acme-rules.yaml',
        'examples/code-rules/acme-code.analyzer.ts',
      ]),
    );
    for (const example of examples) {
      expect([example.path, example.code]).toEqual([example.path, await readFile(resolve(REPO_ROOT, example.path), 'utf8')]);
    }
  });
});

describe('example: a readiness indicator', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ modules: [DiskSpaceHealthModule] });
  });
  afterAll(() => t?.dispose());
  afterEach(() => {
    DiskSpaceHealthIndicator.minFreeBytes = 256 * 1024 * 1024;
  });

  it('is discovered and reported by /health/ready', async () => {
    DiskSpaceHealthIndicator.minFreeBytes = 1;
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body.info.disk.status).toBe('up');
    expect(res.body.info.disk.freeBytes).toBeGreaterThan(0);
    expect(res.body.info.storage.status).toBe('up');
    const detailed = await t.http.get('/api/health/detailed').expect(200);
    expect(detailed.body.checks.disk).toMatchObject({ status: 'pass', freeBytes: expect.any(Number) });
  });

  it('takes readiness down with its details when it fails', async () => {
    DiskSpaceHealthIndicator.minFreeBytes = Number.MAX_SAFE_INTEGER;
    const res = await t.http.get('/health/ready').expect(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.error.message).toContain('disk');
    expect(res.body.error.details.error.disk.status).toBe('down');
    const detailed = await t.http.get('/api/health/detailed').expect(503);
    expect(detailed.body).toMatchObject({ status: 'unhealthy', checks: { disk: { status: 'fail' } } });
    await t.http.get('/health/live').expect(200);
  });
});

describe('example: adding an agent', () => {
  it('is loaded, governed by its registry entry, and filtered by context', async () => {
    const data = await copyOfData();
    await addExampleAgent(data.dir, 'examples/agents/dependency-review-agent.yaml', 'examples/agents/dependency-review-agent.registry.yaml');
    const t = await startTestApp({ env: { DATA_DIR: data.dir, REGISTRY_PATH: join(data.dir, 'registry.yaml'), DATA_WATCH: 'false' } });
    try {
      const agent = (await t.http.get('/api/agents/dependency-review-agent').expect(200)).body;
      expect(agent).toMatchObject({ name: 'Dependency Review Agent', kind: 'llm', modelName: 'gpt-4o-mini' });
      expect(agent.governance).toMatchObject({ source: 'registry', category: 'audit', risk: { level: 'low' } });
      const github = (await t.http.get('/api/agents?mode=github').expect(200)).body.agents.map((a: { id: string }) => a.id);
      expect(github).toContain('dependency-review-agent');
      const chat = (await t.http.get('/api/agents?mode=chat').expect(200)).body.agents.map((a: { id: string }) => a.id);
      expect(chat).not.toContain('dependency-review-agent');
    } finally {
      await t.dispose();
      await data.dispose();
    }
  });
});

describe('example: adding an LLM provider', () => {
  it('is discovered, routed to by models.yaml, resilient on its own, and falls back to OpenAI', async () => {
    const ollama = await startFakeLlm();
    const t = await startLlmTestApp({
      modules: [OllamaModule.forRoot({ baseUrl: ollama.baseUrl })],
      env: { MODELS_PATH: resolve(REPO_ROOT, 'examples/llm/models.yaml'), FALLBACK_ENABLED: 'true' },
    });
    try {
      const res = await t.http.post('/api/chat/direct').send({ message: 'hello' }).expect(200);
      expect(res.body).toMatchObject({ provider: 'ollama', model: 'llama3.2' });
      expect(ollama.stats().byModel).toEqual({ 'llama3.2': 1 });
      const status = await t.http.get('/api/chat/key-status').expect(200);
      expect(status.body.providers).toContainEqual(expect.objectContaining({ provider: 'ollama', configured: true, breaker: 'closed' }));
      const overview = await t.http.get('/api/health/circuit-breakers').expect(200);
      expect(overview.body.bulkheads).toContainEqual(expect.objectContaining({ name: 'ollama', maxConcurrent: 2, maxQueue: 20 }));

      ollama.setBehaviour({ status: 503 });
      const fallback = await t.http.post('/api/chat/direct').send({ message: 'hello' }).expect(200);
      expect(fallback.body).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
      expect(fallback.body.attempts[0]).toEqual({ provider: 'ollama', model: 'llama3.2', outcome: 'UPSTREAM_ERROR' });
    } finally {
      await t.dispose();
      await ollama.close();
    }
  });
});

type Job = { status: string; results: { agentId: string; findings: object[] }[]; decision: { action: string } };

async function finishedJob(t: TestApp, id: string): Promise<Job> {
  let job: Job | undefined;
  for (let i = 0; i < 200 && job?.status !== 'completed'; i++) {
    job = (await t.http.get(`/api/orchestrator/jobs/${id}`)).body;
    if (job?.status !== 'completed') await new Promise((r) => setTimeout(r, 50));
  }
  return job!;
}

describe('example: adding an analyzer', () => {
  it('is registered by its module, runs for the agent that names it, and counts in the decision', async () => {
    const data = await copyOfData();
    await addExampleAgent(data.dir, 'examples/analyzers/todo-agent.yaml', 'examples/analyzers/todo-agent.registry.yaml');
    const t = await startTestApp({
      modules: [TodoAnalyzerModule],
      env: { DATA_DIR: data.dir, REGISTRY_PATH: join(data.dir, 'registry.yaml'), DATA_WATCH: 'false', REPORTS_DIR: join(data.dir, 'reports') },
    });
    try {
      await t.http
        .put('/api/orchestrator/config/manual.orchestrator_run')
        .set('x-admin-token', ADMIN_TOKEN)
        .send({ agents: ['todo-agent', 'security-agent'], execution: 'parallel' })
        .expect(200);
      const files = [{ filename: 'src/a.ts', patch: '@@ -0,0 +1,2 @@\n+export const a = 1;\n+// FIXME: handle the empty cart' }];
      const id = (await t.http.post('/api/orchestrator/run').send({ event: 'manual.orchestrator_run', payload: { files } }).expect(202)).body.jobId;
      const job = await finishedJob(t, id);
      expect(job.results.find((r) => r.agentId === 'todo-agent')!.findings).toEqual([
        { severity: 'medium', file: 'src/a.ts', line: 2, rule: 'fixme', message: 'FIXME left in the change', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) },
      ]);
      expect(job.decision.action).toBe('request_changes');
    } finally {
      await t.dispose();
      await data.dispose();
    }
  });
});

describe('example: adding a secret rule', () => {
  it('finds the deployment\'s own token format with the built-in rules, masked, and honours its allow list', async () => {
    const data = await copyOfData();
    const t = await startTestApp({
      env: { SECRET_RULES_PATH: resolve(REPO_ROOT, 'examples/secret-rules/acme-rules.yaml'), DATA_DIR: data.dir, REGISTRY_PATH: join(data.dir, 'registry.yaml'), DATA_WATCH: 'false', REPORTS_DIR: join(data.dir, 'reports') },
    });
    try {
      await t.http.put('/api/orchestrator/config/manual.orchestrator_run').set('x-admin-token', ADMIN_TOKEN).send({ agents: ['security-agent'], execution: 'parallel' }).expect(200);
      const token = 'acme_svc_' + 'R8tY2uI4oP6aS9dF1gH3jK5lZ7xC0vB2';
      const patch = `@@ -0,0 +1,2 @@\n+ACME_TOKEN=${token}\n+ACME_TEST_TOKEN=acme_svc_IntegrationFixture0000000000000000`;
      const id = (await t.http.post('/api/orchestrator/run').send({ event: 'manual.orchestrator_run', payload: { files: [{ filename: 'deploy/.env', patch }] } }).expect(202)).body.jobId;
      const job = await finishedJob(t, id);
      expect(job.results.find((r) => r.agentId === 'security-agent')!.findings).toEqual([
        expect.objectContaining({ severity: 'critical', file: 'deploy/.env', line: 1, rule: 'secret/acme-service-token', message: 'Secret committed: acme*** (acme-service-token)' }),
      ]);
      expect(job.decision.action).toBe('block_pr');
      expect(JSON.stringify(job)).not.toContain(token);
    } finally {
      await t.dispose();
      await data.dispose();
    }
  });

  it('refuses to boot on a rule RE2 cannot run in linear time, naming the file and the rule', async () => {
    const data = await copyOfData();
    const file = join(data.dir, 'bad-rules.yaml');
    await writeFile(file, "rules:\n  - id: acme-repeat\n    keywords: [acme]\n    regex: '(acme_[a-z]+)\\1'\n");
    try {
      const error = (await startTestApp({ env: { SECRET_RULES_PATH: file } }).catch((e: unknown) => e)) as BootError;
      expect(error).toBeInstanceOf(BootError);
      expect(error.message).toContain('SECRET_RULES_PATH');
      expect(error.problems).toEqual([expect.stringContaining(`${file}: rules[0] (acme-repeat).regex does not compile as a linear-time (RE2) pattern`)]);
    } finally {
      await data.dispose();
    }
  });
});

describe('example: adding a code rule', () => {
  it('runs the team\'s rule on syntax trees, flagging request data and not constants', async () => {
    const data = await copyOfData();
    await addExampleAgent(data.dir, 'examples/code-rules/acme-code-agent.yaml', 'examples/code-rules/acme-code-agent.registry.yaml');
    const t = await startTestApp({
      modules: [AcmeCodeAnalyzerModule],
      env: { DATA_DIR: data.dir, REGISTRY_PATH: join(data.dir, 'registry.yaml'), DATA_WATCH: 'false', REPORTS_DIR: join(data.dir, 'reports') },
    });
    try {
      await t.http.put('/api/orchestrator/config/manual.orchestrator_run').set('x-admin-token', ADMIN_TOKEN).send({ agents: ['acme-code-agent'], execution: 'parallel' }).expect(200);
      const code = ['router.get("/proxy", async (req, res) => {', '  const health = await acmeHttp.get("https://billing.internal/health");', '  const page = await acmeHttp.get(req.query.target);', '  res.send(page);', '});'];
      const patch = `@@ -0,0 +1,${code.length} @@\n${code.map((l) => `+${l}`).join('\n')}`;
      const id = (await t.http.post('/api/orchestrator/run').send({ event: 'manual.orchestrator_run', payload: { files: [{ filename: 'src/proxy.ts', patch }] } }).expect(202)).body.jobId;
      const job = await finishedJob(t, id);
      expect(job.results[0].findings).toEqual([
        {
          severity: 'high',
          file: 'src/proxy.ts',
          line: 3,
          rule: 'code/ssrf/acme-http-url',
          message: 'acmeHttp called with a URL taken from the request',
          fix: 'Call the service by name: acmeHttp.service("billing").get(path)',
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
      ]);
      expect(job.decision.action).toBe('request_changes');
    } finally {
      await t.dispose();
      await data.dispose();
    }
  });
});

describe('example: a module with its own variable, error codes and table', () => {
  it('boots with them, answers its codes through the global filter, and keeps its rows across a restart', async () => {
    const backend = await createStateBackend();
    let t = await startTestApp({ backend, modules: [NotesModule], env: { NOTES_MAX_LENGTH: '12' } });
    try {
      const note = (await t.http.post('/api/notes').send({ text: 'rotate keys' }).expect(201)).body;
      expect((await t.http.get(`/api/notes/${note.id}`).expect(200)).body).toEqual({ id: note.id, text: 'rotate keys' });

      const long = await t.http.post('/api/notes').send({ text: 'rotate the keys' }).expect(422);
      expect(long.body.error).toMatchObject({ code: 'NOTE_TOO_LONG', message: expect.stringContaining('NOTES_MAX_LENGTH'), details: { length: 15, max: 12 } });
      expect(long.headers['x-correlation-id']).toBe(long.body.correlationId);
      expect((await t.http.get('/api/notes/999').expect(404)).body.error.code).toBe('NOTE_NOT_FOUND');
      expect((await t.http.post('/api/notes').send({}).expect(400)).body.error.details[0].field).toBe('text');

      // A second boot on the same storage finds its migrations recorded in their own table, and the row.
      await t.close();
      t = await startTestApp({ backend, modules: [NotesModule] });
      expect((await t.http.get(`/api/notes/${note.id}`).expect(200)).body.text).toBe('rotate keys');
    } finally {
      await t.dispose();
    }
  });

  it('refuses to boot on a bad value of its variable, naming it', async () => {
    const error = await startTestApp({ modules: [NotesModule], env: { NOTES_MAX_LENGTH: 'lots' } }).then(
      async (app) => {
        await app.dispose();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BootError);
    expect((error as BootError).problems).toEqual([expect.stringMatching(/^NOTES_MAX_LENGTH: .*whole number.* \(got "lots"\)$/)]);
  });
});
