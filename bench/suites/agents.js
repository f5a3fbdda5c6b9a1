'use strict';
const { startBsm, startBare } = require('../lib/processes');
const { alternate, fire } = require('../lib/load');

const CONNECTIONS = 100;

async function cacheStats(url, name) {
  const stats = await (await fetch(`${url}/api/cache/stats`)).json();
  return stats.caches.find((c) => c.name === name);
}

/** Loads per expiry and latency while the agents cache keeps expiring, with and without single-flight. */
async function stampede(log) {
  const rows = [];
  for (const protection of ['true', 'false']) {
    const ttlMs = 1000;
    const bsm = await startBsm({ CACHE_TTL_AGENTS_MS: String(ttlMs), CACHE_STAMPEDE_PROTECTION: protection, DATA_WATCH: 'false' });
    const steady = await startBsm({ CACHE_STAMPEDE_PROTECTION: protection, DATA_WATCH: 'false' });
    try {
      const before = await cacheStats(bsm.url, 'agents');
      const started = Date.now();
      const expiring = await fire(`${bsm.url}/api/agents`, { connections: CONNECTIONS, duration: 6 });
      const seconds = (Date.now() - started) / 1000;
      const after = await cacheStats(bsm.url, 'agents');
      const steadyRun = await fire(`${steady.url}/api/agents`, { connections: CONNECTIONS, duration: 6 });
      const expiries = Math.max(1, Math.floor((seconds * 1000) / ttlMs));
      const loads = after.reloads - before.reloads;
      log(`  stampede protection ${protection}: ${loads} loads over ~${expiries} expiries`);
      rows.push({
        protection,
        loadsPerExpiry: loads / expiries,
        stale: after.staleServed - before.staleServed,
        prevented: after.stampedePrevented - before.stampedePrevented,
        p99Reload: expiring.p99,
        p99Steady: steadyRun.p99,
      });
    } finally {
      await Promise.all([bsm.dispose(), steady.dispose()]);
    }
  }
  return rows;
}

async function run({ log }) {
  const bsm = await startBsm({ DATA_WATCH: 'false' });
  let bare;
  let result;
  try {
    // Both sides send the same bytes: the bare route returns the parsed body and Nest serialises it.
    const body = await (await fetch(`${bsm.url}/api/agents`)).json();
    bare = await startBare({ '/api/agents': body });
    log(`GET /api/agents (cached, ${Buffer.byteLength(JSON.stringify(body))} bytes): bare NestJS vs BSM`);
    result = await alternate(
      [{ name: 'bare', url: `${bare.url}/api/agents` }, { name: 'bsm', url: `${bsm.url}/api/agents` }],
      { connections: CONNECTIONS, log },
    );
  } finally {
    await Promise.all([bsm.dispose(), bare && bare.dispose()]);
  }
  const [b, s] = result;
  const rpsRatio = s.rps / b.rps;
  const p99Ratio = s.p99 / Math.max(1, b.p99);
  const met = rpsRatio >= 0.9 && p99Ratio <= 1.2;
  const stampedeRows = await stampede(log);
  const lines = [
    `Cached \`GET /api/agents\`, ${CONNECTIONS} connections, 3 alternating rounds of 3 s per side (medians).`,
    '',
    '| route | bare req/s | BSM req/s | ratio | p99 ms bare / BSM | p99 ratio | target |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| GET /api/agents | ${b.rps.toFixed(0)} | ${s.rps.toFixed(0)} | ${rpsRatio.toFixed(2)} | ${b.p99} / ${s.p99} | ${p99Ratio.toFixed(2)} | >= 0.9 req/s ratio, p99 <= 1.2x: ${met ? 'met' : 'MISSED'} |`,
    '',
    'Cache stampede: the agents cache expiring every second under the same load (6 s), against a steady cache.',
    '',
    '| single-flight | loads per expiry | stale reads served | concurrent loads prevented | p99 ms while expiring | p99 ms steady |',
    '| --- | --- | --- | --- | --- | --- |',
    ...stampedeRows.map(
      (r) => `| ${r.protection === 'true' ? 'on' : 'off (rollback)'} | ${r.loadsPerExpiry.toFixed(2)} | ${r.stale} | ${r.prevented} | ${r.p99Reload} | ${r.p99Steady} |`,
    ),
  ];
  lines.push('', "A miss's per-layer costs and what would close it: \"Where a request's time goes\" above.");
  return { markdown: lines.join('\n'), misses: met ? 0 : 1 };
}

module.exports = { name: 'agents', title: 'Cached agent catalog', run };
