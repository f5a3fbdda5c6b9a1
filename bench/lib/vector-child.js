'use strict';
// One corpus size per process, so heap and RSS figures belong to that size alone.
// Usage: node vector-child.js <reviews> ; prints one JSON line.
const { InvertedIndex } = require('../../dist/vector/index/inverted-index');
const { tokenSet, jaccard } = require('../../dist/vector/index/tokenize');

const N = Number(process.argv[2]);
const MAX_CHARS = 1000;
const K = 5;
const KEYWORDS = ['const', 'return', 'if', 'function', 'await', 'this', 'new', 'import', 'from', 'export', 'let', 'async',
  'else', 'for', 'of', 'null', 'true', 'false', 'string', 'number', 'throw', 'error', 'try', 'catch', 'class', 'extends'];

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCAB = [...KEYWORDS];
const vocabRandom = rng(42);
while (VOCAB.length < 20000) VOCAB.push(`${['get', 'set', 'user', 'order', 'item', 'cfg', 'db', 'req', 'res', 'ctx'][VOCAB.length % 10]}_${Math.floor(vocabRandom() * 1e7).toString(36)}`);
// Zipf (s = 1) cumulative weights for inverse-CDF sampling.
const CDF = [];
let acc = 0;
for (let i = 0; i < VOCAB.length; i += 1) CDF.push((acc += 1 / (i + 1)));

function word(random) {
  const r = random() * acc;
  let lo = 0;
  let hi = CDF.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CDF[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return VOCAB[lo];
}

/** Review i's code, regenerated from its seed: the corpus is never held in memory. */
function code(i) {
  const random = rng(1_000_003 * (i + 1));
  const words = [];
  let length = 0;
  while (length < 1100) {
    const w = word(random);
    words.push(w);
    length += w.length + 3;
  }
  return words.join(random() < 0.5 ? ' = ' : '(); ');
}

function query(q) {
  const random = rng(77_777 + q);
  if (random() < 0.5) {
    // A near-copy of a stored review: the realistic "have we seen this before?" query.
    const base = code(Math.floor(random() * N)).split(' ');
    return base.map((w) => (random() < 0.2 ? word(random) : w)).join(' ');
  }
  return Array.from({ length: 60 + Math.floor(random() * 120) }, () => word(random)).join(' ');
}

const createdAt = (i) => 1_700_000_000_000 + Math.floor(i / 3);

/** The seed's algorithm: word sets for every stored item on every query, score everything, sort everything. */
function seedSearch(queryText) {
  const q = tokenSet(queryText, MAX_CHARS);
  const scored = [];
  for (let i = 0; i < N; i += 1) {
    const words = tokenSet(code(i), MAX_CHARS);
    let overlap = 0;
    for (const t of q) if (words.has(t)) overlap += 1;
    scored.push({ id: `r${i}`, createdAt: createdAt(i), score: jaccard(overlap, words.size, q.size) });
  }
  scored.sort((a, b) => b.score - a.score || b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  return scored.filter((s) => s.score > 0).slice(0, K);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const index = new InvertedIndex(N);
const buildStart = performance.now();
for (let i = 0; i < N; i += 1) index.add({ id: `r${i}`, createdAt: createdAt(i) }, tokenSet(code(i), MAX_CHARS));
const buildMs = performance.now() - buildStart;
global.gc?.();
const memory = process.memoryUsage();

const QUERIES = 400;
const queries = Array.from({ length: QUERIES }, (_, q) => query(q));
for (const text of queries.slice(0, 50)) index.search(tokenSet(text, MAX_CHARS), K);
const times = [];
for (const text of queries) {
  const t0 = performance.now();
  index.search(tokenSet(text, MAX_CHARS), K);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);

const SEED_QUERIES = N >= 100_000 ? 3 : N >= 10_000 ? 10 : 30;
const seedTimes = [];
let identical = true;
for (let q = 0; q < SEED_QUERIES; q += 1) {
  const t0 = performance.now();
  const expected = seedSearch(queries[q]);
  seedTimes.push(performance.now() - t0);
  const got = index.search(tokenSet(queries[q], MAX_CHARS), K);
  if (JSON.stringify(got) !== JSON.stringify(expected)) identical = false;
}
seedTimes.sort((a, b) => a - b);

process.stdout.write(
  `${JSON.stringify({
    reviews: N,
    buildMs,
    indexHeapMb: (memory.heapUsed - heapBefore) / 2 ** 20,
    heapMb: memory.heapUsed / 2 ** 20,
    rssMb: memory.rss / 2 ** 20,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    seedP50: percentile(seedTimes, 50),
    seedMax: seedTimes[seedTimes.length - 1],
    seedQueries: SEED_QUERIES,
    identical,
  })}\n`,
);
