import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { ProbeModule } from './support/probe.module';
import { ADMIN_TOKEN, startTestApp, type TestApp } from './support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectEnvelope(res: { body: any; headers: Record<string, string> }, code: string): void {
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.correlationId).toBe(res.headers['x-correlation-id']);
  expect(res.body.correlationId).toBeTruthy();
}

describe('request pipeline (defaults)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ modules: [ProbeModule], env: { BODY_LIMIT: '2kb', CORS_ORIGINS: 'https://app.example.com' } });
  });
  afterAll(() => t?.dispose());

  describe('correlation id', () => {
    it('is generated when absent', async () => {
      const res = await t.http.get('/api/status').expect(200);
      expect(res.headers['x-correlation-id']).toMatch(UUID);
    });

    it('is accepted when safe', async () => {
      const res = await t.http.get('/api/status').set('x-correlation-id', 'client.req-42_A').expect(200);
      expect(res.headers['x-correlation-id']).toBe('client.req-42_A');
    });

    it.each([['has spaces'], ['x'.repeat(129)], ['<script>'], ['semi;colon'], ['']])('is replaced when unsafe: "%s"', async (bad) => {
      const res = await t.http.get('/api/status').set('x-correlation-id', bad);
      expect(res.headers['x-correlation-id']).toMatch(UUID);
    });

    it('is on malformed-JSON errors, with code INVALID_JSON', async () => {
      const res = await t.http
        .post('/api/probe/items')
        .set('content-type', 'application/json')
        .set('x-correlation-id', 'bad-json-1')
        .send('{"name": ')
        .expect(400);
      expectEnvelope(res, 'INVALID_JSON');
      expect(res.body.correlationId).toBe('bad-json-1');
    });

    it('is on 404s, with code NOT_FOUND', async () => {
      const res = await t.http.get('/api/nothing-here').set('x-correlation-id', 'nf-1').expect(404);
      expectEnvelope(res, 'NOT_FOUND');
      expect(res.body.correlationId).toBe('nf-1');
      expect(res.body.error.message).toContain('/api/nothing-here');
    });

    it.each([
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ])('answers a corrupt %s body 400 INVALID_BODY, a good one 201, and one inflating past the limit 413', async (encoding, compress) => {
      const post = (body: Buffer) =>
        // serialize: as it is, or superagent would JSON-encode the Buffer itself.
        t.http.post('/api/probe/items').set('content-type', 'application/json').set('content-encoding', encoding).serialize((b) => b).send(body);
      const good = compress(Buffer.from(JSON.stringify({ name: 'ok' })));
      const ok = await post(good);
      expect([ok.status, ok.body]).toEqual([201, { created: 'ok' }]);
      const corrupt = Buffer.concat([good.subarray(0, 4), Buffer.from('not compressed at all, really'), good.subarray(4)]);
      const res = await post(corrupt).expect(400);
      expectEnvelope(res, 'INVALID_BODY');
      expect(res.body.error.details).toEqual({ contentEncoding: encoding });
      const bomb = compress(Buffer.from(JSON.stringify({ name: 'x'.repeat(100_000) })));
      expect(bomb.length).toBeLessThan(2048);
      expectEnvelope(await post(bomb).expect(413), 'PAYLOAD_TOO_LARGE');
      expectEnvelope(await t.http.post('/api/probe/items').set('content-type', 'application/json').set('content-encoding', 'x-unknown').send('{}').expect(415), 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('is on 413s, with code PAYLOAD_TOO_LARGE', async () => {
      const res = await t.http
        .post('/api/probe/items')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(4096) }))
        .expect(413);
      expectEnvelope(res, 'PAYLOAD_TOO_LARGE');
    });
  });

  it('VALIDATION_FAILED names each field', async () => {
    const res = await t.http.post('/api/probe/items').send({ name: 'far too long a name', extra: 1 }).expect(400);
    expectEnvelope(res, 'VALIDATION_FAILED');
    const fields = res.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['extra', 'name']);
  });

  it('INTERNAL_ERROR hides the cause, the stack and any secret', async () => {
    const res = await t.http.get('/api/probe/crash').expect(500);
    expectEnvelope(res, 'INTERNAL_ERROR');
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('postgres://');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('FORBIDDEN for a guard that refuses', async () => {
    expectEnvelope(await t.http.get('/api/probe/denied').expect(403), 'FORBIDDEN');
  });

  it('mounts Swagger UI and its document behind every feature route', async () => {
    const stack = (t.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string } }> } }).router.stack;
    const at = (path: string) => stack.findIndex((layer) => layer.route?.path === path);
    expect(at('/docs-json')).toBeGreaterThan(at('/api/agents'));
    expect(at('/docs-json')).toBeGreaterThan(at('/health/live'));
    expect(at('/api/agents')).toBeGreaterThanOrEqual(0);
    expect((await t.http.get('/docs-json').expect(200)).body.openapi).toMatch(/^3\./);
    expect((await t.http.get('/docs/').expect(200)).text).toContain('swagger-ui');
  });

  it('sets helmet headers', async () => {
    const res = await t.http.get('/health/live').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  describe('CORS', () => {
    it('allows a listed origin, its preflight included', async () => {
      const res = await t.http.get('/api/status').set('origin', 'https://app.example.com').expect(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(res.headers['access-control-expose-headers']).toBe('x-correlation-id,Retry-After');
      const preflight = await t.http
        .options('/api/chat')
        .set('origin', 'https://app.example.com')
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'content-type')
        .expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(preflight.headers['access-control-allow-methods']).toContain('POST');
      expect(preflight.headers['access-control-allow-headers']).toBe('content-type');
    });

    it('gives an unlisted origin no CORS headers and no error', async () => {
      const res = await t.http.get('/api/status').set('origin', 'https://evil.example.net').expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await t.http
        .options('/api/status')
        .set('origin', 'https://evil.example.net')
        .set('access-control-request-method', 'GET');
      expect(preflight.status).toBeLessThan(500);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('admin guard', () => {
    it('refuses a missing token with UNAUTHORIZED', async () => {
      expectEnvelope(await t.http.get('/api/admin/audit').expect(401), 'UNAUTHORIZED');
    });

    it('refuses a wrong token', async () => {
      expectEnvelope(await t.http.get('/api/admin/audit').set('x-admin-token', `${ADMIN_TOKEN}x`).expect(401), 'UNAUTHORIZED');
    });

    it('refuses a token in the query string', async () => {
      const res = await t.http.get(`/api/admin/audit?token=${ADMIN_TOKEN}&x-admin-token=${ADMIN_TOKEN}`);
      expect([400, 401]).toContain(res.status);
      expect(['UNAUTHORIZED', 'VALIDATION_FAILED']).toContain(res.body.error.code);
      const plain = await t.http.get(`/api/admin/audit?adminToken=${ADMIN_TOKEN}`);
      expect(plain.status).not.toBe(200);
    });

    it('accepts the right token in x-admin-token or Authorization: Bearer', async () => {
      await t.http.get('/api/admin/audit').set('x-admin-token', ADMIN_TOKEN).expect(200);
      const res = await t.http.get('/api/admin/audit').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
      expect(res.body).toEqual({ entries: [], nextCursor: null });
    });

    it('validates admin query parameters', async () => {
      const res = await t.http.get('/api/admin/audit?limit=1000').set('x-admin-token', ADMIN_TOKEN).expect(400);
      expectEnvelope(res, 'VALIDATION_FAILED');
      expect(res.body.error.details[0].field).toBe('limit');
    });
  });

  it('labels request metrics with the route template, never the raw path', async () => {
    await t.http.get('/api/probe/items/abc-123').expect(200);
    await t.http.get('/api/probe/items/zzz-999').expect(200);
    await t.http.get('/api/nowhere/secret-path').expect(404);
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/probe\/items\/:id",status="200"\} 2/);
    expect(res.text).not.toContain('abc-123');
    expect(res.text).not.toContain('secret-path');
    expect(res.text).toContain('route="(unmatched)"');
    expect(res.text).toContain('nodejs_eventloop_lag_seconds');
    expect(res.text).toContain('process_resident_memory_bytes');
  });

  it('serves status, liveness, readiness and the health alias', async () => {
    const status = await t.http.get('/api/status').expect(200);
    expect(status.body).toMatchObject({
      name: 'bsm',
      environment: 'test',
      storage: expect.stringMatching(/^(embedded|postgres)$/),
      cache: 'memory',
      featureFlags: { mobileMode: false, lanOnly: false, safeMode: false, circuitBreakerEnabled: true, cacheStampedeProtection: true },
    });
    expect((await t.http.get('/health/live').expect(200)).body.status).toBe('ok');
    expect((await t.http.get('/health').expect(200)).body.status).toBe('ok');
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.info.storage.status).toBe('up');
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_TTL_MS: '60000', TRUST_PROXY: 'true' } });
  });
  afterAll(() => t?.dispose());

  it('counts per client across routes, and says how much is left', async () => {
    const first = await t.http.get('/api/status').set('x-forwarded-for', '10.9.0.1').expect(200);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    await t.http.get('/api/agents').set('x-forwarded-for', '10.9.0.1').expect(200);
    const last = await t.http.get('/api/knowledge').set('x-forwarded-for', '10.9.0.1').expect(200);
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
    expectEnvelope(await t.http.get('/api/agents').set('x-forwarded-for', '10.9.0.1').expect(429), 'RATE_LIMITED');
    // Another client has its own window; an IPv6 client is counted by its /64.
    await t.http.get('/api/status').set('x-forwarded-for', '10.9.0.2').expect(200);
    for (const suffix of ['1', '2', '3']) await t.http.get('/api/status').set('x-forwarded-for', `2001:db8:1:2::${suffix}`).expect(200);
    await t.http.get('/api/status').set('x-forwarded-for', '2001:db8:1:2::99').expect(429);
  });

  it('answers 429 RATE_LIMITED with Retry-After and the correlation id past the limit; health stays exempt', async () => {
    for (let i = 0; i < 3; i += 1) await t.http.get('/api/status').expect(200);
    const res = await t.http.get('/api/status').set('x-correlation-id', 'limited-1').expect(429);
    expect(res.body.error.details).toEqual({ limit: 3, windowMs: 60000 });
    expectEnvelope(res, 'RATE_LIMITED');
    expect(res.body.correlationId).toBe('limited-1');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    await t.http.get('/health/live').expect(200);
    await t.http.get('/metrics').expect(200);
  });
});

