'use strict';
// In-process costs of the model router's resilience layers, on the compiled code.
// Usage: node llm-child.js <fake base URL> ; prints one JSON line.
const { BreakerRegistry } = require('../../dist/infra/resilience/breaker-registry');
const { Bulkhead } = require('../../dist/infra/resilience/bulkhead');
const { Deadline } = require('../../dist/infra/resilience/retry');
const { ProviderPipeline } = require('../../dist/gpt/provider-pipeline');
const { OpenAiCompatibleProvider } = require('../../dist/gpt/adapters/openai-compatible.provider');
const { UpstreamFailure } = require('../../dist/gpt/upstream-failure');
const { toDomainError } = require('../../dist/gpt/upstream-errors');
const { perCall, median } = require('./load');

const BASE_URL = process.argv[2];
const SETTINGS = {
  attemptTimeoutMs: 5000,
  deadlineMs: 10_000,
  retry: { maxRetries: 0, baseMs: 100, maxMs: 1000 },
  maxQueue: 50,
  maxQueueWaitMs: 1000,
  streamFirstTokenMs: 5000,
  streamIdleMs: 5000,
};
const REGISTRATION = {
  isIgnored: (e) => e instanceof UpstreamFailure && e.isClientError,
  isTimeout: (e) => e instanceof UpstreamFailure && e.kind === 'timeout',
};
const REQUEST = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] };

class BenchProvider extends OpenAiCompatibleProvider {
  constructor(baseUrl) {
    super(baseUrl);
    this.name = 'bench';
  }
  credential() {
    return { key: 'sk-bench-key-0123456789abcdef', variable: 'none' };
  }
}

function pipeline(provider, name) {
  const breakers = new BreakerRegistry({ enabled: true, errorThresholdPercentage: 50, volumeThreshold: 1, resetTimeout: 600_000, rollingCountTimeout: 10_000 });
  const bulkhead = new Bulkhead(name, { maxConcurrent: 10, maxQueue: 50, maxQueueWaitMs: 1000 });
  return { breakers, pipeline: new ProviderPipeline(provider, bulkhead, breakers.register(name, REGISTRATION), SETTINGS) };
}

/** An open breaker: one failure trips it (volume 1), then every call is rejected in process. */
async function rejectionCost() {
  const failing = { name: 'down', status: () => ({ configured: true }), complete: () => Promise.reject(new UpstreamFailure('status', 'down', 500)) };
  const { breakers, pipeline: p } = pipeline(failing, 'down');
  const call = () => p.call(REQUEST, new Deadline(10_000)).catch((e) => toDomainError(e, 'down', 'm'));
  await call();
  if (breakers.get('down').state !== 'open') throw new Error('breaker did not open');
  const ns = await perCall(call, { iterations: 50_000, batches: 5 });
  breakers.onModuleDestroy();
  return ns / 1e6;
}

/** Sequential calls to the fake: straight through the provider vs through the pipeline, alternating batches. */
async function routerOverhead() {
  const provider = new BenchProvider(BASE_URL);
  const { breakers, pipeline: p } = pipeline(provider, 'bench');
  const direct = () => provider.complete(REQUEST, new AbortController().signal);
  const routed = () => p.call(REQUEST, new Deadline(10_000));
  const samples = { direct: [], routed: [] };
  for (let i = 0; i < 200; i += 1) await direct(), await routed();
  for (let round = 0; round < 6; round += 1) {
    for (const [name, fn] of [['direct', direct], ['routed', routed]]) {
      for (let i = 0; i < 300; i += 1) {
        const started = process.hrtime.bigint();
        await fn();
        samples[name].push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
  }
  breakers.onModuleDestroy();
  const p50 = { direct: median(samples.direct), routed: median(samples.routed) };
  return { directP50: p50.direct, routedP50: p50.routed, overheadP50: p50.routed - p50.direct };
}

(async () => {
  const rejectionMs = await rejectionCost();
  const overhead = await routerOverhead();
  process.stdout.write(`${JSON.stringify({ rejectionMs, ...overhead })}\n`);
})().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
