import { resolve } from 'node:path';
import { ORIGINAL_FORMAT, requiredFixture } from './support/data-dir';
import { ADMIN_TOKEN, startTestApp, type TestApp } from './support/test-app';

describe('agents from data in the original BSM format, unchanged', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        DATA_DIR: resolve(ORIGINAL_FORMAT, 'data'),
        REGISTRY_PATH: resolve(ORIGINAL_FORMAT, 'agents/registry.yaml'),
        DATA_WATCH: 'false',
      },
    });
  });
  afterAll(() => t?.dispose());

  it('loads all 11 agents with the registry merged by id', async () => {
    const res = await t.http.get('/api/agents').expect(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body.count).toBe(11);
    expect(res.body.registryMode).toBe('strict');
    const contracts = res.body.agents.find((a: { id: string }) => a.id === 'contracts-agent');
    // The YAML says high; the registry's low wins.
    expect(contracts.governance).toMatchObject({ source: 'registry', category: 'conversational', risk: { level: 'low' } });
    const diffReview = res.body.agents.find((a: { id: string }) => a.id === 'code-review-agent');
    expect(diffReview.instructions).toContain('أنت مهندس');
  });

  it('lets registry governance win over the YAML and keeps the YAML model', async () => {
    const review = (await t.http.get('/api/agents/governance-review-agent').expect(200)).body;
    expect(review.risk).toEqual(review.governance.risk);
    expect(review.risk.level).toBe('medium');
    expect(review.contexts).toEqual({ allowed: ['api', 'ci', 'github'] });
    expect(review.modelName).toBe('gpt-4o-mini');
    expect(review.ownership).toEqual({ team: 'Compliance Guild', owner: 'compliance-lead' });
  });

  it('serves an agent with no model fields, defaulting its provider', async () => {
    const platform = (await t.http.get('/api/agents/platform-agent').expect(200)).body;
    expect(platform.modelProvider).toBe('openai');
    expect(platform.governance).toMatchObject({ source: 'registry', category: 'system' });
  });

  it('serves dispatcher-agent without governance and reports it', async () => {
    const dispatcher = (await t.http.get('/api/agents/dispatcher-agent').expect(200)).body;
    expect(dispatcher.governance).toBeNull();
    expect(dispatcher.instructions).toContain('موزّع');
    const admin = (await t.http.get('/api/admin/agents').set('x-admin-token', ADMIN_TOKEN).expect(200)).body;
    expect(admin.ungoverned).toEqual(['dispatcher-agent']);
    expect(admin.count).toBe(11);
  });

  it('mode=mobile returns the 4 agents whose registry contexts allow mobile', async () => {
    const res = await t.http.get('/api/agents?mode=mobile').expect(200);
    expect(res.body.agents.map((a: { id: string }) => a.id).sort()).toEqual([
      'audit-trail-agent',
      'contracts-agent',
      'governance-agent',
      'handset-ux-agent',
    ]);
  });

  it('loads the knowledge listed in its index.json', async () => {
    const res = await t.http.get('/api/knowledge').expect(200);
    expect(res.body.documents).toEqual([expect.objectContaining({ id: 'onboarding.md', title: 'Onboarding notes' })]);
  });

  it('names a required fixture that is missing instead of failing later', () => {
    expect(() => requiredFixture('no-such-fixture')).toThrow('Required test fixture missing: test/fixtures/no-such-fixture');
  });
});