describe('LAN_ONLY', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LAN_ONLY: 'yes', TRUST_PROXY: 'true' } });
  });
  afterAll(() => t?.dispose());

  it.each([['127.0.0.1'], ['10.1.2.3'], ['172.20.0.5'], ['192.168.1.9'], ['::1'], ['fd12:3456::1']])('serves %s', async (ip) => {
    await t.http.get('/api/status').set('x-forwarded-for', ip).expect(200);
  });

  it.each([['8.8.8.8'], ['172.32.0.1'], ['2001:db8::1']])('refuses %s with LAN_ONLY_VIOLATION', async (ip) => {
    expectEnvelope(await t.http.get('/api/status').set('x-forwarded-for', ip).expect(403), 'LAN_ONLY_VIOLATION');
  });

  it('keeps health and metrics open to any client', async () => {
    await t.http.get('/health/ready').set('x-forwarded-for', '8.8.8.8').expect(200);
    await t.http.get('/metrics').set('x-forwarded-for', '8.8.8.8').expect(200);
  });
});

describe('MOBILE_MODE', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ modules: [ProbeModule], env: { MOBILE_MODE: 'on' } });
  });
  afterAll(() => t?.dispose());

  it('refuses mutating routes with MOBILE_MODE_RESTRICTION and keeps reads open', async () => {
    expectEnvelope(await t.http.post('/api/probe/items').send({ name: 'a' }).expect(403), 'MOBILE_MODE_RESTRICTION');
    await t.http.get('/api/probe/items/1').expect(200);
    expect((await t.http.get('/api/status').expect(200)).body.featureFlags.mobileMode).toBe(true);
  });
});

