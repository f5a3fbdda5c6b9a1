'use strict';
const { execFile } = require('node:child_process');
const { join } = require('node:path');

const SIZES = [1_000, 10_000, 100_000];

function child(size) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', join(__dirname, '../lib/vector-child.js'), String(size)], { maxBuffer: 1 << 20, timeout: 300_000 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout.trim().split('\n').pop())),
    );
  });
}

async function run({ log }) {
  const rows = [];
  for (const size of SIZES) {
    log(`  ${size} reviews…`);
    rows.push(await child(size));
  }
  const big = rows[rows.length - 1];
  const speedup = big.seedP50 / big.p50;
  const targets = [
    ['p99 ≤ 10 ms at 100k', big.p99 <= 10],
    ['≥ 100× faster than the seed at 100k', speedup >= 100],
    ['identical results', rows.every((r) => r.identical)],
    ['RSS < 400 MB at 100k', big.rssMb < 400],
  ];
  const f = (n, d = 2) => n.toFixed(d);
  const lines = [
    'Code-like Zipfian corpus (20,000-token vocabulary, ~1,000 characters per review), each size in its own child',
    'process (`node --expose-gc`); 400 queries per size, half near-copies of stored reviews, top-5. The seed algorithm',
    '(re-tokenise every stored review per query, score all, sort all) runs on a fixed sample: 30 / 10 / 3 queries.',
    '',
    '| reviews | index p50 ms | index p99 ms | build ms | index heap MB | heap MB | RSS MB | seed p50 ms | seed max ms | speed-up (p50) | identical |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.reviews.toLocaleString('en')} | ${f(r.p50, 3)} | ${f(r.p99, 3)} | ${f(r.buildMs, 0)} | ${f(r.indexHeapMb, 1)} | ${f(r.heapMb, 1)} | ${f(r.rssMb, 0)} | ${f(r.seedP50, 1)} | ${f(r.seedMax, 1)} | ${f(r.seedP50 / r.p50, 0)}× | ${r.identical ? 'yes' : 'NO'} |`),
    '',
    `Targets at 100k: ${targets.map(([name, ok]) => `${name}: ${ok ? 'met' : 'MISSED'}`).join('; ')}.`,
  ];
  return { markdown: lines.join('\n'), misses: targets.filter(([, ok]) => !ok).length };
}

module.exports = { name: 'vector', title: 'Review memory search', run };
