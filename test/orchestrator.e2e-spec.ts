import { sql } from 'drizzle-orm';
import { Database } from '../src/infra/storage/database';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobRunner } from '../src/orchestrator/runner/job-runner.service';
import { RetentionService } from '../src/orchestrator/retention/retention.service';
import { startLlmTestApp, waitFor, type LlmTestApp } from './support/llm-app';
import { ALLOW_REPORTS, APPROVE_JSON, CLEAN_FILES, PLANTED_TOKEN, pullRequest, REFUSE_REPORTS, SECRET_FILES } from './support/pull-requests';
import { ADMIN_TOKEN } from './support/test-app';

interface JobBody {
  status: string;
  results: { agentId: string; status: string; verdict?: string; reason?: string; findings: { file?: string; line?: number; severity: string; message: string }[] }[];
  decision: { action: string; reason: string; reasons: string[]; skippedAgents: string[] };
  report: string;
}

describe('orchestrator runs', () => {
  let t: LlmTestApp;
  afterEach(() => t?.dispose());

  async function run(event: string, payload: object): Promise<{ id: string; job: JobBody }> {
    const accepted = await t.http.post('/api/orchestrator/run').send({ event, payload }).expect(202);
    expect(accepted.body.status).toBe('queued');
    const id = accepted.body.jobId as string;
    const job = await waitFor(
      async () => (await t.http.get(`/api/orchestrator/jobs/${id}`).expect(200)).body as JobBody,
      (body) => body.status === 'completed' || body.status === 'failed',
      15_000,
    );
    return { id, job };
  }

  const knowledgeLoads = async () =>
    Number(/bsm_orchestrator_knowledge_loads_total (\d+)/.exec((await t.http.get('/metrics')).text)?.[1] ?? NaN);

  describe('offline (no LLM keys)', () => {
    beforeEach(async () => {
      t = await startLlmTestApp({ env: { OPENAI_API_KEY: '', PERPLEXITY_KEY: '' } });
    });

    it('blocks a PR with a planted secret, naming file:line, and never repeats the secret', async () => {
      const { id, job } = await run('pull_request.opened', pullRequest({ files: SECRET_FILES }));
      expect(job.decision.action).toBe('block_pr');
      const security = job.results.find((r) => r.agentId === 'security-agent')!;
      expect(security.findings).toContainEqual(
        expect.objectContaining({ severity: 'critical', file: 'src/config.ts', line: 11, message: expect.stringContaining('ghp_***') }),
      );
      expect(job.decision.reason).toContain('ghp_***');

      const api = JSON.stringify((await t.http.get(`/api/orchestrator/jobs/${id}`)).body);
      const report = (await t.http.get(`/api/reports/${id}`).expect(200)).body;
      const memory = JSON.stringify((await t.http.get('/api/vector/rejection-patterns').expect(200)).body);
      expect(report.markdown).toContain('`src/config.ts:11`');
      for (const text of [api, JSON.stringify(report), memory]) expect(text).not.toContain(PLANTED_TOKEN.slice(4));
    });

    it('decides manual_review for a clean PR, listing the skipped LLM agents and why', async () => {
      const { job } = await run('pull_request.opened', pullRequest());
      expect(job.decision.action).toBe('manual_review');
      expect(job.decision.skippedAgents.sort()).toEqual(['code-review-agent', 'integrity-agent']);
      const skipped = job.results.find((r) => r.agentId === 'code-review-agent')!;
      expect(skipped).toMatchObject({ status: 'skipped', reason: expect.stringContaining('OPENAI_API_KEY') });
      expect(job.results.filter((r) => r.status === 'success').map((r) => r.agentId).sort()).toEqual(['governance-review-agent', 'security-agent']);
    });

    it('writes Markdown and JSON reports that parse, and pages them', async () => {
      const { id } = await run('pull_request.opened', pullRequest());
      const { json, markdown } = (await t.http.get(`/api/reports/${id}`).expect(200)).body;
      expect(json).toMatchObject({ jobId: id, event: 'pull_request.opened', decision: { action: 'manual_review' } });
      expect(json.results).toHaveLength(4);
      expect(markdown).toMatch(/^# MANUAL REVIEW: PR #7 in acme\/shop/);
      const list = await t.http.get('/api/reports?limit=5').expect(200);
      expect(list.body.reports[0]).toMatchObject({ jobId: id, decision: 'manual_review', repo: 'acme/shop', pr: 7 });
      const filtered = await t.http.get('/api/reports?status=failed').expect(400);
      expect(filtered.body.error.details[0].field).toBe('status');
      await t.http.get('/api/reports/..%2F..%2Fetc%2Fpasswd').expect(400);
      await t.http.get('/api/reports/00000000-0000-4000-8000-000000000000').expect(404);
    });

    it('validates runs and job queries, naming the field', async () => {
      const before = (await t.http.get('/api/orchestrator/jobs')).body.jobs.length;
      const bad = await t.http.post('/api/orchestrator/run').send({ event: 'Pull Request', payload: {} }).expect(400);
      expect(bad.body.error.details[0].field).toBe('event');
      const noPayload = await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened' }).expect(400);
      expect(noPayload.body.error.details[0].field).toBe('payload');
      const empty = await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: {} }).expect(400);
      expect(empty.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('payload.pull_request.head.sha') });
      expect(empty.body.error.details.map((d: { field: string }) => d.field)).toEqual(['payload.repository.full_name', 'payload.pull_request.number', 'payload.pull_request.head.sha']);
      const nope = await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: { ...pullRequest(), files: 'nope' } }).expect(400);
      expect(nope.body.error.details).toEqual([{ field: 'payload.files', messages: [expect.stringContaining('payload.files must be an array')] }]);
      const badFile = await t.http
        .post('/api/orchestrator/run')
        .send({ event: 'manual.orchestrator_run', payload: { files: [{ filename: 'a.ts', additions: -1 }, 'b.ts'] } })
        .expect(400);
      expect(badFile.body.error.details.map((d: { field: string }) => d.field)).toEqual(['payload.files.0.additions', 'payload.files.1']);
      expect((await t.http.get('/api/orchestrator/jobs')).body.jobs).toHaveLength(before);
      await t.http.get('/api/orchestrator/jobs?status=done').expect(400);
      await t.http.get('/api/orchestrator/jobs/not-a-uuid').expect(400);
      await t.http.get('/api/orchestrator/jobs/00000000-0000-4000-8000-000000000000').expect(404);
    });
  });

  describe('with the fake provider', () => {
    beforeEach(async () => {
      t = await startLlmTestApp();
      t.openai.setBehaviour({ content: APPROVE_JSON, latencyMs: 150 });
    });

    it('approves a clean PR every agent approved, loading knowledge once for the run', async () => {
      const before = await knowledgeLoads();
      const { job } = await run('pull_request.opened', pullRequest({ files: CLEAN_FILES }));
      expect(job.decision).toMatchObject({ action: 'approve', skippedAgents: [] });
      expect(job.results.every((r) => r.status === 'success')).toBe(true);
      expect(await knowledgeLoads()).toBe(before + 1);
      expect(t.openai.stats().requests).toBe(2);
    });

    it('never approves a pull request it could not see, even when every LLM agent approves', async () => {
      const { id, job } = await run('pull_request.opened', { ...pullRequest(), files: undefined });
      expect(job.decision).toMatchObject({ action: 'manual_review', reason: expect.stringContaining('not reviewed: no diff') });
      for (const analyzer of ['security-agent', 'governance-review-agent']) {
        expect(job.results.find((r) => r.agentId === analyzer)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('no diff') });
      }
      const report = (await t.http.get(`/api/reports/${id}`).expect(200)).body;
      expect(report.markdown).toContain('**Not reviewed:** no diff');
      expect(report.markdown).toContain('Analyzers that ran: none');
    });

    it('sends a text file whose patch GitHub left out to a person, naming it; binaries count as reviewed', async () => {
      const big = { filename: 'src/generated/schema.ts', status: 'modified', additions: 300, deletions: 12 };
      const logo = { filename: 'docs/logo.png', status: 'added', additions: 0, deletions: 0 };
      const omitted = await run('pull_request.opened', pullRequest({ files: [...CLEAN_FILES, big] }));
      expect(omitted.job.decision).toMatchObject({ action: 'manual_review', reason: expect.stringContaining('src/generated/schema.ts: GitHub sent no patch') });
      const binary = await run('pull_request.opened', pullRequest({ files: [...CLEAN_FILES, logo] }));
      expect(binary.job.decision.action).toBe('approve');
    });

    it('reads an LLM answer in free text as unknown: it may escalate, never approve', async () => {
      t.openai.setBehaviour({ content: 'Looks good to me, ship it!' });
      const praise = await run('pull_request.opened', pullRequest({ files: CLEAN_FILES }));
      expect(praise.job.decision).toMatchObject({ action: 'manual_review', reason: expect.stringContaining('without the structured verdict') });
      expect(praise.job.results.find((r) => r.agentId === 'code-review-agent')).toMatchObject({ status: 'success', verdict: 'unknown' });
      t.openai.setBehaviour({ content: 'REQUEST_CHANGES: the total ignores refunds' });
      expect((await run('pull_request.opened', pullRequest({ files: CLEAN_FILES }))).job.decision.action).toBe('request_changes');
    });

    it('remembers the reviews of agents that declare remember_reviews, whatever their name, and only theirs', async () => {
      const { id } = await run('pull_request.opened', pullRequest({ files: CLEAN_FILES }));
      const found = await t.http.post('/api/vector/reviews/search').send({ code: CLEAN_FILES[0].patch, topK: 10 }).expect(200);
      const from = found.body.results.map((r: { metadata: { agentId: string; jobId: string } }) => [r.metadata.agentId, r.metadata.jobId]);
      // code-review-agent declares the capability; integrity-agent (also an LLM agent that approved) does not.
      expect(from).toEqual([['code-review-agent', id]]);
    });

    it('runs parallel events concurrently and sequential ones one at a time', async () => {
      await run('pull_request.opened', pullRequest());
      expect(t.openai.stats().maxInFlight).toBe(2);
      t.openai.reset();
      t.openai.setBehaviour({ content: APPROVE_JSON, latencyMs: 150 });
      await t.http
        .put('/api/orchestrator/config/pull_request.opened')
        .set('x-admin-token', ADMIN_TOKEN)
        .send({ agents: ['code-review-agent', 'integrity-agent', 'security-agent'], execution: 'sequential' })
        .expect(200);
      const { job } = await run('pull_request.opened', pullRequest());
      expect(t.openai.stats()).toMatchObject({ requests: 2, maxInFlight: 1 });
      expect(job.results.map((r) => r.agentId)).toEqual(['code-review-agent', 'integrity-agent', 'security-agent']);
    });

    it("fails an agent that outlives the event's timeoutMs, keeping its kind, and decides manual_review", async () => {
      t.openai.setBehaviour({ content: APPROVE_JSON, latencyMs: 1500 });
      await t.http
        .put('/api/orchestrator/config/manual.orchestrator_run')
        .set('x-admin-token', ADMIN_TOKEN)
        .send({ agents: ['code-review-agent', 'security-agent'], execution: 'parallel', timeoutMs: 300 })
        .expect(200);
      const { job } = await run('manual.orchestrator_run', pullRequest());
      expect(job.results.find((r) => r.agentId === 'code-review-agent')).toMatchObject({
        status: 'failed',
        kind: 'llm',
        reason: expect.stringContaining('timed out after 300 ms'),
      });
      expect(job.results.find((r) => r.agentId === 'security-agent')!.status).toBe('success');
      expect(job.decision.action).toBe('manual_review');
      await t.app.get(JobRunner).idle();
    });

    it.each([
      ['block', 'block_pr'],
      ['manual_review', 'manual_review'],
      ['ignore', 'approve'],
    ])('a failed agent with onFailure %s gives %s; sequential runs go on after it', async (onFailure, action) => {
      t.openai.setBehaviour({ status: 400 }, 'gpt-4o-mini');
      await t.http
        .put('/api/orchestrator/config/manual.orchestrator_run')
        .set('x-admin-token', ADMIN_TOKEN)
        .send({ agents: [{ id: 'integrity-agent', onFailure }, 'code-review-agent', 'security-agent'], execution: 'sequential' })
        .expect(200);
      const { job } = await run('manual.orchestrator_run', pullRequest());
      const integrity = job.results.find((r) => r.agentId === 'integrity-agent')!;
      expect(integrity).toMatchObject({ status: 'failed', reason: expect.stringContaining('UPSTREAM_REJECTED') });
      expect(job.results.map((r) => r.status)).toEqual(['failed', 'success', 'success']);
      expect(job.decision.action).toBe(action);
    });
  });

  describe('configuration', () => {
    beforeEach(async () => {
      t = await startLlmTestApp();
    });

    it('lists strategies with their source; an override wins until deleted (admin, audit-logged)', async () => {
      const before = (await t.http.get('/api/orchestrator/config').expect(200)).body;
      expect(before.totalEvents).toBe(before.strategies.length);
      expect(before.strategies.find((s: { event: string }) => s.event === 'check_suite.completed')).toMatchObject({
        source: 'file',
        execution: 'sequential',
        agents: [{ id: 'integrity-agent', onFailure: 'manual_review' }, { id: 'pr-merge-agent', onFailure: 'ignore' }],
      });
      const body = { agents: ['security-agent'], execution: 'parallel', description: 'Security only' };
      await t.http.put('/api/orchestrator/config/check_suite.completed').send(body).expect(401);
      await t.http.put('/api/orchestrator/config/check_suite.completed').set('x-admin-token', ADMIN_TOKEN).send(body).expect(200);
      const during = (await t.http.get('/api/orchestrator/config')).body.strategies.find((s: { event: string }) => s.event === 'check_suite.completed');
      expect(during).toMatchObject({ source: 'override', description: 'Security only', agents: [{ id: 'security-agent' }] });
      const removed = await t.http.delete('/api/orchestrator/config/check_suite.completed').set('x-admin-token', ADMIN_TOKEN).expect(200);
      expect(removed.body.now).toMatchObject({ source: 'file', execution: 'sequential' });
      await t.http.delete('/api/orchestrator/config/check_suite.completed').set('x-admin-token', ADMIN_TOKEN).expect(404);
      const audit = (await t.http.get('/api/admin/audit').set('x-admin-token', ADMIN_TOKEN)).body.entries.map((e: { action: string }) => e.action);
      expect(audit.slice(0, 2)).toEqual(['orchestrator.config.override.delete', 'orchestrator.config.override']);
    });

    it('refuses a bad override, naming what is wrong', async () => {
      const put = (event: string, body: object) => t.http.put(`/api/orchestrator/config/${event}`).set('x-admin-token', ADMIN_TOKEN).send(body);
      expect((await put('pull_request.opened', { agents: ['ghost-agent'] }).expect(400)).body.error.message).toContain('"ghost-agent" is not in the catalog');
      expect((await put('pull_request.opened', { agents: [] }).expect(400)).body.error.message).toContain('agents must be a non-empty list');
      expect((await put('pull_request.opened', { agents: ['security-agent'], execution: 'random' }).expect(400)).body.error.message).toContain('execution');
      await put('Pull-Request', { agents: ['security-agent'] }).expect(400);
    });
  });

  it('a job accepted before the process stopped is completed after the restart', async () => {
    t = await startLlmTestApp({ env: { SHUTDOWN_TIMEOUT_MS: '0' } });
    t.openai.setBehaviour({ content: APPROVE_JSON, latencyMs: 800 });
    const accepted = await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: pullRequest() }).expect(202);
    await waitFor(async () => t.openai.stats(), (s) => s.inFlight > 0);
    // Stop without waiting for the job (SHUTDOWN_TIMEOUT_MS=0): it goes back to the queue.
    await t.close();
    const second = await startLlmTestApp({
      backend: t.backend,
      openaiBehaviour: { content: APPROVE_JSON },
    });
    try {
      const job = await waitFor(
        async () => (await second.http.get(`/api/orchestrator/jobs/${accepted.body.jobId}`).expect(200)).body,
        (body) => body.status === 'completed',
        15_000,
      );
      expect(job).toMatchObject({ attempts: 2, decision: { action: 'approve' } });
      await second.app.get(JobRunner).idle();
    } finally {
      // The state belongs to the first app, which disposes it.
      await second.close();
      await Promise.all([second.openai.close(), second.perplexity.close()]);
    }
  });
});

