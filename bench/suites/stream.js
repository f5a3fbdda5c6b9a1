'use strict';
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startBsm, startServer, stopServer, ROOT } = require('../lib/processes');
const { alternate, median } = require('../lib/load');

const OPENAI_KEY = 'sk-bench-openai-0123456789abcdef';
const CONNECTIONS = 50;
const TTFB_SAMPLES = 200;
const SLOW_STREAMS = 200;
const SLOW_SECONDS = 30;
const ANSWER = 'Redeploy the previous image tag, watch the error rate for ten minutes, then tell the on-call channel. '.repeat(4);
const CHAT = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'How do we roll back?', stream: true }) };

async function startFake() {
  const fake = await startServer(join(ROOT, 'dist/tools/fake-llm/main.js'), {}, { readyPath: '/v1/models', portVariable: 'FAKE_LLM_PORT' });
  const behave = (behaviour) => fetch(`${fake.url}/__admin/behaviour`, { method: 'PUT', body: JSON.stringify(behaviour) });
  return { ...fake, baseUrl: `${fake.url}/v1`, behave, dispose: () => stopServer(fake) };
}

/** Milliseconds from sending the request to the first content, read the way a client reads it. */
async function timeToFirstContent(url, init) {
  const started = performance.now();
  const res = await fetch(url, init);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`no content from ${url}`);
    text += decoder.decode(value, { stream: true });
    // BSM: an `event: delta`; the upstream: a chunk whose delta holds content.
    if (/event: delta|"delta":\{"content":"[^"]/.test(text)) {
      const ms = performance.now() - started;
      await reader.cancel();
      return ms;
    }
  }
}

/** Sequential samples, alternating BSM and the upstream itself so drift hits both. */
async function ttfb(bsmUrl, fakeBaseUrl) {
  const upstream = {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_KEY}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'How do we roll back?' }], stream: true }),
  };
  const through = [];
  const direct = [];
  for (let i = 0; i < 20; i++) await timeToFirstContent(`${bsmUrl}/api/chat/direct`, CHAT);
  for (let i = 0; i < TTFB_SAMPLES; i++) {
    through.push(await timeToFirstContent(`${bsmUrl}/api/chat/direct`, CHAT));
    direct.push(await timeToFirstContent(`${fakeBaseUrl}/chat/completions`, upstream));
  }
  return { through: median(through), direct: median(direct) };
}

/** RSS and heap of BSM while 200 streams trickle for 30 s (one chunk every 100 ms each). */
async function slowStreams(bsm, fake, log) {
  await fake.behave({ content: 'x'.repeat(SLOW_SECONDS * 10 * 4 + 40), chunkSize: 4, chunkDelayMs: 100 });
  const readings = [];
  const read = async (at) => readings.push({ at, ...(await bsm.probe('read')) });
  await read(0);
  const streams = Array.from({ length: SLOW_STREAMS }, async () => {
    const res = await fetch(`${bsm.url}/api/chat/direct`, CHAT);
    const reader = res.body.getReader();
    let bytes = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return bytes;
      bytes += value.length;
    }
  });
  for (let second = 10; second <= SLOW_SECONDS; second += 10) {
    await new Promise((r) => setTimeout(r, 10_000));
    await read(second);
    log(`  ${second} s: RSS ${readings.at(-1).rssMb} MB, heap ${readings.at(-1).heapUsedMb} MB`);
  }
  const bytes = await Promise.all(streams);
  return { readings, completed: bytes.filter((b) => b > 0).length };
}

