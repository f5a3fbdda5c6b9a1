'use strict';
const autocannon = require('autocannon');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One autocannon run; returns requests/s and latency percentiles in ms. */
function fire(url, { connections = 100, duration = 3, headers = {}, method = 'GET', body } = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration, headers, method, body }, (error, result) => {
      if (error) return reject(error);
      const non2xx = result.non2xx + result.errors;
      resolve({
        rps: result.requests.average,
        total: result.requests.total,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: non2xx,
      });
    });
  });
}

/**
 * Alternating rounds: A, B, A, B, ... so drift on a shared machine hits both sides alike;
 * the figures reported are each side's medians.
 */
async function alternate(sides, { rounds = 3, connections = 100, duration = 3, warmup = 1, log = () => {} } = {}) {
  const options = (side, seconds) => ({ connections, duration: seconds, headers: side.headers, method: side.method, body: side.body });
  for (const side of sides) await fire(side.url, options(side, warmup));
  const samples = sides.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < sides.length; i += 1) {
      const sample = await fire(sides[i].url, options(sides[i], duration));
      samples[i].push(sample);
      log(`  round ${round + 1}/${rounds} ${sides[i].name}: ${sample.rps.toFixed(0)} req/s, p99 ${sample.p99} ms`);
    }
  }
  return sides.map((side, i) => ({
    name: side.name,
    rps: median(samples[i].map((s) => s.rps)),
    p50: median(samples[i].map((s) => s.p50)),
    p99: median(samples[i].map((s) => s.p99)),
    errors: samples[i].reduce((sum, s) => sum + s.errors, 0),
  }));
}

/** Nanoseconds per call of fn, median of several timed batches. */
async function perCall(fn, { iterations = 20_000, batches = 5 } = {}) {
  for (let i = 0; i < 1000; i += 1) await fn();
  const results = [];
  for (let b = 0; b < batches; b += 1) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) await fn();
    results.push(Number(process.hrtime.bigint() - started) / iterations);
  }
  return median(results);
}

module.exports = { fire, alternate, perCall, median };
