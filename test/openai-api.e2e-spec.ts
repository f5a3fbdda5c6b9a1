import OpenAI, { APIError, AuthenticationError, BadRequestError, NotFoundError } from 'openai';
import { startLlmTestApp, type LlmTestApp } from './support/llm-app';
import { ADMIN_TOKEN } from './support/test-app';

const ANSWER = 'Roll back by redeploying the previous image tag.';

describe('OpenAI-compatible API, with the official openai SDK as the client', () => {
  let t: LlmTestApp;
  let client: OpenAI;

  beforeAll(async () => {
    t = await startLlmTestApp({ env: { FALLBACK_ENABLED: 'true', BREAKER_VOLUME_THRESHOLD: '50' } });
    client = new OpenAI({ apiKey: 'unused-without-API_KEYS', baseURL: `${t.baseUrl}/v1`, maxRetries: 0 });
  });
  afterAll(() => t?.dispose());
  beforeEach(async () => {
    t.openai.reset();
    await t.http.post('/api/admin/circuit-breakers/openai/reset').set('x-admin-token', ADMIN_TOKEN).expect(200);
  });

  it('lists the models of models.yaml', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push([model.id, model.owned_by]);
    expect(ids).toEqual(expect.arrayContaining([['gpt-4o-mini', 'openai'], ['gpt-4o', 'openai'], ['sonar', 'perplexity']]));
  });

  it('answers a completion in OpenAI\'s format, with a correlation id and usage', async () => {
    t.openai.setBehaviour({ content: ANSWER });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'How do we roll back?' }] })
      .withResponse();
    expect(data.choices[0].message).toMatchObject({ role: 'assistant', content: ANSWER });
    expect(data.choices[0].finish_reason).toBe('stop');
    expect(data.model).toBe('gpt-4o-mini');
    expect(data.usage).toMatchObject({ completion_tokens: Math.ceil(ANSWER.length / 4), prompt_tokens: expect.any(Number) });
    const correlationId = response.headers.get('x-correlation-id');
    expect(data.id).toBe(`chatcmpl-${correlationId}`);
    expect(t.openai.stats().lastCorrelationId).toBe(correlationId);
  });

  it('streams OpenAI chunks, with the usage when asked', async () => {
    t.openai.setBehaviour({ content: ANSWER, chunkSize: 6 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'How do we roll back?' }] }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(ANSWER);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ completion_tokens: Math.ceil(ANSWER.length / 4) });
  });

  it('falls back along the chain, streaming or not', async () => {
    t.openai.setBehaviour({ status: 500 }, 'gpt-4o-mini');
    t.openai.setBehaviour({ content: ANSWER }, 'gpt-4o');
    const plain = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(plain).toMatchObject({ model: 'gpt-4o', choices: [{ message: { content: ANSWER } }] });
    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    expect(text).toBe(ANSWER);
  });

  it('routes a task alias to its medium model', async () => {
    t.openai.setBehaviour({ content: ANSWER });
    const completion = await client.chat.completions.create({ model: 'code_review', messages: [{ role: 'user', content: 'review this' }] });
    expect(completion.model).toBe('gpt-4o-mini');
    expect(t.openai.stats().byModel).toEqual({ 'gpt-4o-mini': 1 });
  });

  it('surfaces an open breaker as the SDK\'s 503 error with Retry-After', async () => {
    t.openai.setBehaviour({ status: 500 });
    let error: APIError | undefined;
    for (let i = 0; i < 60 && error?.status !== 503; i++) {
      error = (await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as APIError;
    }
    expect(error).toBeInstanceOf(APIError);
    expect(error!.status).toBe(503);
    expect(error!.code).toBe('UPSTREAM_CIRCUIT_OPEN');
    expect(error!.type).toBe('api_error');
    expect(Number(error!.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(error!.headers?.get('x-correlation-id')).toBeTruthy();
  });

  it('ends a stream cut after its first content with an error the SDK throws', async () => {
    t.openai.setBehaviour({ content: ANSWER, chunkSize: 5, chunkDelayMs: 20, cutAfterChunks: 2 });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
        text += chunk.choices[0]?.delta?.content ?? '';
      }
    })().catch((e: unknown) => e as APIError);
    expect(text).toBe(ANSWER.slice(0, 10));
    expect(failure).toBeInstanceOf(APIError);
    expect(failure!.message).toContain('stopped after 10 characters');
  });

  it('refuses an unknown model (404) and a bad request (400) in OpenAI\'s shape, naming the field', async () => {
    const unknown = await client.chat.completions.create({ model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown as APIError).code).toBe('MODEL_NOT_FOUND');
    const empty = await client.chat.completions.create({ model: 'gpt-4o', messages: [] }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(BadRequestError);
    expect((empty as APIError).error).toMatchObject({ type: 'invalid_request_error', code: 'VALIDATION_FAILED', param: 'messages' });
    const raw = await t.http.post('/v1/chat/completions').send({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], n: 2, tools: [] }).expect(400);
    expect(raw.body.error.message).toContain('n must be 1');
    expect(raw.body.error.message).toContain('property tools should not exist');
    expect(raw.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.openai.stats().requests).toBe(0);
  });
});

describe('OpenAI-compatible API behind API_KEYS', () => {
  const KEY = 'team-key-0123456789abcdef';
  let t: LlmTestApp;

  beforeAll(async () => {
    t = await startLlmTestApp({ env: { API_KEYS: KEY } });
  });
  afterAll(() => t?.dispose());

  it('takes the key as the SDK sends it (Bearer), and refuses another with the SDK\'s 401', async () => {
    const good = new OpenAI({ apiKey: KEY, baseURL: `${t.baseUrl}/v1`, maxRetries: 0 });
    expect((await good.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).choices).toHaveLength(1);
    const bad = new OpenAI({ apiKey: 'wrong-key-0123456789abcdef', baseURL: `${t.baseUrl}/v1`, maxRetries: 0 });
    const error = await bad.models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as APIError).error).toMatchObject({ type: 'authentication_error', code: 'UNAUTHORIZED' });
  });
});
