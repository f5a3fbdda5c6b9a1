'use strict';
const { createHmac, randomUUID } = require('node:crypto');
const { join } = require('node:path');
const autocannon = require('autocannon');
const { BENCH_WEBHOOK_SECRET, ROOT, startBsm, startServer, stopServer } = require('../lib/processes');
const { median } = require('../lib/load');

const OPENAI_KEY = 'sk-bench-openai-0123456789abcdef';
const APPROVE = '{"decision": "approve", "score": 90, "summary": "fine", "findings": []}';
const FILES = [
  { filename: 'src/pay.ts', status: 'added', additions: 1, deletions: 0, patch: '@@ -0,0 +1 @@\n+export const total = (a: number[]) => a.reduce((x, y) => x + y, 0);' },
  { filename: 'test/pay.spec.ts', status: 'added', additions: 1, deletions: 0, patch: "@@ -0,0 +1 @@\n+it('adds', () => expect(total([1])).toBe(1));" },
];
const PAYLOAD = {
  action: 'opened',
  number: 7,
  pull_request: {
    number: 7,
    title: 'Add the payment client',
    body: 'Adds the payment client, with its tests.',
    draft: false,
    user: { login: 'dev' },
    head: { sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e' },
  },
  repository: { full_name: 'acme/shop' },
  sender: { login: 'dev', type: 'User' },
  files: FILES,
};

async function startFake(behaviour) {
  const fake = await startServer(join(ROOT, 'dist/tools/fake-llm/main.js'), {}, { readyPath: '/v1/models', portVariable: 'FAKE_LLM_PORT' });
  await fetch(`${fake.url}/__admin/behaviour`, { method: 'PUT', body: JSON.stringify(behaviour) });
  return { ...fake, baseUrl: `${fake.url}/v1`, dispose: () => stopServer(fake) };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Signed deliveries, each with its own delivery id, from 10 concurrent senders; the provider takes 2 s. */
async function webhookAck(log) {
  const fake = await startFake({ content: APPROVE, latencyMs: 2000 });
  const bsm = await startBsm({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: OPENAI_KEY, DATA_WATCH: 'false' });
  try {
    const body = JSON.stringify(PAYLOAD);
    const signature = `sha256=${createHmac('sha256', BENCH_WEBHOOK_SECRET).update(body).digest('hex')}`;
    const result = await autocannon({
      url: `${bsm.url}/api/webhooks/github`,
      connections: 10,
      duration: 6,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            body,
            headers: {
              'content-type': 'application/json',
              'x-github-event': 'pull_request',
              'x-github-delivery': randomUUID(),
              'x-hub-signature-256': signature,
            },
          }),
        },
      ],
    });
    log(`  webhook: ${result.requests.total} deliveries, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`);
    return { total: result.requests.total, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors };
  } finally {
    await Promise.all([bsm.dispose(), fake.dispose()]);
  }
}

/** Sequential runs of 4 agents (2 analyzers, 2 LLM agents in parallel) against a 0 ms provider. */
async function overhead(log) {
  const fake = await startFake({ content: APPROVE });
  const bsm = await startBsm({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: OPENAI_KEY, DATA_WATCH: 'false', LOG_LEVEL: 'warn' });
  const samples = [];
  try {
    for (let i = 0; i < 60; i += 1) {
      const accepted = await (
        await fetch(`${bsm.url}/api/orchestrator/run`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ event: 'pull_request.opened', payload: PAYLOAD }),
        })
      ).json();
      if (!accepted.jobId) throw new Error(`run refused: ${JSON.stringify(accepted).slice(0, 300)}`);
      let job;
      do {
        await new Promise((r) => setTimeout(r, 5));
        job = await (await fetch(`${bsm.url}/api/orchestrator/jobs/${accepted.jobId}`)).json();
      } while (job.status === 'queued' || job.status === 'running');
      if (job.status !== 'completed' || job.results.length !== 4) throw new Error(`unexpected job ${JSON.stringify(job).slice(0, 300)}`);
      const wall = new Date(job.finishedAt) - new Date(job.startedAt);
      const upstream = Math.max(0, ...job.results.filter((r) => r.kind === 'llm').map((r) => r.executionTime));
      if (i >= 10) samples.push({ wall, upstream, overhead: wall - upstream });
    }
  } finally {
    await Promise.all([bsm.dispose(), fake.dispose()]);
  }
  const result = {
    p50: median(samples.map((s) => s.overhead)),
    p99: percentile(samples.map((s) => s.overhead), 99),
    wallP50: median(samples.map((s) => s.wall)),
    upstreamP50: median(samples.map((s) => s.upstream)),
  };
  log(`  orchestration: overhead p50 ${result.p50} ms (wall ${result.wallP50} ms, upstream ${result.upstreamP50} ms)`);
  return result;
}

async function run({ log }) {
  const ack = await webhookAck(log);
  const cost = await overhead(log);
  const ackMet = ack.p99 < 50 && ack.errors === 0;
  const costMet = cost.p50 < 20;
  const lines = [
    '| measure | value | target |',
    '| --- | --- | --- |',
    `| webhook ack, 10 concurrent senders, provider at 2 s (${ack.total} signed deliveries in 6 s, each stored as a job) | p50 ${ack.p50} ms, p99 ${ack.p99} ms, ${ack.errors} errors | p99 < 50 ms: ${ackMet ? 'met' : 'MISSED'} |`,
    `| orchestration overhead: run wall time minus upstream time, 4 agents (2 analyzers, 2 LLM agents in parallel), provider at 0 ms, storage and report writes included (50 runs) | p50 ${cost.p50} ms, p99 ${cost.p99} ms (wall p50 ${cost.wallP50} ms, upstream p50 ${cost.upstreamP50} ms) | p50 < 20 ms: ${costMet ? 'met' : 'MISSED'} |`,
  ];
  return { markdown: lines.join('\n'), misses: [ackMet, costMet].filter((m) => !m).length };
}

module.exports = { name: 'orchestrator', title: 'Orchestrator', run };
