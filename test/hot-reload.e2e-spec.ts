import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyOfData } from './support/data-dir';
import { ADMIN_TOKEN, startTestApp, type TestApp } from './support/test-app';

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}

describe('data files change under a running app', () => {
  let t: TestApp;
  let data: { dir: string; dispose: () => Promise<void> };
  beforeEach(async () => {
    data = await copyOfData();
    t = await startTestApp({ env: { DATA_DIR: data.dir, REGISTRY_PATH: join(data.dir, 'registry.yaml') } });
  });
  afterEach(async () => {
    await t.dispose();
    await data.dispose();
  });

  it('picks up an edited agent YAML without a restart, even when the editor saves by rename', async () => {
    const file = join(data.dir, 'agents/chat-assistant.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(`${file}.tmp`, text.replace('name: Chat Assistant', 'name: Chat Assistant Renamed'));
    await rename(`${file}.tmp`, file);
    const agent = await until(
      async () => (await t.http.get('/api/agents/chat-assistant')).body,
      (body) => body.name === 'Chat Assistant Renamed',
    );
    expect(agent.name).toBe('Chat Assistant Renamed');
  });

  it('keeps the last good catalog when an edit breaks a file, shows the error, and recovers', async () => {
    const file = join(data.dir, 'agents/legal-agent.yaml');
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.replace('name: Legal Analysis Agent', 'name: [unclosed'));
    const stats = await until(
      async () => (await t.http.get('/api/cache/stats')).body.caches.find((c: { name: string }) => c.name === 'agents'),
      (agents) => agents.errors > 0,
    );
    expect(stats.lastError).toContain('agents/legal-agent.yaml');
    expect(stats.lastError).toMatch(/line \d+/);
    expect((await t.http.get('/api/agents/legal-agent').expect(200)).body.name).toBe('Legal Analysis Agent');
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.info.caches.degraded).toBe(true);
    await writeFile(file, good.replace('name: Legal Analysis Agent', 'name: Legal Agent v2'));
    await until(async () => (await t.http.get('/api/agents/legal-agent')).body.name, (name) => name === 'Legal Agent v2');
    expect((await t.http.get('/health/ready').expect(200)).body.info.caches.degraded).toBe(false);
  });

  it('applies a registry edit to the merged agents', async () => {
    const file = join(data.dir, 'registry.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('rationale: Answers questions and changes nothing in any system', 'rationale: Edited rationale for the assistant'));
    const agent = await until(
      async () => (await t.http.get('/api/agents/chat-assistant')).body,
      (body) => body.risk?.rationale === 'Edited rationale for the assistant',
    );
    expect(agent.governance.risk.rationale).toBe('Edited rationale for the assistant');
  });

  it('reloads knowledge and its search index', async () => {
    await writeFile(join(data.dir, 'knowledge/oncall.md'), '# On-call handbook\nPage the incident commander first.\n');
    await writeFile(join(data.dir, 'knowledge/index.json'), JSON.stringify({ documents: ['coding-standards.md', 'oncall.md'] }));
    const res = await until(
      async () => (await t.http.get('/api/knowledge/search?q=incident commander')).body,
      (body) => body.total > 0,
    );
    expect(res.results[0]).toMatchObject({ id: 'oncall.md', title: 'On-call handbook' });
    expect((await t.http.get('/api/knowledge').expect(200)).body.documents).toHaveLength(2);
  });

  it('clears caches on request (admin, audit-logged) and refuses unknown names', async () => {
    await t.http.post('/api/cache/clear').send({ cache: 'agents' }).expect(401);
    const bad = await t.http.post('/api/cache/clear').set('x-admin-token', ADMIN_TOKEN).send({ cache: 'sessions' }).expect(400);
    expect(bad.body.error.message).toContain('agents, knowledge');
    expect(bad.body.error.message).toContain('all');
    const before = (await t.http.get('/api/cache/stats').expect(200)).body.caches;
    const res = await t.http.post('/api/cache/clear').set('x-admin-token', ADMIN_TOKEN).send({ cache: 'registry' }).expect(200);
    expect(res.body.cleared).toEqual(['registry', 'agents']);
    expect(res.body.results.agents).toEqual({ reloaded: true });
    const after = (await t.http.get('/api/cache/stats').expect(200)).body.caches;
    const reloads = (list: Array<{ name: string; reloads: number }>, name: string) => list.find((c) => c.name === name)!.reloads;
    expect(reloads(after, 'agents')).toBe(reloads(before, 'agents') + 1);
    const all = await t.http.post('/api/cache/clear').set('x-admin-token', ADMIN_TOKEN).send({ cache: 'all' }).expect(200);
    expect(all.body.cleared.sort()).toEqual(['agents', 'knowledge', 'registry']);
    const audit = (await t.http.get('/api/admin/audit').set('x-admin-token', ADMIN_TOKEN).expect(200)).body.entries;
    expect(audit.map((e: { action: string; target: string }) => `${e.action}:${e.target}`)).toEqual(['cache.clear:all', 'cache.clear:registry']);
  });

  it('exports cache stats to /metrics', async () => {
    await t.http.get('/api/agents').expect(200);
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/bsm_cache_events_total\{cache="agents",event="hits"\} [1-9]/);
    expect(metrics).toContain('bsm_cache_age_seconds{cache="knowledge"}');
  });
});
