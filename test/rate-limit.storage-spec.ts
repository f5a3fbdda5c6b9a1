import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './support/test-app';
import { REDIS_URL, USING_SERVICES } from './support/test-backend';
import { clearOfMinuteBoundary, waitFor } from './support/wait-for';
import { RedisConnection } from '../src/infra/redis/redis-connection';

(USING_SERVICES ? describe : describe.skip)('the rate limit across two instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = { RATE_LIMIT_MAX: '3', RATE_LIMIT_TTL_MS: '60000', TRUST_PROXY: 'true', REDIS_URL, CACHE_NAMESPACE: `bsm-test-${randomBytes(4).toString('hex')}` };
    [a, b] = await Promise.all([startTestApp({ env }), startTestApp({ env })]);
  });
  afterAll(() => Promise.all([a?.dispose(), b?.dispose()]));

  it('counts one window per client whichever instance serves it; another client has its own', async () => {
    await clearOfMinuteBoundary();
    const ask = (t: TestApp, client: string) => t.http.get('/api/status').set('x-forwarded-for', client);
    // The connection to Redis is made in the background: wait until both instances count there.
    await waitFor(async () => a.app.get(RedisConnection).ready && b.app.get(RedisConnection).ready, Boolean);
    expect((await ask(a, '10.7.0.1')).status).toBe(200);
    expect((await ask(b, '10.7.0.1')).status).toBe(200);
    expect((await ask(a, '10.7.0.1')).status).toBe(200);
    const refused = await ask(b, '10.7.0.1');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await ask(b, '10.7.0.2')).status).toBe(200);
  });
});
