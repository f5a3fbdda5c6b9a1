'use strict';
const { execFile } = require('node:child_process');
const { join } = require('node:path');
const { promisify } = require('node:util');
const { startBsm, startBare, startServer, stopServer, ROOT } = require('../lib/processes');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { alternate, fire } = require('../lib/load');
const { layerCosts } = require('../lib/profile-layers');

const CONNECTIONS = 100;
const OPENAI_KEY = 'sk-bench-openai-0123456789abcdef';

async function startFake() {
  const fake = await startServer(join(ROOT, 'dist/tools/fake-llm/main.js'), {}, { readyPath: '/v1/models', portVariable: 'FAKE_LLM_PORT' });
  const admin = (path, init) => fetch(`${fake.url}/__admin/${path}`, init).then((r) => r.json());
  return { ...fake, baseUrl: `${fake.url}/v1`, admin, dispose: () => stopServer(fake) };
}

const CHAT = { method: 'POST', body: '{"message":"hello"}', headers: { 'content-type': 'application/json' } };

/** A BSM whose breaker for the fake provider is open (the fake answers 500 until it trips). */
async function startOpenBreakerBsm(fake, options) {
  const bsm = await startBsm({
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: OPENAI_KEY,
    FALLBACK_ENABLED: 'false',
    LLM_MAX_RETRIES: '0',
    BREAKER_RESET_TIMEOUT_MS: '3600000',
    DATA_WATCH: 'false',
  }, options);
  const ask = () => fetch(`${bsm.url}/api/chat/direct`, CHAT);
  for (let i = 0; i < 5; i += 1) await ask();
  const rejected = await ask();
  const body = await rejected.json();
  if (rejected.status !== 503 || body.error.code !== 'UPSTREAM_CIRCUIT_OPEN') {
    await bsm.dispose();
    throw new Error(`breaker not open: ${JSON.stringify(body)}`);
  }
  return { bsm, body };
}

/** An outage: BSM's breaker for the provider is open; what does a chat request cost then? */
async function openBreaker(log) {
  const fake = await startFake();
  await fake.admin('behaviour', { method: 'PUT', body: JSON.stringify({ status: 500 }) });
  let bare;
  let bsm;
  try {
    const opened = await startOpenBreakerBsm(fake);
    bsm = opened.bsm;
    const hitsBefore = (await fake.admin('stats')).requests;
    // The baseline does the same HTTP work as a trivial route: parse a JSON body, answer 503 with the same body.
    const routes = { 'POST /api/chat/direct': { status: 503, body: opened.body } };
    bare = await startBare(routes);
    log(`POST /api/chat/direct with the breaker open (503, ${JSON.stringify(opened.body).length} bytes) vs a bare POST route answering the same`);
    const [b, s] = await alternate(
      [
        { name: 'bare', url: `${bare.url}/api/chat/direct`, ...CHAT },
        { name: 'bsm', url: `${bsm.url}/api/chat/direct`, ...CHAT },
      ],
      { connections: CONNECTIONS, log },
    );
    const upstreamHits = (await fake.admin('stats')).requests - hitsBefore;
    log('the same load on CPU-profiled processes: where a request goes, layer by layer');
    const layers = await profiledLayers(fake, routes);
    return { b, s, upstreamHits, layers };
  } finally {
    await Promise.all([bsm && bsm.dispose(), fake.dispose(), bare && bare.dispose()]);
  }
}

/** One load of 5 s on each side under `node --cpu-prof`; the profiles are read once the processes exit. */
async function profiledLayers(fake, routes) {
  const dirs = { bare: mkdtempSync(join(tmpdir(), 'bsm-bench-prof-bare-')), bsm: mkdtempSync(join(tmpdir(), 'bsm-bench-prof-bsm-')) };
  const nodeArgs = (side) => ['--cpu-prof', `--cpu-prof-dir=${dirs[side]}`];
  try {
    const result = {};
    for (const side of ['bare', 'bsm']) {
      const server = side === 'bare' ? await startBare(routes, { nodeArgs: nodeArgs(side) }) : (await startOpenBreakerBsm(fake, { nodeArgs: nodeArgs(side) })).bsm;
      const from = process.hrtime.bigint();
      const load = await fire(`${server.url}/api/chat/direct`, { connections: CONNECTIONS, duration: 5, ...CHAT });
      const to = process.hrtime.bigint();
      await server.dispose();
      result[side] = layerCosts(dirs[side], load.total, { from, to });
    }
    return result;
  } finally {
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
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
  const { bare: bareLayers, bsm: bsmLayers } = open.layers;
  const bareOf = (layer) => bareLayers.layers.find((l) => l.layer === layer)?.perRequest;
  lines.push(
    '',
    'Where an open-breaker request\'s CPU goes, layer by layer (5 s of the same load on each side under `node --cpu-prof`,',
    'each sample charged to the innermost pipeline layer on its stack; µs per request served):',
    '',
    '| layer | BSM µs | bare µs |',
    '| --- | --- | --- |',
    ...bsmLayers.layers.map((l) => `| ${l.layer} | ${l.perRequest.toFixed(1)} | ${bareOf(l.layer) === undefined ? '—' : bareOf(l.layer).toFixed(1)} |`),
    `| **total** | **${bsmLayers.perRequest.toFixed(1)}** | **${bareLayers.perRequest.toFixed(1)}** |`,
    '',
    "What is left of a miss, and what would close it: \"Where a request's time goes\" above.",
  );
  return { markdown: lines.join('\n'), misses: targets.filter((t) => !t.met).length };
}

module.exports = { name: 'llm', title: 'Model router under an outage', run };
