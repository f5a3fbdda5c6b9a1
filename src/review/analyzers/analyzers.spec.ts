import type { ReviewInput } from '../review.model';
import { addedLines } from '../diff/added-lines';
import { GovernanceAnalyzer } from './governance.analyzer';
import { loadSecretRules } from '../secrets/secret-rules';
import { SecretScanner, maskAll, maskSecret } from '../secrets/secret-scanner';
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
    expect(addedLines(file).map(({ file, line, text }) => ({ file, line, text }))).toEqual([
      { file: 'a.ts', line: 2, text: 'new' },
      { file: 'a.ts', line: 21, text: 'added' },
      { file: 'a.ts', line: 22, text: 'more' },
    ]);
  });
});

describe('SecretScanner (BSM secret rules)', () => {
  const scanner = new SecretScanner(loadSecretRules());

  it('finds a GitHub token and a production database password in added lines only, naming the rule', async () => {
    const token = 'ghp_' + 'Zq7Kx2Lm9Np4Rs6Tv8Wy1Ab3Cd5Ef0Gh2Ij4';
    const { hits } = await scanner.scan([
      { filename: 'a.ts', patch: `@@ -1,2 +1,2 @@\n-const old = "${token}";\n+const t = "${token}";\n+const db = "postgres://admin:Sup3rSecretPw@db.prod.acme.io:5432/app";` },
    ]);
    expect(hits.map((h) => [h.file, h.line, h.rule, h.value])).toEqual([
      ['a.ts', 1, 'secret/github-pat', token],
      ['a.ts', 2, 'secret/connection-string-password', 'Sup3rSecretPw'],
    ]);
    expect(maskSecret(hits[0].value)).toBe('ghp_***');
  });

  it('ignores local development URLs, documented example keys and placeholders, saying why', async () => {
    const { hits, dismissed } = await scanner.scan([
      { filename: 'a.ts', patch: patch('const db = "postgres://user:password@localhost:5432/dev";', 'const key = "AKIAIOSFODNN7EXAMPLE";', `GITHUB_TOKEN=ghp_${'x'.repeat(36)}`) },
    ]);
    expect(hits).toEqual([]);
    expect(dismissed).toEqual([
      { file: 'a.ts', line: 2, rule: 'secret/aws-access-key-id', reason: 'a documented example value' },
      { file: 'a.ts', line: 3, rule: 'secret/github-pat', reason: 'a placeholder word' },
      { file: 'a.ts', line: 3, rule: 'secret/generic-secret-assignment', reason: 'a placeholder word' },
    ]);
  });

  it('finds a key store added as a binary file by its name, and not a public key', async () => {
    const { hits } = await scanner.scan([{ filename: 'certs/server.p12', status: 'added' }, { filename: 'keys/id_rsa.pub', status: 'added' }, { filename: 'old.jks', status: 'removed' }]);
    expect(hits).toEqual([{ file: 'certs/server.p12', rule: 'secret/keystore-file', value: '' }]);
  });

  it('masks a private key line by line wherever it appears', async () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
    const key = ['-----BEGIN PRIVATE KEY-----', body, body.split('').reverse().join(''), '-----END PRIVATE KEY-----'];
    const { hits } = await scanner.scan([{ filename: 'k.pem', patch: patch(...key) }]);
    expect(hits.map((h) => h.rule)).toEqual(['secret/private-key']);
    expect(maskAll(`+${key.join('\n+')}`, hits)).not.toContain(body.slice(8));
  });
});

