import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PLANTED_TOKEN } from './support/pull-requests';
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

  it('answers bad usage with exit 2 and the usage text', async () => {
    for (const args of [['--bogus'], ['--format', 'xml'], ['--base'], ['--base', 'HEAD', '--patch', 'x'], ['--analyzers', 'nope']]) {
      const res = await bsmReview(repo, args);
      expect([args, res.code]).toEqual([args, 2]);
      expect(res.stderr).toContain('Usage: bsm-review');
    }
  });
});