describe('job admin', () => {
  let t: LlmTestApp;
  afterEach(() => t?.dispose());

  it('re-runs a job as a new one and cancels a queued job (admin, audit-logged)', async () => {
    t = await startLlmTestApp({ env: { ORCHESTRATOR_CONCURRENCY: '1' } });
    t.openai.setBehaviour({ content: APPROVE_JSON, latencyMs: 500 });
    const first = (await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: pullRequest() }).expect(202)).body.jobId;
    const second = (await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: pullRequest({ number: 8 }) }).expect(202)).body.jobId;
    await t.http.post(`/api/orchestrator/jobs/${second}/cancel`).expect(401);
    const cancelled = await t.http.post(`/api/orchestrator/jobs/${second}/cancel`).set('x-admin-token', ADMIN_TOKEN).expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    const again = await t.http.post(`/api/orchestrator/jobs/${second}/cancel`).set('x-admin-token', ADMIN_TOKEN).expect(409);
    expect(again.body.error.code).toBe('JOB_NOT_CANCELLABLE');
    await waitFor(async () => (await t.http.get(`/api/orchestrator/jobs/${first}`)).body.status, (s) => s === 'completed', 15_000);
    const rerun = await t.http.post(`/api/orchestrator/jobs/${first}/rerun`).set('x-admin-token', ADMIN_TOKEN).expect(202);
    expect(rerun.body.jobId).not.toBe(first);
    const job = await waitFor(async () => (await t.http.get(`/api/orchestrator/jobs/${rerun.body.jobId}`)).body, (j) => j.status === 'completed', 15_000);
    expect(job).toMatchObject({ pr: 7, context: { rerunOf: first }, decision: { action: 'approve' } });
    expect((await t.http.get(`/api/orchestrator/jobs/${second}`)).body.status).toBe('cancelled');
    const audit = (await t.http.get('/api/admin/audit').set('x-admin-token', ADMIN_TOKEN)).body.entries.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['orchestrator.job.rerun', 'orchestrator.job.cancel']));
    await t.app.get(JobRunner).idle();
  });
});

