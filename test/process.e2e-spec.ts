import { request as httpRequest } from 'node:http';
import { createStateBackend, type StateBackend } from './support/test-backend';
import { runApp, spawnApp } from './support/spawn-app';
import { startFakeLlm } from '../src/tools/fake-llm/fake-llm.server';
import { startLlmTestApp, TEST_OPENAI_KEY, waitFor } from './support/llm-app';
import { APPROVE_JSON, pullRequest } from './support/pull-requests';
import { ADMIN_TOKEN } from './support/test-app';

describe('the compiled app as a process', () => {
  let backend: StateBackend;
  beforeEach(async () => {
    backend = await createStateBackend();
  });
  afterEach(() => backend?.dispose());

  it('refuses to boot on invalid configuration, naming every bad variable', async () => {
    const run = runApp({ ...backend.env, PORT: 'eighty', LAN_ONLY: 'maybe', NODE_ENV: 'production', ADMIN_TOKEN: 'short' });
    expect(await run.exited).not.toBe(0);
    const err = run.stderr();
    expect(err).toContain('PORT');
    expect(err).toContain('LAN_ONLY');
    expect(err).toContain('ADMIN_TOKEN must be at least 16 characters');
    expect(err).not.toContain('short"');
  });

  it('refuses to boot in production without ADMIN_TOKEN and GITHUB_WEBHOOK_SECRET', async () => {
    const run = runApp({ ...backend.env, NODE_ENV: 'production', WEBHOOK_ALLOW_UNSIGNED: 'true' });
    expect(await run.exited).not.toBe(0);
    expect(run.stderr()).toContain('ADMIN_TOKEN is required in production');
    expect(run.stderr()).toContain('GITHUB_WEBHOOK_SECRET is required in production');
    expect(run.stderr()).toContain('WEBHOOK_ALLOW_UNSIGNED: unsigned webhook deliveries cannot be accepted in production');
  });

  it('drains an in-flight request on SIGTERM, then exits 0; secrets never reach the log', async () => {
    const app = await spawnApp({ ...backend.env, ADMIN_TOKEN, SHUTDOWN_TIMEOUT_MS: '5000' });
    const body = JSON.stringify({ padding: 'x'.repeat(200) });
    const response = new Promise<{ status: number; body: string; correlationId: string }>((resolveResponse, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: app.port,
          method: 'GET',
          path: '/api/admin/audit',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-admin-token': ADMIN_TOKEN,
            'x-correlation-id': 'drain-1',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () =>
            resolveResponse({ status: res.statusCode ?? 0, body: text, correlationId: String(res.headers['x-correlation-id']) }),
          );
        },
      );
      req.on('error', reject);
      // Half the body now, SIGTERM while the request is in flight, the rest after.
      req.write(body.slice(0, 100));
      setTimeout(() => {
        app.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(100)), 300);
      }, 200);
    });
    const res = await response;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ entries: [], nextCursor: null });
    expect(res.correlationId).toBe('drain-1');
    expect(await app.exited).toBe(0);
    expect(app.stdout()).toContain('shutdown complete');
    expect(app.stdout()).toContain('"correlationId":"drain-1"');
    expect(app.stdout()).toMatch(/"correlationId":"drain-1","method":"GET","url":"\/api\/admin\/audit","statusCode":200/);
    expect(app.stdout()).not.toContain(ADMIN_TOKEN);
  });

  it('completes after a restart a job that was running when the process was killed (SIGKILL)', async () => {
    const fake = await startFakeLlm();
    fake.setBehaviour({ content: APPROVE_JSON, latencyMs: 3000 });
    const env = { ...backend.env, OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: TEST_OPENAI_KEY };
    const app = await spawnApp(env);
    try {
      const res = await fetch(`http://127.0.0.1:${app.port}/api/orchestrator/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ event: 'pull_request.opened', payload: pullRequest() }),
      });
      expect(res.status).toBe(202);
      const { jobId } = (await res.json()) as { jobId: string };
      await waitFor(async () => fake.stats(), (s) => s.inFlight > 0);
      app.child.kill('SIGKILL');
      await app.exited;
      fake.setBehaviour({ content: APPROVE_JSON });
      // On the embedded database the next boot fails the jobs left running at once: they run again now.
      const restarted = await startLlmTestApp({ backend, openaiBehaviour: { content: APPROVE_JSON } });
      try {
        const job = await waitFor(
          async () => (await restarted.http.get(`/api/orchestrator/jobs/${jobId}`)).body,
          (body) => body.status === 'completed',
          15_000,
        );
        expect(job).toMatchObject({ attempts: 2, decision: { action: 'approve' } });
      } finally {
        await restarted.close();
        await Promise.all([restarted.openai.close(), restarted.perplexity.close()]);
      }
    } finally {
      app.child.kill('SIGKILL');
      await fake.close();
    }
  });
});
