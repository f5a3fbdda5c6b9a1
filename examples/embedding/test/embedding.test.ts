import assert from 'node:assert/strict';
import { appendFile, copyFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BootError } from 'bsm';
import { BSM_DATA_DIR, startFakeLlm, startTestApp, type FakeLlm, type RunningTestApp } from 'bsm/testing';
import { AcmeModule } from '../src/acme.module';
import { EchoProvider } from '../src/echo.provider';
import { LedgerHealth } from '../src/ledger.health';

const ROOT = resolve(__dirname, '../..');
const ADMIN_TOKEN = 'acme-admin-token-0123456789';

/** BSM's data with Acme's agent added, as Acme's deployment keeps it. */
async function acmeData(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'acme-data-'));
  await cp(BSM_DATA_DIR, dir, { recursive: true });
  await copyFile(join(ROOT, 'bsm-data/acme-license-agent.yaml'), join(dir, 'agents/acme-license-agent.yaml'));
  const index = JSON.parse(await readFile(join(dir, 'agents/index.json'), 'utf8')) as { agents: string[] };
  await writeFile(join(dir, 'agents/index.json'), JSON.stringify({ agents: [...index.agents, 'acme-license-agent.yaml'] }));
  await appendFile(join(dir, 'registry.yaml'), await readFile(join(ROOT, 'bsm-data/acme-license-agent.registry.yaml'), 'utf8'));
  return dir;
}

async function call(t: RunningTestApp, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(t.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('Acme on BSM', () => {
  let t: RunningTestApp;
  let openai: FakeLlm;
  let data: string;

  before(async () => {
    [openai, data] = await Promise.all([startFakeLlm(), acmeData()]);
    t = await startTestApp({
      modules: [AcmeModule],
      env: {
        DATA_DIR: data,
        REGISTRY_PATH: join(data, 'registry.yaml'),
        MODELS_PATH: join(ROOT, 'bsm-data/models.yaml'),
        OPENAI_API_KEY: 'sk-acme-test-0123456789abcdef',
        OPENAI_BASE_URL: openai.baseUrl,
        ADMIN_TOKEN,
        ACME_TICKET_PREFIX: 'OPS',
      },
    });
  });

  after(async () => {
    await t?.close();
    await openai?.close();
    await rm(data, { recursive: true, force: true });
  });

  it("stores tickets in its own table and answers its own error codes in BSM's envelope", async () => {
    const opened = await call(t, 'POST', '/api/acme/tickets', { title: 'Rotate the staging keys' });
    assert.equal(opened.status, 201);
    assert.deepEqual(opened.body, { id: 1, key: 'OPS-1', title: 'Rotate the staging keys' });
    assert.deepEqual((await call(t, 'GET', '/api/acme/tickets/1')).body, opened.body);

    const missing = await call(t, 'GET', '/api/acme/tickets/99');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'ACME_TICKET_NOT_FOUND');
    assert.equal(missing.body.error.message, 'No ticket OPS-99');
    assert.equal(missing.body.correlationId, missing.headers.get('x-correlation-id'));

    const long = await call(t, 'POST', '/api/acme/tickets', { title: 'x'.repeat(121) });
    assert.equal(long.status, 422);
    assert.deepEqual(long.body.error.details, { length: 121, max: 120 });
    const invalid = await call(t, 'POST', '/api/acme/tickets', {});
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error.code, 'VALIDATION_FAILED');
  });

  it("documents its routes and codes in BSM's OpenAPI document", async () => {
    const doc = (await call(t, 'GET', '/docs-json')).body;
    const notFound = doc.paths['/api/acme/tickets/{id}'].get.responses['404'];
    assert.ok(JSON.stringify(notFound).includes('ACME_TICKET_NOT_FOUND'));
  });

  it("reports its readiness check with BSM's own", async () => {
    const ready = await call(t, 'GET', '/health/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.info['acme-ledger'].status, 'up');
    t.app.get(LedgerHealth).reachable = false;
    try {
      const down = await call(t, 'GET', '/health/ready');
      assert.equal(down.status, 503);
      assert.equal(down.body.error.details.error['acme-ledger'].message, 'ledger unreachable');
    } finally {
      t.app.get(LedgerHealth).reachable = true;
    }
  });

  it('answers chat from its own provider, and falls back to OpenAI when it fails', async () => {
    const echoed = await call(t, 'POST', '/api/chat/direct', { message: 'hello acme' });
    assert.equal(echoed.status, 200);
    assert.equal(echoed.body.provider, 'acme');
    assert.equal(echoed.body.model, 'acme-echo');
    assert.equal(echoed.body.output, 'echo: hello acme');
    assert.equal(openai.stats().requests, 0);

    t.app.get(EchoProvider).failing = true;
    try {
      const fallback = await call(t, 'POST', '/api/chat/direct', { message: 'hello again' });
      assert.equal(fallback.status, 200);
      assert.equal(fallback.body.provider, 'openai');
      assert.equal(fallback.body.attempts[0].provider, 'acme');
      assert.equal(openai.stats().requests, 1);
    } finally {
      t.app.get(EchoProvider).failing = false;
    }
  });

  it('runs its analyzer in a review, and the finding counts in the decision', async () => {
    const admin = { 'x-admin-token': ADMIN_TOKEN };
    const configured = await call(t, 'PUT', '/api/orchestrator/config/manual.orchestrator_run', { agents: ['acme-license-agent'], execution: 'parallel' }, admin);
    assert.equal(configured.status, 200);
    const patch = '@@ -0,0 +1,2 @@\n+// SPDX-License-Identifier: GPL-3.0-only\n+export const parse = () => 1;';
    const run = await call(t, 'POST', '/api/orchestrator/run', { event: 'manual.orchestrator_run', payload: { files: [{ filename: 'src/parse.ts', patch }] } });
    assert.equal(run.status, 202);
    let job: any;
    for (let i = 0; i < 200 && job?.status !== 'completed'; i++) {
      job = (await call(t, 'GET', `/api/orchestrator/jobs/${run.body.jobId}`)).body;
      if (job.status !== 'completed') await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(job.status, 'completed');
    const licence = job.results.find((r: { agentId: string }) => r.agentId === 'acme-license-agent');
    // Every finding with a rule gets BSM's fingerprint (what .bsm.yml allow lists and SARIF use).
    const [{ fingerprint, ...finding }] = licence.findings;
    assert.match(fingerprint, /^[0-9a-f]{16}$/);
    assert.deepEqual(licence.findings.length, 1);
    assert.deepEqual(finding, { severity: 'high', file: 'src/parse.ts', line: 1, rule: 'acme/copyleft', message: 'GPL-3.0-only code added to a proprietary repository' });
    assert.equal(job.decision.action, 'request_changes');
  });
});

describe('Acme configuration', () => {
  it('stops the boot on a bad value, naming the variable and the value', async () => {
    const error = await startTestApp({ modules: [AcmeModule], env: { ACME_TICKET_PREFIX: 'acme' } }).then(
      async (t) => {
        await t.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    assert.ok(error instanceof BootError, String(error));
    assert.match(error.message, /ACME_TICKET_PREFIX/);
    assert.match(error.message, /"acme"/);
  });
});