describe('dead letters', () => {
  let t: LlmTestApp;
  afterEach(() => t?.dispose());

  it('retries a run that throws with backoff, parks it past the retry limit, and an admin re-runs it (audit-logged)', async () => {
    t = await startLlmTestApp({ env: { ORCHESTRATOR_RETRY_LIMIT: '1' }, openaiBehaviour: { content: APPROVE_JSON } });
    // Storage refuses the report: the run throws as it keeps it, on every attempt.
    const { db } = t.app.get(Database);
    for (const statement of REFUSE_REPORTS) await db.execute(sql.raw(statement));
    const admin = (request: ReturnType<typeof t.http.get>) => request.set('x-admin-token', ADMIN_TOKEN);
    const id = (await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: pullRequest() }).expect(202)).body.jobId;
    const retrying = await waitFor(async () => (await t.http.get(`/api/orchestrator/jobs/${id}`)).body, (job) => job.attempts === 1 && job.status === 'queued', 10_000);
    expect(retrying.error).toMatch(/^attempt 1 failed \(.*reports are refused by the test.*\); retrying$/);
    const failed = await waitFor(async () => (await t.http.get(`/api/orchestrator/jobs/${id}`)).body, (job) => job.status === 'failed', 10_000);
    expect(failed).toMatchObject({ attempts: 2, decision: null });

    await t.http.get('/api/orchestrator/dead-letters').expect(401);
    const letters = await waitFor(async () => (await admin(t.http.get('/api/orchestrator/dead-letters')).expect(200)).body, (page) => page.deadLetters.length > 0);
    expect(letters).toMatchObject({ nextCursor: null, deadLetters: [{ jobId: id, event: 'pull_request.opened', repo: 'acme/shop', pr: 7, attempts: 2 }] });
    expect(letters.deadLetters[0].error).toContain('reports are refused by the test');
    const letter = letters.deadLetters[0].id as string;
    expect((await admin(t.http.get('/api/orchestrator/dead-letters?limit=0')).expect(400)).body.error.details[0].field).toBe('limit');
    expect((await admin(t.http.post('/api/orchestrator/dead-letters/not-a-uuid/rerun')).expect(400)).body.error.code).toBe('INVALID_ID');
    const unknown = await admin(t.http.post(`/api/orchestrator/dead-letters/${id}/rerun`)).expect(404);
    expect(unknown.body.error.code).toBe('DEAD_LETTER_NOT_FOUND');

    // The operator fixes the cause, then re-runs the job: it completes, and the dead letter is gone.
    for (const statement of ALLOW_REPORTS) await db.execute(sql.raw(statement));
    const rerun = await admin(t.http.post(`/api/orchestrator/dead-letters/${letter}/rerun`)).expect(202);
    expect(rerun.body).toMatchObject({ id: letter, jobId: id });
    const done = await waitFor(async () => (await t.http.get(`/api/orchestrator/jobs/${id}`)).body, (job) => job.status === 'completed', 15_000);
    expect(done).toMatchObject({ attempts: 3, error: null, decision: { action: 'approve' } });
    expect((await admin(t.http.get('/api/orchestrator/dead-letters')).expect(200)).body.deadLetters).toEqual([]);
    await admin(t.http.post(`/api/orchestrator/dead-letters/${letter}/rerun`)).expect(404);
    const audit = (await admin(t.http.get('/api/admin/audit')).expect(200)).body.entries;
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'orchestrator.dead-letter.rerun', target: id })]));
    await t.app.get(JobRunner).idle();
  });
});