async function run({ log }) {
  const fake = await startFake();
  const dir = mkdtempSync(join(tmpdir(), 'bsm-bench-stream-'));
  // A bulkhead wide enough for the slow-stream run (the shipped one allows 10 calls at once).
  const models = join(dir, 'models.yaml');
  writeFileSync(
    models,
    [
      'providers: { openai: { maxConcurrent: 250, maxQueue: 50 }, perplexity: { maxConcurrent: 5 } }',
      'models:',
      '  gpt-4o-mini: { provider: openai, capabilities: [chat, code_review, security_scan, legal_analysis] }',
      '  gpt-4o: { provider: openai, capabilities: [chat, code_review, security_scan, legal_analysis] }',
      '  sonar: { provider: perplexity, capabilities: [search] }',
      'routing:',
      '  search: sonar',
      '  tasks:',
      ...['code_review', 'security_scan', 'legal_analysis', 'chat_response'].map((task) => `    ${task}: { low: gpt-4o-mini, medium: gpt-4o-mini, high: gpt-4o }`),
    ].join('\n'),
  );
  let bsm;
  let bare;
  try {
    bsm = await startBsm({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: OPENAI_KEY, MODELS_PATH: models, LLM_MAX_RETRIES: '0', DATA_WATCH: 'false' }, { probe: true });
    bare = await startServer(join(ROOT, 'bench/lib/bare-sse.js'), { UPSTREAM_BASE_URL: fake.baseUrl }, { readyPath: '/', readyStatus: 'any' });

    await fake.behave({ content: ANSWER, chunkSize: 8 });
    log(`time to first content: ${TTFB_SAMPLES} sequential streams through BSM and straight from the upstream`);
    const first = await ttfb(bsm.url, fake.baseUrl);

    log(`streams of ${ANSWER.length} characters in ${Math.ceil(ANSWER.length / 8)} chunks, ${CONNECTIONS} connections: bare SSE pass-through vs BSM`);
    const [b, s] = await alternate(
      [
        { name: 'bare', url: `${bare.url}/api/chat/direct`, ...CHAT },
        { name: 'bsm', url: `${bsm.url}/api/chat/direct`, ...CHAT },
      ],
      { connections: CONNECTIONS, log },
    );

    log(`${SLOW_STREAMS} slow streams for ${SLOW_SECONDS} s`);
    const slow = await slowStreams(bsm, fake, log);

    const overhead = first.through - first.direct;
    const ratio = s.rps / b.rps;
    const start = slow.readings[0];
    const end = slow.readings.at(-1);
    const peak = Math.max(...slow.readings.map((r) => r.rssMb));
    const growth = end.rssMb - slow.readings[1].rssMb;
    const targets = [overhead < 2, ratio >= 0.8, growth < 50 && slow.completed === SLOW_STREAMS];
    const mark = (met) => (met ? 'met' : 'MISSED');
    const lines = [
      '| measure | value | baseline | target |',
      '| --- | --- | --- | --- |',
      `| time to first content through BSM, minus the upstream's own (p50 of ${TTFB_SAMPLES}) | ${overhead.toFixed(2)} ms | through BSM ${first.through.toFixed(2)} ms, upstream ${first.direct.toFixed(2)} ms | < 2 ms: ${mark(targets[0])} |`,
      `| streams/s, ${CONNECTIONS} connections (${Math.ceil(ANSWER.length / 8)} chunks each) | ${s.rps.toFixed(0)} (p99 ${s.p99} ms) | bare pass-through ${b.rps.toFixed(0)} (p99 ${b.p99} ms), ratio ${ratio.toFixed(2)} | >= 0.8: ${mark(targets[1])} |`,
      `| RSS while ${SLOW_STREAMS} streams trickle for ${SLOW_SECONDS} s (0 / ${slow.readings.slice(1).map((r) => `${r.at}`).join(' / ')} s) | ${slow.readings.map((r) => r.rssMb).join(' / ')} MB | before ${start.rssMb} MB, peak ${peak} MB | flat (< 50 MB growth after 10 s), every stream complete (${slow.completed}/${SLOW_STREAMS}): ${mark(targets[2])} |`,
      `| heap while they trickle | ${slow.readings.map((r) => r.heapUsedMb).join(' / ')} MB | — | — |`,
    ];
    return { markdown: lines.join('\n'), misses: targets.filter((t) => !t).length };
  } finally {
    await Promise.all([bsm && bsm.dispose(), bare && stopServer(bare), fake.dispose()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { name: 'stream', title: 'Streaming chat', run };
