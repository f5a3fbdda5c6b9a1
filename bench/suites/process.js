'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startBsm, startBare } = require('../lib/processes');
const { fire, median } = require('../lib/load');

const CONNECTIONS = 100;
const ROUNDS = 2;
const SECONDS = 4;
const SETTLE_MS = 3000;
/** Targets: nothing blocks the loop under saturating load; a restarted instance fits a 512 MB container with room for load. */
const LOOP_P99_TARGET_MS = 50;
const IDLE_RSS_TARGET_MB = 300;

const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

/** Event-loop delay inside the server while autocannon saturates it. */
async function loopUnderLoad(server, url) {
  await server.probe('reset');
  const load = await fire(url, { connections: CONNECTIONS, duration: SECONDS });
  const sample = await server.probe('read');
  return { ...sample, rps: load.rps };
}

async function run({ log }) {
  const stateDir = mkdtempSync(join(tmpdir(), 'bsm-bench-process-'));
  const env = { DATA_WATCH: 'false' };
  let bsm;
  let bare;
  try {
    // First boot creates the embedded database; the restart opens it, as every later start does.
    const first = await startBsm(env, { probe: true, stateDir });
    await settle();
    const firstBoot = await first.probe('read');
    await first.dispose();
    bsm = await startBsm(env, { probe: true, stateDir });
    const body = await (await fetch(`${bsm.url}/api/agents`)).json();
    bare = await startBare({ '/api/agents': body }, { probe: true });
    await settle();
    const idle = { bare: await bare.probe('read'), bsm: await bsm.probe('read') };
    log(`  idle RSS: bare ${idle.bare.rssMb} MB, BSM ${idle.bsm.rssMb} MB (first boot ${firstBoot.rssMb} MB)`);

    await fire(`${bare.url}/api/agents`, { connections: CONNECTIONS, duration: 1 });
    await fire(`${bsm.url}/api/agents`, { connections: CONNECTIONS, duration: 1 });
    const samples = { bare: [], bsm: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, server] of [['bare', bare], ['bsm', bsm]]) {
        const sample = await loopUnderLoad(server, `${server.url}/api/agents`);
        samples[name].push(sample);
        log(`  round ${round + 1}/${ROUNDS} ${name}: ${sample.rps.toFixed(0)} req/s, loop p99 ${sample.loop.p99Ms} ms, max ${sample.loop.maxMs} ms`);
      }
    }
    const after = { bare: await bare.probe('read'), bsm: await bsm.probe('read') };
    const loop = (name) => {
      const m = (pick) => median(samples[name].map(pick));
      const ms = (pick) => m(pick).toFixed(1);
      return { p50: ms((s) => s.loop.p50Ms), p99: ms((s) => s.loop.p99Ms), max: ms((s) => s.loop.maxMs), rps: m((s) => s.rps) };
    };
    const [lb, ls] = [loop('bare'), loop('bsm')];
    const loopMet = Number(ls.p99) < LOOP_P99_TARGET_MS;
    const rssMet = idle.bsm.rssMb < IDLE_RSS_TARGET_MB;
    const memory = (sample) => `${sample.rssMb} (${sample.heapUsedMb})`;
    const lines = [
      'Event-loop delay beyond the 10 ms sampling interval, measured inside each server (the same `monitorEventLoopDelay`',
      `preloaded into both, read over IPC) while autocannon saturates cached \`GET /api/agents\` with ${CONNECTIONS} connections:`,
      `${ROUNDS} alternating rounds of ${SECONDS} s per side (medians). RSS is the kernel's VmRSS, read ${SETTLE_MS / 1000} s after boot with no traffic;`,
      'BSM on its embedded store.',
      '',
      '| measure | bare NestJS | BSM | target |',
      '| --- | --- | --- | --- |',
      `| event-loop delay p50 / p99 / max under load, ms | ${lb.p50} / ${lb.p99} / ${lb.max} | ${ls.p50} / ${ls.p99} / ${ls.max} | BSM p99 < ${LOOP_P99_TARGET_MS} ms: ${loopMet ? 'met' : 'MISSED'} |`,
      `| req/s during those rounds | ${lb.rps.toFixed(0)} | ${ls.rps.toFixed(0)} | reference |`,
      `| RSS idle, restarted instance, MB (heap used) | ${memory(idle.bare)} | ${memory(idle.bsm)} | BSM < ${IDLE_RSS_TARGET_MB} MB: ${rssMet ? 'met' : 'MISSED'} |`,
      `| RSS idle, first boot (creates the database), MB (heap used) | - | ${memory(firstBoot)} | reference |`,
      `| RSS after the load, MB (heap used) | ${memory(after.bare)} | ${memory(after.bsm)} | reference |`,
      '',
      'RSS with 100k stored reviews: "Review memory search" above (measured in its own child process).',
    ];
    return { markdown: lines.join('\n'), misses: (loopMet ? 0 : 1) + (rssMet ? 0 : 1) };
  } finally {
    await Promise.all([bsm && bsm.dispose(), bare && bare.dispose()]);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

module.exports = { name: 'process', title: 'Event loop and memory', run };
