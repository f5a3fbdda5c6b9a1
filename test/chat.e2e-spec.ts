import { join } from 'node:path';
import { BootError } from '../src/infra/lifecycle/boot-error';
import { ORIGINAL_FORMAT } from './support/data-dir';
import { startLlmTestApp, TEST_OPENAI_KEY, type LlmTestApp } from './support/llm-app';

describe('chat endpoints', () => {
  let t: LlmTestApp;
  afterEach(() => t?.dispose());

  describe('with our data', () => {
    let shared: LlmTestApp;
    beforeAll(async () => {
      shared = await startLlmTestApp();
    });
    afterAll(() => shared?.dispose());
    beforeEach(() => {
      t = { ...shared, dispose: async () => undefined };
      t.openai.reset();
      t.perplexity.reset();
    });

    it("answers with the agent's model, usage and correlation id, sending instructions, history and language", async () => {
      t.openai.setBehaviour({ content: 'Yes, with conditions.' }, 'gpt-4o');
      const res = await t.http
        .post('/api/chat')
        .set('x-correlation-id', 'chat-test-1')
        .send({
          agentId: 'legal-agent',
          input: 'Can we ship GPL code?',
          history: [
            { role: 'user', content: 'We build a SaaS.' },
            { role: 'assistant', content: 'Noted.' },
          ],
          language: 'ar',
        })
        .expect(200);
      expect(res.body).toMatchObject({
        output: 'Yes, with conditions.',
        agentId: 'legal-agent',
        provider: 'openai',
        model: 'gpt-4o',
        correlationId: 'chat-test-1',
        attempts: [{ provider: 'openai', model: 'gpt-4o', outcome: 'success' }],
      });
      expect(res.body.usage.totalTokens).toBeGreaterThan(0);
      expect(t.openai.stats()).toMatchObject({ byModel: { 'gpt-4o': 1 }, lastCorrelationId: 'chat-test-1' });
    });

    it('accepts `message` as an alias of `input`, and serves /api/agents/run with the same engine', async () => {
      await t.http.post('/api/chat').send({ agentId: 'chat-assistant', message: 'hi' }).expect(200);
      const run = await t.http.post('/api/agents/run').send({ agentId: 'code-review-agent', input: 'review: eval(x)' }).expect(200);
      expect(run.body).toMatchObject({ agentId: 'code-review-agent', provider: 'openai' });
      expect(run.body.output).toContain('review: eval(x)');
    });

    it('routes a search agent to Perplexity and returns its citations', async () => {
      t.perplexity.setBehaviour({ content: 'Two advisories this week.', citations: ['https://example.org/a', 'https://example.org/b'] });
      const res = await t.http.post('/api/chat').send({ agentId: 'research-agent', input: 'express advisories?' }).expect(200);
      expect(res.body).toMatchObject({ provider: 'perplexity', model: 'sonar', citations: ['https://example.org/a', 'https://example.org/b'] });
      expect(t.openai.stats().requests).toBe(0);
    });

    it('direct chat uses the chat_response route', async () => {
      const res = await t.http.post('/api/chat/direct').send({ message: 'how do we roll back?', language: 'en' }).expect(200);
      expect(res.body).toMatchObject({ agentId: null, model: 'gpt-4o-mini', provider: 'openai' });
    });

    it.each([
      ['an unknown agent', { agentId: 'no-such-agent', input: 'x' }, 404, 'AGENT_NOT_FOUND'],
      ['an agent not allowed in chat', { agentId: 'pr-merge-agent', input: 'x' }, 403, 'CONTEXT_NOT_ALLOWED'],
      ['an analyzer agent', { agentId: 'security-agent', input: 'x' }, 403, 'CONTEXT_NOT_ALLOWED'],
      ['an intent the agent has no action for', { agentId: 'chat-assistant', input: 'please create a new agent for billing' }, 403, 'ACTION_NOT_ALLOWED'],
      ['an Arabic intent the agent has no action for', { agentId: 'chat-assistant', input: 'عدّل الملف README' }, 403, 'ACTION_NOT_ALLOWED'],
    ])('refuses %s without calling the provider', async (_, body, status, code) => {
      const res = await t.http.post('/api/chat').send(body).expect(status);
      expect(res.body.error.code).toBe(code);
      expect(t.openai.stats().requests).toBe(0);
    });

    it('lets an agent with the action through (a permission check only, nothing executed)', async () => {
      await t.http.post('/api/chat').send({ agentId: 'legal-agent', input: 'create an agent for contract review' }).expect(200);
      expect(t.openai.stats().requests).toBe(1);
    });

    it('refuses to chat with an analyzer: it runs in orchestrator jobs', async () => {
      const res = await t.http.post('/api/agents/run').send({ agentId: 'security-agent', input: 'x' }).expect(409);
      expect(res.body.error.code).toBe('AGENT_NOT_CHATTABLE');
    });

    it.each([
      [{ agentId: 'legal-agent' }, 'input'],
      [{ agentId: 'legal-agent', input: '' }, 'input'],
      [{ agentId: 'Legal Agent', input: 'x' }, 'agentId'],
      [{ agentId: 'legal-agent', input: 'x', language: 'fr' }, 'language'],
      [{ agentId: 'legal-agent', input: 'x'.repeat(16_001) }, 'input'],
      [{ agentId: 'legal-agent', input: 'x', history: Array.from({ length: 21 }, () => ({ role: 'user', content: 'x' })) }, 'history'],
      [{ agentId: 'legal-agent', input: 'x', history: [{ role: 'system', content: 'x' }] }, 'history.0.role'],
      [{ agentId: 'legal-agent', input: 'x', history: [{ role: 'user', content: 'x'.repeat(4001) }] }, 'history.0.content'],
      [{ agentId: 'legal-agent', input: 'x', temperature: 2 }, 'temperature'],
    ])('rejects a bad body (case %#) naming the field', async (body, field) => {
      const res = await t.http.post('/api/chat').send(body).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(t.openai.stats().requests).toBe(0);
    });

    it('direct chat requires a message', async () => {
      const res = await t.http.post('/api/chat/direct').send({}).expect(400);
      expect(res.body.error.details[0].field).toBe('message');
    });
  });

  it("uses the agent's modelKey credential (OPENAI_BSM_KEY) with data in the original format, else OPENAI_API_KEY", async () => {
    t = await startLlmTestApp({
      env: {
        DATA_DIR: join(ORIGINAL_FORMAT, 'data'),
        REGISTRY_PATH: join(ORIGINAL_FORMAT, 'agents/registry.yaml'),
        OPENAI_BSM_KEY: 'sk-test-bsm-0123456789abcd-BSMK',
      },
    });
    await t.http.post('/api/chat').send({ agentId: 'contracts-agent', input: 'hello' }).expect(200);
    expect(t.openai.stats().byKeySuffix).toEqual({ BSMK: 1 });
    await t.http.post('/api/chat/direct').send({ message: 'hello' }).expect(200);
    expect(t.openai.stats().byKeySuffix).toEqual({ BSMK: 1, [TEST_OPENAI_KEY.slice(-4)]: 1 });
  });

  it.each([
    ['an unknown provider', 'provider: openai\n    capabilities', 'provider: nowhere\n    capabilities', 'models.gpt-4o-mini.provider must be one of openai, perplexity'],
    ['an unknown fallback', 'fallbacks: [gpt-4o]', 'fallbacks: [gpt-5]', 'models.gpt-4o-mini.fallbacks: unknown model "gpt-5"'],
    ['a task routed to an unknown model', 'chat_response: { low: gpt-4o-mini', 'chat_response: { low: gpt-9', 'routing.tasks.chat_response.low: unknown model "gpt-9"'],
  ])('refuses to boot with %s in models.yaml, naming it', async (_, from, to, problem) => {
    const { readFile } = await import('node:fs/promises');
    const text = (await readFile(join(__dirname, '../data/models.yaml'), 'utf8')).replace(from, to);
    const error = await startLlmTestApp({ models: text }).then(
      (app) => {
        t = app;
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BootError);
    expect((error as BootError).message).toContain(problem);
  });
});
