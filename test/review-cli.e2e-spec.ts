import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PLANTED_TOKEN } from './support/pull-requests';
import { sarifErrors } from './support/sarif';
import { REPO_ROOT } from './support/test-app';

const exec = promisify(execFile);
const CLI = resolve(REPO_ROOT, 'dist/tools/bsm-review/main.js');

/** The compiled command, as `npx bsm-review` runs it, in a real git repository. */
async function bsmReview(cwd: string, args: string[] = [], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = execFile(process.execPath, [CLI, ...args], { cwd });
  if (input !== undefined) child.stdin!.end(input);
  else child.stdin!.end();
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? -1)));
  return { code, stdout, stderr };
}

describe('npx bsm-review on a git repository', () => {
  let repo: string;
  const git = (...args: string[]) => exec('git', ['-c', 'user.email=dev@example.test', '-c', 'user.name=Dev', ...args], { cwd: repo });

  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'bsm-review-'));
    await git('init', '-q');
    await writeFile(join(repo, 'pay.ts'), 'export const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);\n');
    await git('add', '.');
    await git('commit', '-qm', 'first');
  });
  afterAll(() => rm(repo, { recursive: true, force: true }));

  it('approves a clean change (exit 0) and an empty one', async () => {
    expect(await bsmReview(repo)).toMatchObject({ code: 0, stdout: expect.stringContaining('approve: no changes') });
    await writeFile(join(repo, 'pay.ts'), 'export const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);\nexport const currency = "EUR";\n');
    const clean = await bsmReview(repo);
    expect(clean).toMatchObject({ code: 0, stdout: expect.stringMatching(/^approve: approved by security/) });
  });

  it('blocks a committed secret (exit 1), in JSON, with the secret masked', async () => {
    await writeFile(join(repo, 'config.ts'), `export const token = "${PLANTED_TOKEN}";\n`);
    await git('add', '-N', 'config.ts');
    const blocked = await bsmReview(repo, ['--format', 'json']);
    expect(blocked.code).toBe(1);
    const outcome = JSON.parse(blocked.stdout);
    expect(outcome.decision.action).toBe('block_pr');
    expect(outcome.findings).toContainEqual(expect.objectContaining({ severity: 'critical', file: 'config.ts', line: 1, analyzer: 'security' }));
    expect(blocked.stdout).toContain('ghp_***');
    expect(blocked.stdout).not.toContain(PLANTED_TOKEN.slice(4));
    const sarif = await bsmReview(repo, ['--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout);
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0].results).toContainEqual(
      expect.objectContaining({ level: 'error', locations: [{ physicalLocation: expect.objectContaining({ region: expect.objectContaining({ startLine: 1 }) }) }] }),
    );
    expect(sarif.stdout).toContain('ghp_***');
    expect(sarif.stdout).not.toContain(PLANTED_TOKEN.slice(4));
    // Against a base that already had the change nothing is left to block.
    await git('add', '.');
    await git('commit', '-qm', 'second');
    expect((await bsmReview(repo, ['--base', 'HEAD'])).code).toBe(0);
    expect((await bsmReview(repo, ['--base', 'HEAD~1'])).code).toBe(1);
  });

  it('reads a patch from a file or standard input; one it cannot parse is not approved (exit 3)', async () => {
    const { stdout: patch } = await git('show', '--format=', 'HEAD');
    await writeFile(join(repo, 'change.patch'), patch);
    expect((await bsmReview(repo, ['--patch', 'change.patch'])).code).toBe(1);
    expect((await bsmReview(repo, ['--patch', '-'], patch)).code).toBe(1);
    const garbage = await bsmReview(repo, ['--patch', '-'], 'this is not a diff');
    expect(garbage).toMatchObject({ code: 3, stdout: expect.stringContaining('not reviewed: the diff could not be parsed') });
  });

  it("adds a team's secret rules, says with --debug what was not a secret, and refuses a bad rule file (exit 2)", async () => {
    await writeFile(join(repo, 'rules.yaml'), "rules:\n  - id: acme-token\n    keywords: [acme_]\n    regex: '\\b(acme_[A-Za-z0-9]{24})\\b'\n");
    await writeFile(join(repo, 'env.txt'), `ACME=acme_Qw3Er5Ty7Ui9Op1As3Df5GhJ\nSAMPLE_TOKEN=ghp_${'x'.repeat(36)}\n`);
    await git('add', '-N', 'env.txt');
    const plain = JSON.parse((await bsmReview(repo, ['--format', 'json'])).stdout);
    expect(plain.findings).toEqual([]);
    expect(plain.dismissed).toBeUndefined();
    const res = await bsmReview(repo, ['--secret-rules', 'rules.yaml', '--format', 'json', '--debug']);
    expect(res.code).toBe(1);
    const outcome = JSON.parse(res.stdout);
    expect(outcome.findings).toEqual([expect.objectContaining({ rule: 'secret/acme-token', file: 'env.txt', line: 1, message: 'Secret committed: acme*** (acme-token)', fix: expect.any(String) })]);
    expect(outcome.dismissed).toContainEqual({ file: 'env.txt', line: 2, rule: 'secret/github-pat', reason: 'a placeholder word' });
    await writeFile(join(repo, 'bad.yaml'), "rules:\n  - id: acme-repeat\n    keywords: [acme]\n    regex: '(acme)\\1'\n");
    const bad = await bsmReview(repo, ['--secret-rules', 'bad.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.yaml: rules[0] (acme-repeat).regex does not compile as a linear-time (RE2) pattern');
    await git('rm', '-q', '--cached', 'env.txt');
  });

  it('applies the .bsm.yml at the top of the working tree, and says what is wrong with a malformed one', async () => {
    await writeFile(join(repo, 'query.ts'), 'db.query("SELECT * FROM users WHERE id = " + id);\n');
    await git('add', '-N', 'query.ts');
    expect((await bsmReview(repo)).code).toBe(1);
    await writeFile(join(repo, '.bsm.yml'), 'rules:\n  code/sql-injection/js-string-built: "off"\n');
    const off = JSON.parse((await bsmReview(repo, ['--format', 'json'])).stdout);
    expect(off).toMatchObject({ decision: { action: 'approve' }, config: { source: '.bsm.yml in the working tree', problems: [] } });
    expect(off.suppressed).toEqual([expect.objectContaining({ file: 'query.ts', reason: '.bsm.yml rules: code/sql-injection/js-string-built is off' })]);
    await writeFile(join(repo, '.bsm.yml'), 'rules:\n  code/sql-injection/js-string-built: maybe\n');
    const bad = await bsmReview(repo);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('config not applied: .bsm.yml line 2, rules.code/sql-injection/js-string-built: must be off or a severity');
    await rm(join(repo, '.bsm.yml'));
    await git('rm', '-q', '--cached', 'query.ts');
  });

  it('answers bad usage with exit 2 and the usage text', async () => {
    for (const args of [['--bogus'], ['--format', 'xml'], ['--base'], ['--base', 'HEAD', '--patch', 'x'], ['--analyzers', 'nope']]) {
      const res = await bsmReview(repo, args);
      expect([args, res.code]).toEqual([args, 2]);
      expect(res.stderr).toContain('Usage: bsm-review');
    }
  });
});
