import { fingerprintOf } from '../src/review/policy/finding-policy';
import type { FakeGitHub } from '../src/testing/fake-github';
import { deliverPullRequest, githubExample, startWithFakeGitHub } from './support/github';
import { waitFor, type LlmTestApp } from './support/llm-app';

const patch = (...lines: string[]) => `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
const SQL = 'db.query("SELECT * FROM users WHERE id = " + id);';
const ACME = 'acme_' + 'Q7wE9rT1yU3iO5pA8sD0fG2hJ4kL6zX1';
const FILES = [
  { filename: 'vendor/lib/query.ts', status: 'added', patch: patch(SQL) },
  { filename: 'src/users.ts', status: 'added', patch: patch(SQL) },
  { filename: 'src/digest.go', status: 'added', patch: patch('func f(password string) {', '\tx := md5.Sum([]byte(password))', '\t_ = x', '}') },
  { filename: 'deploy/app.env', status: 'added', patch: patch(`ACME_TOKEN=${ACME}`) },
];
const BASE_CONFIG = [
  'ignore: ["vendor/**"]',
  `allow: ["${fingerprintOf('code/sql-injection/js-string-built', 'src/users.ts', SQL)}"]`,
  'rules:',
  '  code/weak-crypto/go-hash-of-secret: "off"',
  'secrets:',
  '  rules:',
  '    - id: acme-internal-token',
  '      keywords: [acme_]',
  "      regex: '\\b(acme_[A-Za-z0-9]{32})\\b'",
  'agents: [security-agent]',
].join('\n');

describe('.bsm.yml: the repository configuration, from the base branch', () => {
  let t: LlmTestApp;
  let github: FakeGitHub;
  beforeAll(async () => {
    ({ t, github } = await startWithFakeGitHub());
    github.files = FILES;
  });
  afterAll(async () => {
    await t?.dispose();
    await github?.close();
  });

  async function deliver(base: string): Promise<{ job: Record<string, any>; markdown: string }> {
    const payload = githubExample('pull_request', 'opened');
    (payload.pull_request as { base: { ref: string } }).base.ref = base;
    const job = await deliverPullRequest(t, payload);
    return { job, markdown: (await t.http.get(`/api/reports/${job.id}`).expect(200)).body.markdown };
  }

  it('changes the outcome: ignored path, allowed fingerprint, rule off, an extra secret format, the agents that run', async () => {
    github.contents = { main: { '.bsm.yml': BASE_CONFIG } };
    const { job, markdown } = await deliver('main');
    expect(github.calls).toContain('GET /repos/Codertocat/Hello-World/contents/.bsm.yml');
    expect(job.results.map((r: { agentId: string }) => r.agentId)).toEqual(['security-agent']);
    const [security] = job.results;
    expect(security.findings.map((f: { file: string; rule: string }) => [f.file, f.rule])).toEqual([['deploy/app.env', 'secret/acme-internal-token']]);
    expect(security.suppressed.map((f: { file: string; reason: string }) => [f.file, f.reason])).toEqual([
      ['vendor/lib/query.ts', '.bsm.yml ignore: vendor/**'],
      ['src/users.ts', expect.stringMatching(/^\.bsm\.yml allow: [0-9a-f]{16}$/)],
      ['src/digest.go', '.bsm.yml rules: code/weak-crypto/go-hash-of-secret is off'],
    ]);
    expect(job.decision.action).toBe('block_pr');
    expect(markdown).toContain('- Configuration: .bsm.yml on main');
    expect(markdown).toMatch(/## Suppressed\n\n3 finding\(s\) not counted:/);
    expect(markdown).not.toContain(ACME);
  });

  it('never reads the configuration from the head: a .bsm.yml the pull request changes has no effect', async () => {
    // The head (the author's branch) would turn everything off; only the base's file is read.
    github.contents = { main: {}, changes: { '.bsm.yml': 'rules:\n  secret/acme-internal-token: "off"\nignore: ["**"]' } };
    const { job } = await deliver('main');
    expect(job.results.map((r: { agentId: string }) => r.agentId)).toEqual(['governance-review-agent', 'security-agent', 'code-review-agent', 'integrity-agent']);
    const security = job.results.find((r: { agentId: string }) => r.agentId === 'security-agent');
    expect(security.suppressed).toBeUndefined();
    expect(security.findings.map((f: { file: string }) => f.file)).toEqual(expect.arrayContaining(['vendor/lib/query.ts', 'src/users.ts']));
  });

  it('reports a malformed file with line and key, and reviews with the defaults', async () => {
    github.contents = { broken: { '.bsm.yml': 'ignore: ["vendor/**"]\nrules:\n  code/sql-injection/js-string-built: sometimes\nagnets: [security-agent]\n' } };
    const { job, markdown } = await deliver('broken');
    const security = job.results.find((r: { agentId: string }) => r.agentId === 'security-agent');
    expect(security.findings.map((f: { file: string }) => f.file)).toEqual(expect.arrayContaining(['vendor/lib/query.ts', 'src/users.ts']));
    expect(markdown).toContain('- Configuration: .bsm.yml on broken — **not applied, defaults used:**');
    expect(markdown).toContain('.bsm.yml line 3, rules.code/sql-injection/js-string-built: must be off or a severity');
    expect(markdown).toContain('.bsm.yml line 4, agnets: unknown key "agnets"');

    github.contents = { yaml: { '.bsm.yml': 'ignore: [vendor/**\nrules: {' } };
    expect((await deliver('yaml')).markdown).toMatch(/\.bsm\.yml line \d+: not valid YAML/);
  });

  it('takes the same object as config on POST /api/orchestrator/run, and names the field of each mistake', async () => {
    const config = { ignore: ['vendor/**'], agents: ['security-agent'] };
    const id = (await t.http.post('/api/orchestrator/run').send({ event: 'manual.orchestrator_run', payload: { files: FILES.slice(0, 1) }, config }).expect(202)).body.jobId;
    const job = await waitFor(() => t.http.get(`/api/orchestrator/jobs/${id}`).then((r) => r.body), (j) => j.status === 'completed', 15_000);
    expect(job.results[0].suppressed).toEqual([expect.objectContaining({ file: 'vendor/lib/query.ts', reason: '.bsm.yml ignore: vendor/**' })]);

    const bad = await t.http
      .post('/api/orchestrator/run')
      .send({ event: 'manual.orchestrator_run', payload: { files: [] }, config: { allow: ['not-a-fingerprint'], rules: { x: 'never' }, secrets: { rules: [{ id: 'evil', keywords: ['a'], regex: '(a+)\\1' }] } } })
      .expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['config.allow.0', 'config.rules.x', 'config.secrets']);
    expect(bad.body.error.message).toContain('linear-time (RE2)');
  });
});
