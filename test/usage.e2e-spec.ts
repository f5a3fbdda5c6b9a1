import { createHash } from 'node:crypto';
import { BootError } from '../src/infra/lifecycle/boot-error';
import { startLlmTestApp, type LlmTestApp } from './support/llm-app';
import { ADMIN_TOKEN, startTestApp } from './support/test-app';
import { clearOfMinuteBoundary } from './support/wait-for';

const TEAM = 'team-key-0123456789abcdef';
const BOT = 'bot-key-0123456789abcdefgh';
const keyId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 12);

describe('usage per API key, and per-key limits', () => {
  let t: LlmTestApp;

  beforeAll(async () => {
    t = await startLlmTestApp({ env: { API_KEYS: `${TEAM},${BOT}`, API_KEY_LIMITS: `${keyId(TEAM)}:3:0, ${keyId(BOT)}:0:40` } });
  });
  afterAll(() => t?.dispose());

  it('refuses a key past its requests per minute with 429 and Retry-After, on every LLM route, in each route\'s error shape', async () => {
    await clearOfMinuteBoundary();
    for (let i = 0; i < 3; i++) await t.http.post('/api/chat/direct').set('x-api-key', TEAM).send({ message: `hello ${i}` }).expect(200);
    const refused = await t.http.post('/api/chat/direct').set('x-api-key', TEAM).send({ message: 'again' }).expect(429);
    expect(refused.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { keyId: keyId(TEAM), limit: 'requestsPerMinute', requestsPerMinute: 3 } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    const openai = await t.http
      .post('/v1/chat/completions')
      .set('authorization', `Bearer ${TEAM}`)
      .send({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .expect(429);
    expect(openai.body.error).toMatchObject({ type: 'rate_limit_error', code: 'RATE_LIMITED' });
    expect(openai.headers['retry-after']).toBeDefined();
    // Another key is not affected; the model list is not an LLM call.
    await t.http.get('/v1/models').set('authorization', `Bearer ${TEAM}`).expect(200);
    expect(t.openai.stats().requests).toBe(3);
  });

  it('refuses a key whose tokens for the day are spent, streams included', async () => {
    const first = await t.http.post('/api/chat/direct').set('x-api-key', BOT).send({ message: 'summarise the release notes please' }).expect(200);
    expect(first.body.usage.totalTokens).toBeGreaterThanOrEqual(40);
    const refused = await t.http.post('/api/chat/direct').set('x-api-key', BOT).send({ message: 'more', stream: true }).expect(429);
    expect(refused.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'tokensPerDay', tokensPerDay: 40 } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('reports requests and tokens per keyId, never a key, in GET /api/admin/usage and /metrics', async () => {
    const res = await t.http.get('/api/admin/usage').set('x-api-key', TEAM).set('x-admin-token', ADMIN_TOKEN).expect(200);
    const byId = Object.fromEntries(res.body.keys.map((k: { keyId: string }) => [k.keyId, k]));
    expect(byId[keyId(TEAM)]).toMatchObject({ requests: 5, promptTokens: expect.any(Number), completionTokens: expect.any(Number) });
    expect(byId[keyId(TEAM)].completionTokens).toBeGreaterThan(0);
    expect(byId[keyId(BOT)]).toMatchObject({ requests: 2 });
    expect(JSON.stringify(res.body)).not.toContain(TEAM.slice(0, 10));
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    expect(metrics).toContain(`bsm_api_key_requests_total{key_id="${keyId(TEAM)}"} 5`);
    expect(metrics).toMatch(new RegExp(`bsm_api_key_tokens_total\\{key_id="${keyId(BOT)}",kind="prompt"\\} \\d+`));
  });
});

describe('API_KEY_LIMITS at boot', () => {
  it('refuses a malformed entry, quoting it, and a keyId that is no API_KEYS entry', async () => {
    const malformed = (await startTestApp({ env: { API_KEYS: TEAM, API_KEY_LIMITS: 'team:10' } }).catch((e: unknown) => e)) as Error;
    expect(malformed.message).toContain('API_KEY_LIMITS');
    expect(malformed.message).toContain('team:10');
    const unknown = (await startTestApp({ env: { API_KEYS: TEAM, API_KEY_LIMITS: 'aaaaaaaaaaaa:10:0' } }).catch((e: unknown) => e)) as BootError;
    expect(unknown).toBeInstanceOf(BootError);
    expect(unknown.problems).toEqual(['"aaaaaaaaaaaa" is not the keyId of any API_KEYS entry']);
  });
});