describe('ADMIN_TOKEN unset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_TOKEN: '' } });
  });
  afterAll(() => t?.dispose());

  it('refuses admin routes with 403 ADMIN_DISABLED, even with a token', async () => {
    expectEnvelope(await t.http.get('/api/admin/audit').expect(403), 'ADMIN_DISABLED');
    expectEnvelope(await t.http.get('/api/admin/audit').set('x-admin-token', ADMIN_TOKEN).expect(403), 'ADMIN_DISABLED');
  });
});

describe('API_KEYS', () => {
  const KEY = 'client-key-0123456789abcdef';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      modules: [ProbeModule],
      env: { API_KEYS: `other-key-0123456789abcd, ${KEY}`, LAN_ONLY: 'true', TRUST_PROXY: 'true', RATE_LIMIT_MAX: '1' },
    });
  });
  afterAll(() => t?.dispose());

  it('requires a key on /api routes', async () => {
    const res = await t.http.get('/api/status').set('x-forwarded-for', '10.0.0.1').expect(401);
    expectEnvelope(res, 'UNAUTHORIZED');
    expect(res.body.error.message).toContain('x-api-key');
    expectEnvelope(
      await t.http.get('/api/status').set('x-forwarded-for', '10.0.0.2').set('x-api-key', 'wrong-key-0123456789abcdef').expect(401),
      'UNAUTHORIZED',
    );
  });

  it('accepts any listed key in x-api-key or Authorization: Bearer', async () => {
    await t.http.get('/api/status').set('x-forwarded-for', '10.0.0.3').set('x-api-key', KEY).expect(200);
    await t.http.get('/api/status').set('x-forwarded-for', '10.0.0.4').set('authorization', `Bearer ${KEY}`).expect(200);
  });

  it('exempts signed (webhook) routes from API keys, LAN_ONLY and the rate limit', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect((await t.http.post('/api/probe/signed').set('x-forwarded-for', '8.8.8.8').expect(201)).body).toEqual({ accepted: true });
    }
  });

  it('leaves health, metrics and docs open', async () => {
    await t.http.get('/health/live').expect(200);
    await t.http.get('/metrics').expect(200);
    await t.http.get('/docs-json').expect(200);
  });

  it('works alongside the admin token', async () => {
    await t.http.get('/api/admin/audit').set('x-forwarded-for', '10.0.0.5').set('x-api-key', KEY).set('x-admin-token', ADMIN_TOKEN).expect(200);
  });
});

describe('API_KEYS off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.dispose());

  it('serves /api without a key', async () => {
    await t.http.get('/api/status').expect(200);
  });
});