describe('SecurityAnalyzer', () => {
  it.each([
    ['eval(userInput)', 'code/code-injection/js-eval', 'medium'],
    ['const f = new Function("a", req.body.code)', 'code/code-injection/js-function-constructor', 'high'],
    ['exec(`git checkout ${req.query.branch}`)', 'code/command-injection/js-exec', 'high'],
    ["execSync('rm -rf ' + dir)", 'code/command-injection/js-exec', 'medium'],
    ['const agent = new https.Agent({ rejectUnauthorized: false })', 'code/tls-verification-disabled/js-option', 'high'],
    ['el.innerHTML = comment.body', 'code/xss/js-html-property', 'medium'],
    ['db.query("SELECT * FROM users WHERE id = " + id)', 'code/sql-injection/js-string-built', 'medium'],
    ['db.query(`DELETE FROM orders WHERE id = ${req.params.id}`)', 'code/sql-injection/js-string-built', 'high'],
  ])('flags %s', async (line, rule, severity) => {
    const report = await new SecurityAnalyzer().analyze({ input: input([{ filename: 'x.ts', patch: patch(line) }]), secrets: [] });
    expect(report.findings).toContainEqual(expect.objectContaining({ rule, severity, file: 'x.ts', line: 1, fix: expect.any(String) }));
    expect(report.verdict).toBe('request_changes');
  });

  it('finds calls and built SQL written across lines, as the pre-filters must let them through', async () => {
    const ts = patch('res', "  .send('<p>' + req.query.name + '</p>');", "const q = ('SELECT * FROM orders WHERE id = ')", '  + req.params.id;');
    const go = patch('func h(w http.ResponseWriter, r *http.Request) {', '\tq := "SELECT name FROM items WHERE id = " +', '\t\tr.URL.Query().Get("id")', '\t_ = q', '}');
    const report = await new SecurityAnalyzer().analyze({ input: input([{ filename: 'x.ts', patch: ts }, { filename: 'h.go', patch: go }]), secrets: [] });
    expect(report.findings.map((f) => [f.file, f.line, f.rule, f.severity])).toEqual([
      ['x.ts', 3, 'code/sql-injection/js-string-built', 'high'],
      ['x.ts', 1, 'code/xss/js-reflected-html', 'high'],
      ['h.go', 2, 'code/sql-injection/go-string-built', 'high'],
    ]);
  });

  it('reads Python and Go by syntax tree, on added lines of a hunk that starts mid-function', async () => {
    const py = '@@ -10,3 +10,4 @@ def ping():\n     host = request.args.get("host")\n-    return "ok"\n+    os.system("ping -c 1 " + host)\n+    return "ok"\n     # end';
    const go = '@@ -3,2 +3,3 @@ func h(w http.ResponseWriter, r *http.Request) {\n \tq := r.URL.Query().Get("q")\n+\tio.WriteString(w, "<p>"+q+"</p>")\n }';
    const report = await new SecurityAnalyzer().analyze({ input: input([{ filename: 'app.py', patch: py }, { filename: 'h.go', patch: go }]), secrets: [] });
    expect(report.findings.map((f) => [f.file, f.line, f.rule, f.severity])).toEqual([
      ['app.py', 11, 'code/command-injection/python-os-system', 'high'],
      ['h.go', 4, 'code/xss/go-reflected-html', 'high'],
    ]);
  });

  it('passes safe code: constants and parameters reaching the same sinks', async () => {
    const safe = ['db.query("SELECT * FROM users WHERE id = $1", [id])', 'el.textContent = comment.body', "execFile('git', ['checkout', branch])", "eval('1 + 1')", "el.innerHTML = '<b>hi</b>'"];
    const report = await new SecurityAnalyzer().analyze({ input: input([{ filename: 'x.ts', patch: patch(...safe) }]), secrets: [] });
    expect(report).toMatchObject({ verdict: 'approve', findings: [] });
  });

  it('does not parse minified code, and says so', async () => {
    const report = await new SecurityAnalyzer().analyze({ input: input([{ filename: 'public/app.js', patch: patch(`eval(x);${'var a=1;'.repeat(200)}`) }]), secrets: [] });
    expect(report.verdict).toBe('approve');
    expect(report.findings).toEqual([expect.objectContaining({ severity: 'info', file: 'public/app.js', rule: 'code/skipped', message: expect.stringContaining('minified') })]);
  });

  it('blocks on a secret, with the masked value and a fix hint', async () => {
    const report = await new SecurityAnalyzer().analyze({ input: input([]), secrets: [{ file: '.env', line: 3, rule: 'secret/stripe-secret-key', value: 'sk_live_abcdefghijklmnopqrstuvwxyz' }] });
    expect(report.verdict).toBe('block');
    expect(report.findings).toEqual([
      { severity: 'critical', file: '.env', line: 3, rule: 'secret/stripe-secret-key', message: 'Secret committed: sk_l*** (stripe-secret-key)', fix: expect.stringContaining('Revoke') },
    ]);
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
