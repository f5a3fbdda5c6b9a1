import type { ReviewInput } from '../review.model';
import { addedLines } from '../diff/added-lines';
import { GovernanceAnalyzer } from './governance.analyzer';
import { SecretScanner, maskSecret } from '../secrets/secret-scanner';
import { SecurityAnalyzer } from './security.analyzer';

const input = (files: ReviewInput['files'], body = 'A description long enough to pass.'): ReviewInput => ({
  event: 'pull_request.opened',
  repo: 'acme/shop',
  pr: { number: 1, title: 't', body, draft: false, author: 'dev', additions: 10, deletions: 0, changedFiles: files.length },
  files,
});
const patch = (...lines: string[]) => `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;

describe('addedLines', () => {
  it('numbers added lines in the new file, across hunks, skipping removed lines', () => {
    const file = { filename: 'a.ts', patch: '@@ -1,3 +1,3 @@\n keep\n-old\n+new\n keep\n@@ -20,2 +20,3 @@\n ctx\n+added\n+more' };
    expect(addedLines(file)).toEqual([
      { file: 'a.ts', line: 2, text: 'new' },
      { file: 'a.ts', line: 21, text: 'added' },
      { file: 'a.ts', line: 22, text: 'more' },
    ]);
  });
});

describe('SecretScanner (secretlint recommended rules)', () => {
  const scanner = new SecretScanner();

  it('finds a GitHub token and a production database URL in added lines only', async () => {
    const token = 'ghp_' + 'Zq7Kx2Lm9Np4Rs6Tv8Wy1Ab3Cd5Ef0Gh2Ij4';
    const hits = await scanner.scan([
      { filename: 'a.ts', patch: `@@ -1,2 +1,2 @@\n-const old = "${token}";\n+const t = "${token}";\n+const db = "postgres://admin:Sup3rSecretPw@db.prod.example.com:5432/app";` },
    ]);
    expect(hits.map((h) => [h.file, h.line, h.rule])).toEqual([
      ['a.ts', 1, '@secretlint/secretlint-rule-github'],
      ['a.ts', 2, '@secretlint/secretlint-rule-database-connection-string'],
    ]);
    expect(maskSecret(hits[0].value)).toBe('ghp_***');
  });

  it('ignores local development URLs and documented example keys', async () => {
    const hits = await scanner.scan([{ filename: 'a.ts', patch: patch('const db = "postgres://user:password@localhost:5432/dev";', 'const key = "AKIAIOSFODNN7EXAMPLE";') }]);
    expect(hits).toEqual([]);
  });
});

describe('SecurityAnalyzer', () => {
  it.each([
    ['eval(userInput)', 'eval'],
    ['const f = new Function("a", body)', 'eval'],
    ['exec(`git checkout ${branch}`)', 'shell-interpolation'],
    ["execSync('rm -rf ' + dir)", 'shell-interpolation'],
    ['const agent = new https.Agent({ rejectUnauthorized: false })', 'tls-verification-disabled'],
    ['el.innerHTML = comment.body', 'inner-html'],
    ['db.query("SELECT * FROM users WHERE id = " + id)', 'sql-concatenation'],
    ['db.query(`DELETE FROM orders WHERE id = ${id}`)', 'sql-concatenation'],
  ])('flags %s', (line, rule) => {
    const report = new SecurityAnalyzer().analyze({ input: input([{ filename: 'x.ts', patch: patch(line) }]), secrets: [] });
    expect(report.findings).toContainEqual(expect.objectContaining({ rule, file: 'x.ts', line: 1 }));
    expect(report.verdict).not.toBe('approve');
  });

  it('passes safe code', () => {
    const safe = ['db.query("SELECT * FROM users WHERE id = $1", [id])', 'el.textContent = comment.body', "execFile('git', ['checkout', branch])"];
    const report = new SecurityAnalyzer().analyze({ input: input([{ filename: 'x.ts', patch: patch(...safe) }]), secrets: [] });
    expect(report).toMatchObject({ verdict: 'approve', findings: [] });
  });
});

describe('GovernanceAnalyzer', () => {
  it('blocks changes to the governance registry, asks for a description, notes missing tests', () => {
    const report = new GovernanceAnalyzer().analyze({
      input: input([{ filename: 'data/registry.yaml' }, { filename: '.github/workflows/ci.yml' }, { filename: 'src/a.ts' }], ''),
      secrets: [],
    });
    expect(report.verdict).toBe('block');
    expect(report.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['description', 'medium'],
      ['protected-path', 'critical'],
      ['protected-path', 'high'],
      ['tests', 'low'],
    ]);
  });

  it('approves a described, tested change', () => {
    const report = new GovernanceAnalyzer().analyze({ input: input([{ filename: 'src/a.ts' }, { filename: 'src/a.spec.ts' }]), secrets: [] });
    expect(report).toMatchObject({ verdict: 'approve', findings: [] });
  });
});
