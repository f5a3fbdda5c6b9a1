import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Database } from '../src/infra/storage/database';
import { JobRunner } from '../src/orchestrator/runner/job-runner.service';
import { deliveryHeaders, githubExample, sign, WEBHOOK_SECRET } from './support/github';
import { startLlmTestApp, waitFor, type LlmTestApp } from './support/llm-app';
import { APPROVE_JSON, PLANTED_TOKEN, REFUSE_REPORTS, SECRET_FILES } from './support/pull-requests';

describe('GitHub webhook', () => {
  let t: LlmTestApp;
  afterEach(() => t?.dispose());

  const deliver = (event: string, payload: object, headers: Record<string, string> = {}) => {
    const body = JSON.stringify(payload);
    return t.http.post('/api/webhooks/github').set({ ...deliveryHeaders(event, body), ...headers }).send(body);
  };
  const jobsCount = async () => (await t.http.get('/api/orchestrator/jobs?limit=100').expect(200)).body.jobs.length;
  const jobOf = (id: string) => t.http.get(`/api/orchestrator/jobs/${id}`).expect(200).then((r) => r.body);
  const finished = (id: string) => waitFor(() => jobOf(id), (job) => !['queued', 'running'].includes(job.status), 15_000);

  describe('signed deliveries', () => {
    const signedDeliveriesApp = (env: Record<string, string> = {}) =>
      startLlmTestApp({ env: { GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET, OPENAI_API_KEY: '', ...env } });
    beforeEach(async () => {
      t = await signedDeliveriesApp();
    });

    it('blocks an opened PR (a real GitHub payload) with a planted secret, masked everywhere', async () => {
      const payload = { ...githubExample('pull_request', 'opened'), files: SECRET_FILES };
      const res = await deliver('pull_request', payload).expect(202);
      expect(res.body).toEqual({ status: 'queued', jobId: expect.any(String) });
      const job = await finished(res.body.jobId);
      expect(job).toMatchObject({ event: 'pull_request.opened', repo: 'Codertocat/Hello-World', pr: 2, decision: { action: 'block_pr' } });
      const report = await t.http.get(`/api/reports/${job.id}`).expect(200);
      expect(report.body.markdown).toContain('`src/config.ts:11`');
      expect(JSON.stringify([job, report.body])).not.toContain(PLANTED_TOKEN.slice(4));
    });

    it.each([
      ['forged', { 'x-hub-signature-256': sign('{"other":"body"}') }],
      ['signed with another secret', { 'x-hub-signature-256': sign('{}', 'another-secret-0123456789') }],
      ['missing', { 'x-hub-signature-256': '' }],
      ['short', { 'x-hub-signature-256': 'sha256=abc123' }],
      ['not sha256', { 'x-hub-signature-256': 'sha1=' + 'a'.repeat(40) }],
    ])('refuses a %s signature with 401 and stores no job', async (_, headers) => {
      const res = await deliver('pull_request', githubExample('pull_request', 'opened'), headers).expect(401);
      expect(res.body.error.code).toBe('INVALID_WEBHOOK_SIGNATURE');
      expect(res.headers['x-correlation-id']).toBe(res.body.correlationId);
      expect(await jobsCount()).toBe(0);
      expect((await t.http.get('/metrics')).text).toContain('bsm_webhook_deliveries_total{outcome="rejected"} 1');
    });

    it('answers a replayed delivery as a duplicate of its one job', async () => {
      const payload = githubExample('pull_request', 'opened');
      const body = JSON.stringify(payload);
      const headers = deliveryHeaders('pull_request', body, 'delivery-replayed-1');
      const first = await t.http.post('/api/webhooks/github').set(headers).send(body).expect(202);
      const again = await Promise.all([1, 2, 3].map(() => t.http.post('/webhook/github').set(headers).send(body)));
      for (const res of again) expect(res.body).toEqual({ status: 'duplicate', jobId: first.body.jobId });
      expect(again.every((r) => r.status === 200)).toBe(true);
      expect(await jobsCount()).toBe(1);
      const metrics = (await t.http.get('/metrics')).text;
      expect(metrics).toContain('bsm_webhook_deliveries_total{outcome="accepted"} 1');
      expect(metrics).toContain('bsm_webhook_deliveries_total{outcome="duplicate"} 3');
    });

    it('answers ping, skips drafts and bots, and is never rate limited', async () => {
      await t.dispose();
      // Two requests a minute: the three deliveries below pass only because webhooks are exempt.
      t = await signedDeliveriesApp({ RATE_LIMIT_MAX: '2' });
      const ping = githubExample('ping');
      expect((await deliver('ping', ping).expect(200)).body).toEqual({ status: 'pong' });
      const draft = githubExample('pull_request', 'opened');
      (draft.pull_request as Record<string, unknown>).draft = true;
      expect((await deliver('pull_request', draft).expect(200)).body).toMatchObject({ status: 'skipped', reason: 'draft pull request' });
      const bot = { ...githubExample('pull_request', 'opened'), sender: { login: 'dependabot[bot]', type: 'Bot' } };
      expect((await deliver('pull_request', bot).expect(200)).body.status).toBe('skipped');
      expect(await jobsCount()).toBe(0);
      const metrics = (await t.http.get('/metrics')).text;
      expect(metrics).toMatch(/bsm_webhook_deliveries_total\{outcome="skipped"\} 3/);
    });

    it('stores a delivery whose text holds NUL characters (which PostgreSQL refuses), each replaced by U+FFFD', async () => {
      const payload = githubExample('pull_request', 'opened');
      const pr = payload.pull_request as Record<string, unknown>;
      pr.title = 'Fix\u0000 the parser';
      pr.body = 'A literal backslash-u stays as written: \\u0000';
      const res = await deliver('pull_request', payload).expect(202);
      const result = await t.app.get(Database).db.execute(
        sql`select input->'pr'->>'title' as title, payload->'pull_request'->>'title' as received, input->'pr'->>'body' as body from orchestrator_jobs where id = ${res.body.jobId}`,
      );
      expect((result as unknown as { rows: unknown[] }).rows).toEqual([
        { title: 'Fix\ufffd the parser', received: 'Fix\ufffd the parser', body: 'A literal backslash-u stays as written: \\u0000' },
      ]);
      expect((await finished(res.body.jobId)).status).toBe('completed');
    });

    it('names a missing delivery header', async () => {
      const res = await deliver('pull_request', githubExample('pull_request', 'opened'), { 'x-github-delivery': '' }).expect(400);
      expect(res.body.error.details).toEqual([{ field: 'x-github-delivery', messages: ['X-GitHub-Delivery is missing or malformed'] }]);
      expect((await t.http.get('/metrics')).text).toContain('bsm_webhook_deliveries_total{outcome="rejected"} 1');
    });
  });

  it('never approves a delivery that carries no diff when there is no token to fetch one, though every LLM agent approves', async () => {
    t = await startLlmTestApp({ env: { GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    t.openai.setBehaviour({ content: APPROVE_JSON });
    const res = await deliver('pull_request', githubExample('pull_request', 'opened')).expect(202);
    const job = await finished(res.body.jobId);
    expect(job.results.filter((r: { kind: string; status: string }) => r.kind === 'llm' && r.status === 'success').length).toBeGreaterThan(0);
    expect(job.decision).toMatchObject({ action: 'manual_review', reason: expect.stringContaining('not reviewed: no diff') });
  });

  it('acknowledges before a slow (2 s) provider answers; the run happens after', async () => {
    t = await startLlmTestApp({ env: { GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    t.openai.setBehaviour({ content: APPROVE_JSON, latencyMs: 2000 });
    const res = await deliver('pull_request', githubExample('pull_request', 'opened')).expect(202);
    const atAck = await jobOf(res.body.jobId);
    expect(['queued', 'running']).toContain(atAck.status);
    expect(t.openai.stats().requests - t.openai.stats().inFlight).toBe(0);
    const job = await finished(res.body.jobId);
    expect(job.status).toBe('completed');
  });

  it('coalesces quick synchronize events for one PR: one running, one queued, newer replaces queued', async () => {
    t = await startLlmTestApp({ env: { GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET, ORCHESTRATOR_CONCURRENCY: '1' } });
    t.openai.setBehaviour({ content: APPROVE_JSON, latencyMs: 600 });
    const sync = githubExample('pull_request', 'synchronize');
    const first = await deliver('pull_request', sync).expect(202);
    await waitFor(() => jobOf(first.body.jobId), (job) => job.status === 'running');
    const second = await deliver('pull_request', sync).expect(202);
    expect(second.body.status).toBe('queued');
    const third = await deliver('pull_request', sync).expect(202);
    expect(third.body.status).toBe('coalesced');
    expect((await t.http.get('/metrics')).text).toContain('bsm_webhook_deliveries_total{outcome="coalesced"} 1');
    expect((await jobOf(second.body.jobId)).status).toBe('superseded');
    await finished(third.body.jobId);
    expect((await jobOf(first.body.jobId)).status).toBe('completed');
    expect((await jobOf(third.body.jobId)).status).toBe('completed');
    await t.app.get(JobRunner).idle();
  });

  it('re-runs a failed job when GitHub redelivers it (same delivery id)', async () => {
    t = await startLlmTestApp({ env: { GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET, ORCHESTRATOR_RETRY_LIMIT: '0' } });
    // Storage refuses the report: the run throws, so the job fails.
    for (const statement of REFUSE_REPORTS) await t.app.get(Database).db.execute(sql.raw(statement));
    const body = JSON.stringify(githubExample('pull_request', 'opened'));
    const headers = deliveryHeaders('pull_request', body, randomUUID());
    const first = await t.http.post('/api/webhooks/github').set(headers).send(body).expect(202);
    const failed = await waitFor(
      () => t.http.get(`/api/orchestrator/jobs/${first.body.jobId}`).then((r) => r.body),
      (job) => job.status === 'failed',
    );
    expect(failed.error).toContain('reports are refused by the test');
    const redelivered = await t.http.post('/api/webhooks/github').set(headers).send(body).expect(202);
    expect(redelivered.body).toEqual({ status: 'requeued', jobId: first.body.jobId });
    await waitFor(
      () => t.http.get(`/api/orchestrator/jobs/${first.body.jobId}`).then((r) => r.body),
      (job) => job.status === 'failed' && job.attempts === 2,
    );
    await t.app.get(JobRunner).idle();
  });

  it('accepts unsigned deliveries only with WEBHOOK_ALLOW_UNSIGNED and no secret (development)', async () => {
    t = await startLlmTestApp({ env: { WEBHOOK_ALLOW_UNSIGNED: 'true' } });
    await deliver('pull_request', githubExample('pull_request', 'opened'), { 'x-hub-signature-256': '' }).expect(202);
    await t.dispose();
    t = await startLlmTestApp();
    const res = await deliver('pull_request', githubExample('pull_request', 'opened'), { 'x-hub-signature-256': '' }).expect(401);
    expect(res.body.error.message).toContain('GITHUB_WEBHOOK_SECRET is not set');
  });
});