describe('reports', () => {
  it('imports at boot the report files an earlier release wrote under REPORTS_DIR, and serves them', async () => {
    const t = await startLlmTestApp();
    try {
      const id = (await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: pullRequest() }).expect(202)).body.jobId;
      await waitFor(async () => (await t.http.get(`/api/orchestrator/jobs/${id}`)).body.status, (s) => s === 'completed', 15_000);
      const report = (await t.http.get(`/api/reports/${id}`).expect(200)).body;
      await t.close();
      // An earlier release's files: one report this database lacks, one it already has (kept as stored).
      const legacy = join(t.dir, 'legacy-reports');
      await mkdir(legacy);
      const old = randomUUID();
      await writeFile(join(legacy, `${old}.json`), JSON.stringify({ ...report.json, jobId: old }));
      await writeFile(join(legacy, `${old}.md`), '# APPROVE: an old report');
      await writeFile(join(legacy, `${id}.json`), JSON.stringify({ ...report.json, event: 'overwritten' }));
      await writeFile(join(legacy, `${id}.md`), '# overwritten');
      await writeFile(join(legacy, 'notes.txt'), 'not a report');
      const again = await startLlmTestApp({ backend: t.backend, env: { REPORTS_DIR: legacy } });
      try {
        const imported = await waitFor(async () => (await again.http.get(`/api/reports/${old}`)).body, (body) => body.markdown !== undefined);
        expect(imported).toMatchObject({ json: { jobId: old }, markdown: '# APPROVE: an old report' });
        expect((await again.http.get(`/api/reports/${id}`).expect(200)).body).toEqual(report);
      } finally {
        await again.close();
        await Promise.all([again.openai.close(), again.perplexity.close()]);
      }
    } finally {
      await t.dispose();
    }
  });
});

