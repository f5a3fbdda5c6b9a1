import { startLlmTestApp, TWO_PROVIDER_MODELS, waitFor, type LlmTestApp } from './support/llm-app';
import { ADMIN_TOKEN } from './support/test-app';

interface BreakerView {
  name: string;
  state: string;
  stats: { failures: number; timeouts: number; rejects: number };
}

describe('model router resilience, over real HTTP against the fake provider', () => {
  let t: LlmTestApp;
  afterEach(() => t?.dispose());

  const ask = () => t.http.post('/api/chat/direct').send({ message: 'hello' });
  const askMany = (n: number) => Promise.all(Array.from({ length: n }, () => ask()));
  const breaker = async (name = 'openai'): Promise<BreakerView> =>
    (await t.http.get('/api/health/circuit-breakers').expect(200)).body.breakers.find((b: BreakerView) => b.name === name);
  const openTransitions = async () => {
    const text = (await t.http.get('/metrics').expect(200)).text;
    return Number(/bsm_breaker_transitions_total\{breaker="openai",to="open"\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  async function openTheBreaker(): Promise<void> {
    t.openai.setBehaviour({ status: 500 });
    for (let i = 0; i < 4; i++) expect((await ask()).body.error.code).toBe('UPSTREAM_ERROR');
    expect((await breaker()).state).toBe('open');
  }

  describe('circuit breaker', () => {
    beforeEach(async () => {
      t = await startLlmTestApp({ models: TWO_PROVIDER_MODELS });
    });

    it('opens after the configured failures within the volume, then fails fast without reaching the upstream', async () => {
      t.openai.setBehaviour({ status: 500 });
      for (let i = 0; i < 3; i++) {
        const res = await ask().expect(502);
        expect(res.body.error).toMatchObject({ code: 'UPSTREAM_ERROR', details: { provider: 'openai', upstreamStatus: 500 } });
      }
      expect((await breaker()).state).toBe('closed');
      await ask().expect(502);
      expect((await breaker()).state).toBe('open');
      expect(t.openai.stats().requests).toBe(4);

      const rejected = await askMany(10);
      for (const res of rejected) {
        expect(res.status).toBe(503);
        expect(res.body.error.code).toBe('UPSTREAM_CIRCUIT_OPEN');
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(res.headers['x-correlation-id']).toBe(res.body.correlationId);
      }
      expect(t.openai.stats().requests).toBe(4);
      expect((await breaker()).stats.rejects).toBe(10);
    });

    it('after resetTimeout lets exactly one of 50 concurrent calls probe; success closes it', async () => {
      await openTheBreaker();
      // The probe answers slowly, so all 50 calls arrive while it is in flight.
      t.openai.setBehaviour({ latencyMs: 1000 });
      await waitFor(breaker, (b) => b.state === 'half-open');
      const before = t.openai.stats().requests;
      const results = await askMany(50);
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 503 && r.body.error.code === 'UPSTREAM_CIRCUIT_OPEN')).toHaveLength(49);
      expect(t.openai.stats().requests - before).toBe(1);
      expect((await breaker()).state).toBe('closed');
      await ask().expect(200);
    });

    it('a failed probe re-opens it', async () => {
      await openTheBreaker();
      await waitFor(breaker, (b) => b.state === 'half-open');
      await ask().expect(502);
      expect((await breaker()).state).toBe('open');
      await ask().expect(503);
      expect(await openTransitions()).toBe(2);
    });

    it('20 simultaneous failures cause one transition to open', async () => {
      t.openai.setBehaviour({ status: 500, latencyMs: 50 });
      const results = await askMany(20);
      expect(results.every((r) => r.status === 502 || r.status === 503)).toBe(true);
      expect((await breaker()).state).toBe('open');
      expect(await openTransitions()).toBe(1);
    });

    it('a 400 never trips it, and 401 names a configuration problem', async () => {
      t.openai.setBehaviour({ status: 400 });
      for (let i = 0; i < 8; i++) expect((await ask().expect(502)).body.error.code).toBe('UPSTREAM_REJECTED');
      expect((await breaker()).state).toBe('closed');
      t.openai.setBehaviour({ status: 401 });
      const res = await ask().expect(502);
      expect(res.body.error.code).toBe('UPSTREAM_AUTH_FAILED');
      expect(res.body.error.message).toMatch(/credentials/);
      expect((await breaker()).state).toBe('closed');
      expect(t.openai.stats().requests).toBe(9);
    });

    it('a 200 with an error body, or with empty content, counts as a failure', async () => {
      t.openai.setBehaviour({ errorBody: true });
      expect((await ask().expect(502)).body.error.code).toBe('UPSTREAM_ERROR');
      t.openai.setBehaviour({ emptyContent: true });
      expect((await ask().expect(502)).body.error.code).toBe('UPSTREAM_ERROR');
      expect((await breaker()).stats.failures).toBe(2);
    });

    it('an admin resets it (audit-logged); without the token the reset is refused', async () => {
      await openTheBreaker();
      await t.http.post('/api/admin/circuit-breakers/openai/reset').expect(401);
      await t.http.post('/api/admin/circuit-breakers/nope/reset').set('x-admin-token', ADMIN_TOKEN).expect(404);
      await t.http.post('/api/admin/circuit-breakers/..%2Fx/reset').set('x-admin-token', ADMIN_TOKEN).expect(400);
      const reset = await t.http.post('/api/admin/circuit-breakers/openai/reset').set('x-admin-token', ADMIN_TOKEN).expect(200);
      expect(reset.body.state).toBe('closed');
      t.openai.setBehaviour({});
      await ask().expect(200);
      const audit = await t.http.get('/api/admin/audit').set('x-admin-token', ADMIN_TOKEN).expect(200);
      expect(audit.body.entries[0]).toMatchObject({ action: 'circuit-breaker.reset', target: 'openai', details: { from: 'open' } });
    });

    it('shows an open breaker as degraded in readiness, which stays up', async () => {
      await openTheBreaker();
      const ready = await t.http.get('/health/ready').expect(200);
      expect(ready.body.details.circuitBreakers).toMatchObject({ status: 'up', openai: 'open', degraded: true });
      const status = await t.http.get('/api/chat/key-status').expect(200);
      expect(status.body.providers).toContainEqual(expect.objectContaining({ provider: 'openai', configured: true, breaker: 'open' }));
      expect(JSON.stringify(status.body)).not.toContain('sk-test');
    });
  });

  describe('timeouts, retries and deadline', () => {
    it('cuts a hung upstream at the attempt timeout and closes its socket', async () => {
      t = await startLlmTestApp({ models: TWO_PROVIDER_MODELS, env: { LLM_ATTEMPT_TIMEOUT_MS: '500' } });
      t.openai.setBehaviour({ hang: true });
      const res = await ask().expect(504);
      expect(res.body.error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { provider: 'openai' } });
      await waitFor(async () => t.openai.stats(), (s) => s.aborted === 1 && s.inFlight === 0);
      expect((await breaker()).stats.timeouts).toBe(1);
    });

    it('retries only retryable statuses and honours Retry-After', async () => {
      t = await startLlmTestApp({ models: TWO_PROVIDER_MODELS, env: { LLM_MAX_RETRIES: '2' } });
      t.openai.setBehaviour({ status: 503, failFirst: 2 });
      await ask().expect(200);
      expect(t.openai.stats().requests).toBe(3);

      t.openai.reset();
      t.openai.setBehaviour({ status: 422 });
      await ask().expect(502);
      expect(t.openai.stats().requests).toBe(1);

      t.openai.reset();
      t.openai.setBehaviour({ status: 429, failFirst: 1, retryAfterSeconds: 1 });
      const started = Date.now();
      await ask().expect(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(t.openai.stats().requests).toBe(2);
    });

    it('stops at the deadline: no retry whose wait would cross it, no attempt beyond it', async () => {
      t = await startLlmTestApp({
        models: TWO_PROVIDER_MODELS,
        env: { LLM_MAX_RETRIES: '5', LLM_DEADLINE_MS: '700', LLM_ATTEMPT_TIMEOUT_MS: '400' },
      });
      t.openai.setBehaviour({ status: 503, retryAfterSeconds: 5 });
      expect((await ask().expect(502)).body.error.code).toBe('UPSTREAM_ERROR');
      expect(t.openai.stats().requests).toBe(1);

      t.openai.reset();
      t.openai.setBehaviour({ hang: true });
      expect((await ask().expect(504)).body.error.code).toBe('UPSTREAM_TIMEOUT');
      // 400 ms, then the rest of the 700 ms deadline: two attempts, both cut.
      expect(t.openai.stats().requests).toBe(2);
      await waitFor(async () => t.openai.stats(), (s) => s.aborted === 2);
    });
  });

  describe('fallbacks, bulkheads and isolation', () => {
    it('falls back to the next model when the primary is open, without calling the primary', async () => {
      t = await startLlmTestApp({ models: TWO_PROVIDER_MODELS, env: { FALLBACK_ENABLED: 'true' } });
      t.openai.setBehaviour({ status: 500 });
      for (let i = 0; i < 4; i++) {
        const res = await ask().expect(200);
        expect(res.body).toMatchObject({ provider: 'perplexity', model: 'backup' });
        expect(res.body.attempts).toEqual([
          { provider: 'openai', model: 'primary', outcome: 'UPSTREAM_ERROR' },
          { provider: 'perplexity', model: 'backup', outcome: 'success' },
        ]);
      }
      const hits = t.openai.stats().requests;
      const res = await ask().expect(200);
      expect(res.body.attempts[0]).toEqual({ provider: 'openai', model: 'primary', outcome: 'SKIPPED', reason: expect.stringContaining('circuit') });
      expect(t.openai.stats().requests).toBe(hits);

      t.perplexity.setBehaviour({ status: 500 });
      const failed = await ask().expect(502);
      expect(failed.body.error.code).toBe('ALL_MODELS_FAILED');
      expect(failed.body.error.details.attempts).toEqual([
        { provider: 'openai', model: 'primary', outcome: 'SKIPPED', reason: expect.stringContaining('circuit') },
        { provider: 'perplexity', model: 'backup', outcome: 'UPSTREAM_ERROR' },
      ]);
    });

    it('refuses overflow beyond the bulkhead queue with 503 UPSTREAM_BUSY and Retry-After', async () => {
      t = await startLlmTestApp({
        models: TWO_PROVIDER_MODELS.replace('openai: { maxConcurrent: 10 }', 'openai: { maxConcurrent: 2, maxQueue: 2 }'),
      });
      t.openai.setBehaviour({ latencyMs: 300 });
      const results = await askMany(8);
      expect(results.filter((r) => r.status === 200)).toHaveLength(4);
      const busy = results.filter((r) => r.status === 503);
      expect(busy).toHaveLength(4);
      for (const res of busy) {
        expect(res.body.error.code).toBe('UPSTREAM_BUSY');
        expect(res.headers['retry-after']).toBe('1');
      }
      expect(t.openai.stats()).toMatchObject({ requests: 4, maxInFlight: 2 });
    });

    it("gives up a queued call when its wait exceeds the bulkhead's limit", async () => {
      t = await startLlmTestApp({
        models: TWO_PROVIDER_MODELS.replace('openai: { maxConcurrent: 10 }', 'openai: { maxConcurrent: 1, maxQueue: 5, maxQueueWaitMs: 100 }'),
      });
      t.openai.setBehaviour({ latencyMs: 400 });
      const [first, second] = await askMany(2);
      expect(first.status).toBe(200);
      expect(second.body.error).toMatchObject({ code: 'UPSTREAM_BUSY', details: { reason: 'wait_exceeded' } });
      expect(t.openai.stats().requests).toBe(1);
    });

    it("provider A's outage adds no latency to provider B", async () => {
      t = await startLlmTestApp({ models: TWO_PROVIDER_MODELS, env: { LLM_ATTEMPT_TIMEOUT_MS: '3000' } });
      t.openai.setBehaviour({ hang: true });
      const stuck = askMany(10);
      await waitFor(async () => t.openai.stats(), (s) => s.inFlight === 10);
      const research = await t.http.post('/api/chat').send({ agentId: 'research-agent', input: 'latest CVEs in express?' }).expect(200);
      expect(research.body.provider).toBe('perplexity');
      // B answered while all ten calls to A were still hanging.
      expect(t.openai.stats().inFlight).toBe(10);
      await t.close();
      await stuck;
    });
  });

  describe('failure semantics on the default chain (gpt-4o-mini, then gpt-4o on the same provider)', () => {
    it('without a key: 503 PROVIDER_NOT_CONFIGURED naming the variable, every model skipped, nothing sent', async () => {
      t = await startLlmTestApp({ env: { OPENAI_API_KEY: '', FALLBACK_ENABLED: 'true' } });
      const res = await ask().expect(503);
      expect(res.body.error).toMatchObject({ code: 'PROVIDER_NOT_CONFIGURED', message: 'openai is not configured: set OPENAI_API_KEY', details: { variable: 'OPENAI_API_KEY' } });
      expect(res.body.error.details.attempts).toEqual([
        { provider: 'openai', model: 'gpt-4o-mini', outcome: 'SKIPPED', reason: 'openai is not configured: set OPENAI_API_KEY' },
        { provider: 'openai', model: 'gpt-4o', outcome: 'SKIPPED', reason: 'openai is not configured: set OPENAI_API_KEY' },
      ]);
      expect(t.openai.stats().requests).toBe(0);
    });

    it('upstream failing: 502 ALL_MODELS_FAILED; once the breaker opens, 503 UPSTREAM_CIRCUIT_OPEN with Retry-After and no upstream hit', async () => {
      t = await startLlmTestApp({ env: { FALLBACK_ENABLED: 'true' } });
      t.openai.setBehaviour({ status: 500 });
      const first = await ask().expect(502);
      expect(first.body.error.code).toBe('ALL_MODELS_FAILED');
      expect(first.body.error.details.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['UPSTREAM_ERROR', 'UPSTREAM_ERROR']);
      for (let i = 0; i < 10 && (await breaker()).state !== 'open'; i++) await ask();
      expect((await breaker()).state).toBe('open');
      const hits = t.openai.stats().requests;
      const res = await ask().expect(503);
      expect(res.body.error.code).toBe('UPSTREAM_CIRCUIT_OPEN');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(res.body.error.details.attempts.map((a: { model: string; outcome: string }) => [a.model, a.outcome])).toEqual([
        ['gpt-4o-mini', 'SKIPPED'],
        ['gpt-4o', 'SKIPPED'],
      ]);
      expect(t.openai.stats().requests).toBe(hits);
    });
  });

  describe('configuration', () => {
    it('never calls a provider without a usable key: 503 PROVIDER_NOT_CONFIGURED naming the variable', async () => {
      for (const key of ['', 'sk-your-key-here-please-0000', 'short-key']) {
        t = await startLlmTestApp({ env: { OPENAI_API_KEY: key } });
        const res = await ask().expect(503);
        expect(res.body.error).toMatchObject({ code: 'PROVIDER_NOT_CONFIGURED', details: { variable: 'OPENAI_API_KEY' } });
        expect(res.body.error.message).toContain('OPENAI_API_KEY');
        const status = await t.http.get('/api/chat/key-status').expect(200);
        expect(status.body.providers).toContainEqual(expect.objectContaining({ provider: 'openai', configured: false }));
        expect(t.openai.stats().requests).toBe(0);
        await t.dispose();
      }
    });

    it('CIRCUIT_BREAKER_ENABLED=false lets every call through (the rollback switch)', async () => {
      t = await startLlmTestApp({ models: TWO_PROVIDER_MODELS, env: { CIRCUIT_BREAKER_ENABLED: 'false' } });
      t.openai.setBehaviour({ status: 500 });
      for (let i = 0; i < 8; i++) expect((await ask()).body.error.code).toBe('UPSTREAM_ERROR');
      expect(t.openai.stats().requests).toBe(8);
      expect(await breaker()).toMatchObject({ state: 'closed', enabled: false });
    });
  });
});
