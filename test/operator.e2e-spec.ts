import { Database } from '../src/infra/storage/database';
import { startLlmTestApp, waitFor, type LlmTestApp } from './support/llm-app';
import { APPROVE_JSON, pullRequest } from './support/pull-requests';

describe('operator view: JSON metrics, detailed health, /metrics families', () => {
  let t: LlmTestApp;
  afterEach(() => t?.dispose());

  it('keeps the last hour in /api/metrics/history: traffic, 5xx, reviews by decision, breaker openings', async () => {
    t = await startLlmTestApp({ openaiBehaviour: { content: APPROVE_JSON } });
    expect((await t.http.get('/api/metrics/history?minutes=0').expect(400)).body.error.details[0].field).toBe('minutes');
    await t.http.get('/api/metrics/history?minutes=61').expect(400);
    for (let i = 0; i < 10; i++) await t.http.get('/api/agents').expect(200);
    const id = (await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: pullRequest() }).expect(202)).body.jobId;
    await waitFor(async () => (await t.http.get(`/api/orchestrator/jobs/${id}`)).body.status, (status) => status === 'completed', 10_000);
    t.openai.setBehaviour({ status: 500 });
    for (let i = 0; i < 6; i++) await t.http.post('/api/chat/direct').send({ message: 'hello' });
    // The test may straddle the end of a 10-second interval: read its samples together.
    type Sample = { perSecond: number; errorRate: number; latencyMs: { p99: number }; reviews: Record<string, number>; breakerOpenings: string[] };
    const samples: Sample[] = (await t.http.get('/api/metrics/history').expect(200)).body.samples;
    expect(samples.length).toBeLessThanOrEqual(3);
    expect(Math.max(...samples.map((s) => s.perSecond))).toBeGreaterThan(0);
    expect(Math.max(...samples.map((s) => s.latencyMs.p99))).toBeGreaterThan(0);
    expect(Math.max(...samples.map((s) => s.errorRate))).toBeGreaterThan(0);
    expect(samples.reduce((sum, s) => sum + Object.values(s.reviews).reduce((a, b) => a + b, 0), 0)).toBe(1);
    expect(samples.flatMap((s) => s.breakerOpenings)).toContain('openai');
  });

  it('summarises traffic in /api/metrics, with numbers that move', async () => {
    t = await startLlmTestApp();
    const before = (await t.http.get('/api/metrics').expect(200)).body;
    expect(before).toMatchObject({
      uptimeSeconds: expect.any(Number),
      requests: { perSecond: expect.any(Number), total: expect.any(Number), errorRate: expect.any(Number), latencyMs: { p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number) } },
      memory: { rssMb: expect.any(Number), heapUsedMb: expect.any(Number) },
      eventLoop: { p99Ms: expect.any(Number) },
    });
    for (let i = 0; i < 20; i++) await t.http.get('/api/agents').expect(200);
    await t.http.get('/api/agents/no-such-agent').expect(404);
    const after = (await t.http.get('/api/metrics').expect(200)).body;
    expect(after.requests.total).toBeGreaterThanOrEqual(before.requests.total + 21);
    expect(after.requests.perSecond).toBeGreaterThan(0);
    expect(after.requests.latencyMs.p99).toBeGreaterThan(0);
    const agents = after.caches.find((c: { name: string }) => c.name === 'agents');
    expect(agents.hits).toBeGreaterThanOrEqual(20);
    expect(agents.hitRate).toBeGreaterThan(0.5);
    expect(after.breakers.map((b: { name: string }) => b.name).sort()).toEqual(['github', 'openai', 'perplexity']);
    expect(after.bulkheads).toContainEqual(expect.objectContaining({ name: 'openai', maxConcurrent: 10 }));
  });

  it('exposes every metric family in /metrics, moving under traffic', async () => {
    t = await startLlmTestApp();
    t.openai.setBehaviour({ content: APPROVE_JSON });
    await t.http.post('/api/chat/direct').send({ message: 'hi' }).expect(200);
    const accepted = await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: pullRequest() }).expect(202);
    for (let i = 0; i < 100 && (await t.http.get(`/api/orchestrator/jobs/${accepted.body.jobId}`)).body.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const text = (await t.http.get('/metrics').expect(200)).text;
    for (const family of [
      'http_request_duration_seconds_count{method="POST",route="/api/chat/direct",status="200"} 1',
      'bsm_breaker_state{breaker="openai"} 0',
      'bsm_bulkhead_in_flight{bulkhead="openai"} 0',
      'bsm_llm_call_duration_seconds_count{provider="openai",model="gpt-4o-mini",outcome="success"}',
      'bsm_llm_tokens_total{provider="openai",model="gpt-4o-mini",kind="prompt"}',
      'bsm_cache_events_total{cache="agents",event="hits"}',
      'bsm_orchestrator_jobs_total{event="pull_request.opened",status="completed",decision="approve"} 1',
      'bsm_orchestrator_knowledge_loads_total 1',
      'nodejs_eventloop_lag_p99_seconds',
      'process_resident_memory_bytes',
    ]) {
      expect(text).toContain(family);
    }
  });

  it('reports healthy, degraded with a breaker open, unhealthy (503) with storage down', async () => {
    t = await startLlmTestApp({ env: { BREAKER_VOLUME_THRESHOLD: '1' } });
    const healthy = await t.http.get('/api/health/detailed').expect(200);
    expect(healthy.body).toMatchObject({ status: 'healthy', correlationId: healthy.headers['x-correlation-id'] });
    expect(Object.keys(healthy.body.checks).sort()).toEqual(
      ['agentRegistry', 'caches', 'circuitBreakers', 'environment', 'eventLoop', 'filesystem', 'redis', 'requiredFiles', 'reviewIndex', 'storage'],
    );
    for (const check of Object.values(healthy.body.checks) as { status: string; message: string }[]) {
      expect(check).toMatchObject({ status: 'pass', message: expect.any(String) });
    }

    t.openai.setBehaviour({ status: 500 });
    await t.http.post('/api/chat/direct').send({ message: 'hi' }).expect(502);
    const degraded = await t.http.get('/api/health/detailed').expect(200);
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.checks.circuitBreakers).toMatchObject({ status: 'warn', message: 'not closed: openai' });

    await t.app.get(Database).onApplicationShutdown();
    const unhealthy = await t.http.get('/api/health/detailed').expect(503);
    expect(unhealthy.body.status).toBe('unhealthy');
    expect(unhealthy.body.checks.storage.status).toBe('fail');
  });

  it('warns when no LLM provider is configured', async () => {
    t = await startLlmTestApp({ env: { OPENAI_API_KEY: '', PERPLEXITY_KEY: '' } });
    const res = await t.http.get('/api/health/detailed').expect(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.checks.environment).toMatchObject({ status: 'warn', llmProviders: [] });
  });
});