describe('retention', () => {
  it('purges ended jobs with their reports, old deliveries and old audit entries', async () => {
    const t = await startLlmTestApp({ env: { GITHUB_WEBHOOK_SECRET: 'test-webhook-secret-0123456789', RETENTION_JOBS_DAYS: '2', RETENTION_DELIVERIES_DAYS: '1', RETENTION_AUDIT_DAYS: '3' } });
    try {
      t.openai.setBehaviour({ content: APPROVE_JSON });
      const id = (await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: pullRequest() }).expect(202)).body.jobId;
      await waitFor(async () => (await t.http.get(`/api/orchestrator/jobs/${id}`)).body.status, (s) => s === 'completed', 15_000);
      await t.http.put('/api/orchestrator/config/default').set('x-admin-token', ADMIN_TOKEN).send({ agents: ['security-agent'] }).expect(200);
      const retention = t.app.get(RetentionService);
      const day = 86_400_000;
      expect(await retention.purge(new Date(Date.now() + day))).toEqual({ jobs: 0, deliveries: 0, auditEntries: 0 });
      expect(await retention.purge(new Date(Date.now() + 2.5 * day))).toEqual({ jobs: 1, deliveries: 0, auditEntries: 0 });
      await t.http.get(`/api/orchestrator/jobs/${id}`).expect(404);
      await t.http.get(`/api/reports/${id}`).expect(404);
      expect((await retention.purge(new Date(Date.now() + 4 * day))).auditEntries).toBe(1);
    } finally {
      await t.dispose();
    }
  });
});
