import { ReviewEngine } from '../review-engine';
import type { ReviewInput } from '../review.model';
import { fingerprintOf, FindingPolicy, valueHashOf } from './finding-policy';

const patch = (first: number, ...lines: string[]) => `@@ -0,0 +${first},${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
const input = (files: ReviewInput['files']): ReviewInput => ({
  event: 'pull_request.opened',
  repo: 'acme/shop',
  pr: { number: 1, title: 't', body: 'A description long enough to pass.', draft: false, author: 'dev', additions: 1, deletions: 0, changedFiles: files.length },
  files,
});
const SQL = 'db.query("SELECT * FROM users WHERE id = " + id)';
const RULE = 'code/sql-injection/js-string-built';

describe('FindingPolicy', () => {
  it('fingerprints by rule, file and the line text, so a finding that moves keeps its fingerprint', () => {
    const at = (line: number) => new FindingPolicy([{ filename: 'a.ts', patch: patch(line, `  ${SQL}  `) }], []).screen([{ severity: 'medium', file: 'a.ts', line, rule: RULE, message: 'm' }]);
    const fingerprint = at(3).findings[0].fingerprint;
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(at(40).findings[0].fingerprint).toBe(fingerprint);
    expect(fingerprint).toBe(fingerprintOf(RULE, 'a.ts', SQL));
    expect(fingerprintOf(RULE, 'b.ts', SQL)).not.toBe(fingerprint);
    expect(fingerprintOf('code/xss/js-html-property', 'a.ts', SQL)).not.toBe(fingerprint);
  });

  it('honours bsm-ignore with a reason on the line or the line above, in any comment syntax; without a reason it does not count', async () => {
    const engine = ReviewEngine.standalone();
    const files = [
      { filename: 'same.ts', patch: patch(1, `${SQL} // bsm-ignore: ${RULE} id is an integer checked by the router`) },
      { filename: 'above.py', patch: patch(1, `# bsm-ignore: code/command-injection/python-os-system the host list is fixed`, 'os.system("ping -c 1 " + host)') },
      { filename: 'bare.ts', patch: patch(1, `/* bsm-ignore: ${RULE} */`, SQL) },
      { filename: 'other-rule.ts', patch: patch(1, `${SQL} // bsm-ignore: code/xss/js-html-property not this one`) },
    ];
    const report = (await engine.analyze('security', await engine.prepare(input(files))))!;
    expect(report.suppressed.map((f) => [f.file, f.line, f.rule, f.suppressedBy, f.reason])).toEqual([
      ['same.ts', 1, RULE, 'inline', 'id is an integer checked by the router'],
      ['above.py', 2, 'code/command-injection/python-os-system', 'inline', 'the host list is fixed'],
    ]);
    expect(report.findings.map((f) => [f.file, f.line])).toEqual([
      ['bare.ts', 2],
      ['other-rule.ts', 1],
    ]);
    expect(report.findings[0].message).toMatch(/a bsm-ignore on line 1 gives no reason, so it does not count/);
    expect(report.verdict).toBe('request_changes');
    expect(report.summary).toMatch(/; 2 of them suppressed$/);
  });

  it('applies the repository rules: ignored paths, allowed fingerprints and secret hashes, rules off or re-graded', async () => {
    const engine = ReviewEngine.standalone();
    const token = 'ghp_' + 'R8x2Kq9Lm4Np7Wv3Zt6Yb1Hc5Jd0Fg2Se8A';
    const files = [
      { filename: 'vendor/lib/a.ts', patch: patch(1, SQL) },
      { filename: 'src/allowed.ts', patch: patch(1, SQL) },
      { filename: 'src/graded.ts', patch: patch(1, 'el.innerHTML = comment.body') },
      { filename: 'test/fixture.env', patch: patch(1, `GITHUB_TOKEN=${token}`) },
      { filename: 'src/off.go', patch: patch(1, 'func f() {', '\tx := md5.Sum([]byte(password))', '\t_ = x', '}') },
    ];
    const allowed = fingerprintOf(RULE, 'src/allowed.ts', SQL);
    const rules = { ignore: ['vendor/**'], allow: [allowed, valueHashOf(token)], rules: { 'code/xss/js-html-property': 'low' as const, 'code/weak-crypto/go-hash-of-secret': 'off' as const } };
    const review = await engine.prepare(input(files), { ...rules, secretRules: [], problems: [] });
    const report = (await engine.analyze('security', review))!;
    expect(report.suppressed.map((f) => [f.file, f.reason])).toEqual([
      ['test/fixture.env', expect.stringMatching(/^\.bsm\.yml allow: the secret's SHA-256 [0-9a-f]{12}…$/)],
      ['vendor/lib/a.ts', '.bsm.yml ignore: vendor/**'],
      ['src/allowed.ts', `.bsm.yml allow: ${allowed}`],
      ['src/off.go', '.bsm.yml rules: code/weak-crypto/go-hash-of-secret is off'],
    ]);
    expect(report.findings.map((f) => [f.file, f.rule, f.severity])).toEqual([['src/graded.ts', 'code/xss/js-html-property', 'low']]);
    // What is left is low: the analyzer's usual verdict for it.
    expect(report.verdict).toBe('approve');
    // The allowed secret is still masked everywhere.
    expect(review.input.files[3].patch).not.toContain(token);
  });
});
