'use strict';
const { execFile } = require('node:child_process');
const { join } = require('node:path');
const { promisify } = require('node:util');
const { startBsm, startBare, startServer, stopServer, ROOT } = require('../lib/processes');
const { alternate } = require('../lib/load');

const CONNECTIONS = 100;
const OPENAI_KEY = 'sk-bench-openai-0123456789abcdef';

async function startFake() {
  const fake = await startServer(join(ROOT, 'dist/tools/fake-llm/main.js'), {}, { readyPath: '/v1/models', portVariable: 'FAKE_LLM_PORT' });
  const admin = (path, init) => fetch(`${fake.url}/__admin/${path}`, init).then((r) => r.json());
  return { ...fake, baseUrl: `${fake.url}/v1`, admin, dispose: () => stopServer(fake) };
}

/** An outage: BSM's breaker for the provider is open; what does a chat request cost then? */
async function openBreaker(log) {
  const fake = await startFake();
  const bsm = await startBsm({
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: OPENAI_KEY,
    FALLBACK_ENABLED: 'false',
    LLM_MAX_RETRIES: '0',
    BREAKER_RESET_TIMEOUT_MS: '3600000',
    DATA_WATCH: 'false',
  });
  let bare;
  try {
    await fake.admin('behaviour', { method: 'PUT', body: JSON.stringify({ status: 500 }) });
    const ask = () =>
      fetch(`${bsm.url}/api/chat/direct`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hello"}' });
    for (let i = 0; i < 5; i += 1) await ask();
    const rejected = await ask();
    const body = await rejected.json();
    if (rejected.status !== 503 || body.error.code !== 'UPSTREAM_CIRCUIT_OPEN') throw new Error(`breaker not open: ${JSON.stringify(body)}`);
    const hitsBefore = (await fake.admin('stats')).requests;
    // The baseline does the same HTTP work as a trivial route: parse a JSON body, answer 503 with the same body.
    bare = await startBare({ 'POST /api/chat/direct': { status: 503, body } });
    log(`POST /api/chat/direct with the breaker open (503, ${JSON.stringify(body).length} bytes) vs a bare POST route answering the same`);
    const post = { method: 'POST', body: '{"message":"hello"}', headers: { 'content-type': 'application/json' } };
    const [b, s] = await alternate(
      [
        { name: 'bare', url: `${bare.url}/api/chat/direct`, ...post },
        { name: 'bsm', url: `${bsm.url}/api/chat/direct`, ...post },
      ],
      { connections: CONNECTIONS, log },
    );
    const upstreamHits = (await fake.admin('stats')).requests - hitsBefore;
    return { b, s, upstreamHits };
  } finally {
    await Promise.all([bsm.dispose(), fake.dispose(), bare && bare.dispose()]);
  }
}

async function inProcess() {
  const fake = await startFake();
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, '../lib/llm-child.js'), fake.baseUrl], { cwd: ROOT });
    return JSON.parse(stdout);
  } finally {
    await fake.dispose();
  }
}

async function run({ log }) {
  const open = await openBreaker(log);
  log('in-process: open-breaker rejection cost, router overhead against the fake provider');
  const micro = await inProcess();
  const { b, s } = open;
  const rpsRatio = s.rps / b.rps;
  const p99Ratio = s.p99 / Math.max(1, b.p99);
  const targets = [
    { met: micro.rejectionMs < 0.1 },
    { met: rpsRatio >= 0.8 && p99Ratio <= 1.2 },
    { met: micro.overheadP50 < 1 },
  ];
  const mark = (t) => (t.met ? 'met' : 'MISSED');
  const lines = [
    '| measure | value | baseline | target |',
    '| --- | --- | --- | --- |',
    `| in-process rejection with the breaker open (pipeline + error mapping) | ${(micro.rejectionMs * 1000).toFixed(1)} µs | — | < 100 µs: ${mark(targets[0])} |`,
    `| open-breaker \`POST /api/chat/direct\`, ${CONNECTIONS} connections: req/s | ${s.rps.toFixed(0)} | bare ${b.rps.toFixed(0)} (ratio ${rpsRatio.toFixed(2)}) | >= 0.8: ${rpsRatio >= 0.8 ? 'met' : 'MISSED'} |`,
    `| open-breaker p99 | ${s.p99} ms | bare ${b.p99} ms (ratio ${p99Ratio.toFixed(2)}) | <= 1.2x: ${p99Ratio <= 1.2 ? 'met' : 'MISSED'} |`,
    `| upstream requests during the open-breaker load | ${open.upstreamHits} | — | 0 |`,
    `| router overhead p50 (pipeline vs the provider called directly, sequential, fake at 0 ms) | ${micro.overheadP50.toFixed(3)} ms | direct ${micro.directP50.toFixed(3)} ms, routed ${micro.routedP50.toFixed(3)} ms | < 1 ms: ${mark(targets[2])} |`,
  ];
  lines.push('', "A miss's per-layer costs and what would close it: \"Where a request's time goes\" above.");
  return { markdown: lines.join('\n'), misses: targets.filter((t) => !t.met).length };
}

module.exports = { name: 'llm', title: 'Model router under an outage', run };