describe('agents API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DATA_WATCH: 'false' } });
  });
  afterAll(() => t?.dispose());

  it('refuses an unknown mode with INVALID_MODE listing the valid ones', async () => {
    const res = await t.http.get('/api/agents?mode=desktop').expect(400);
    expect(res.body.error.code).toBe('INVALID_MODE');
    expect(res.body.error.details.validModes).toContain('mobile');
  });

  it('sends an ETag and answers 304 to If-None-Match until the catalog changes', async () => {
    const first = await t.http.get('/api/agents').expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await t.http.get('/api/agents').set('if-none-match', etag).expect(304);
    expect(again.text).toBe('');
    const mobile = await t.http.get('/api/agents?mode=mobile').expect(200);
    expect(mobile.headers.etag).not.toBe(etag);
    await t.http.get('/api/agents').set('if-none-match', '"stale"').expect(200);
  });

  it.each([
    ['/api/agents/Bad_Id'],
    ['/api/agents/..%2F..%2Fetc%2Fpasswd'],
    ['/api/agents/%2e%2e%2fregistry'],
    ['/api/agents/a%00b'],
    ['/api/knowledge/..%2Fregistry.yaml'],
    ['/api/knowledge/%2e%2e%2f%2e%2e%2fpackage.json'],
    ['/api/knowledge/%2Fetc%2Fpasswd'],
    ['/api/knowledge/a%00.md'],
  ])('refuses traversal and malformed ids before touching the disk: %s', async (path) => {
    const res = await t.http.get(path).expect(400);
    expect(res.body.error.code).toBe('INVALID_ID');
  });

  it('answers 404 AGENT_NOT_FOUND and KNOWLEDGE_NOT_FOUND for unknown ids', async () => {
    expect((await t.http.get('/api/agents/no-such-agent').expect(404)).body.error.code).toBe('AGENT_NOT_FOUND');
    expect((await t.http.get('/api/knowledge/none.md').expect(404)).body.error.code).toBe('KNOWLEDGE_NOT_FOUND');
  });

  describe('lifecycle', () => {
    it('starts, reports and stops an agent; double start and stop answer 409', async () => {
      const started = await t.http.post('/api/agents/start/legal-agent').expect(200);
      expect(started.body).toMatchObject({ id: 'legal-agent', status: 'running' });
      expect((await t.http.get('/api/agents/legal-agent/status').expect(200)).body.status).toBe('running');
      const all = (await t.http.get('/api/agents/status').expect(200)).body;
      expect(all.running).toBe(1);
      expect((await t.http.post('/api/agents/start/legal-agent').expect(409)).body.error.code).toBe('AGENT_ALREADY_RUNNING');
      await t.http.post('/api/agents/stop/legal-agent').expect(200);
      expect((await t.http.post('/api/agents/stop/legal-agent').expect(409)).body.error.code).toBe('AGENT_NOT_RUNNING');
      // Two starts at once (through two instances, say): storage lets one through.
      const both = await Promise.all([t.http.post('/api/agents/start/legal-agent'), t.http.post('/api/agents/start/legal-agent')]);
      expect(both.map((res) => res.status).sort()).toEqual([200, 409]);
      await t.http.post('/api/agents/stop/legal-agent').expect(200);
    });

    it('answers 404 for an unknown agent', async () => {
      expect((await t.http.post('/api/agents/start/ghost').expect(404)).body.error.code).toBe('AGENT_NOT_FOUND');
      expect((await t.http.post('/api/agents/stop/ghost').expect(404)).body.error.code).toBe('AGENT_NOT_FOUND');
    });

    it('needs the admin token for an agent whose approval is required', async () => {
      // pr-merge-agent: approval required, and its profiles exclude development (the test profile).
      const res = await t.http.post('/api/agents/start/pr-merge-agent').expect(403);
      expect(res.body.error.code).toBe('APPROVAL_REQUIRED');
      const withToken = await t.http.post('/api/agents/start/pr-merge-agent').set('x-admin-token', ADMIN_TOKEN).expect(403);
      expect(withToken.body.error.code).toBe('PROFILE_NOT_ALLOWED');
      expect(withToken.body.error.message).toContain('staging, production');
    });

    it('reports agent health', async () => {
      const res = await t.http.get('/api/agents/chat-assistant/health').expect(200);
      expect(res.body).toMatchObject({ id: 'chat-assistant', status: 'healthy', state: 'stopped', governance: 'registry' });
    });
  });
});

describe('agents under SAFE_MODE and MOBILE_MODE', () => {
  let safe: TestApp;
  let mobile: TestApp;
  beforeAll(async () => {
    [safe, mobile] = await Promise.all([
      startTestApp({ env: { SAFE_MODE: 'true', DATA_WATCH: 'false' } }),
      startTestApp({ env: { MOBILE_MODE: 'true', DATA_WATCH: 'false' } }),
    ]);
  });
  afterAll(() => Promise.all([safe?.dispose(), mobile?.dispose()]));

  it('SAFE_MODE refuses agents acting in github, ci, system or security', async () => {
    const res = await safe.http.post('/api/agents/start/code-review-agent').expect(403);
    expect(res.body.error.code).toBe('SAFE_MODE_RESTRICTION');
    await safe.http.post('/api/agents/start/chat-assistant').expect(200);
  });

  it('MOBILE_MODE refuses start and stop but keeps the catalog', async () => {
    expect((await mobile.http.post('/api/agents/start/chat-assistant').expect(403)).body.error.code).toBe('MOBILE_MODE_RESTRICTION');
    await mobile.http.get('/api/agents').expect(200);
  });
});
