import type { FakeGitHub } from '../src/testing/fake-github';
import { deliverPullRequest, githubExample, startWithFakeGitHub } from './support/github';
import type { LlmTestApp } from './support/llm-app';

const [A, B, C] = ['a', 'b', 'c'].map((c) => c.repeat(40));
const SQL = 'db.query("SELECT * FROM orders WHERE id = " + req.params.id);';
const EXEC = 'exec("git checkout " + req.query.branch);';
const REDIRECT = 'res.redirect(req.query.next);';

describe('incremental review of a push: only new findings are commented, fixed ones are listed', () => {
  let t: LlmTestApp;
  let github: FakeGitHub;
  beforeAll(async () => {
    ({ t, github } = await startWithFakeGitHub());
  });
  afterAll(async () => {
    await t?.dispose();
    await github?.close();
  });

  async function deliver(action: 'opened' | 'synchronize', head: string): Promise<{ job: Record<string, any>; markdown: string }> {
    const payload = githubExample('pull_request', action);
    (payload.pull_request as { head: { sha: string } }).head.sha = head;
    const job = await deliverPullRequest(t, payload);
    expect(job.status).toBe('completed');
    return { job, markdown: (await t.http.get(`/api/reports/${job.id}`).expect(200)).body.markdown };
  }
  const security = (job: Record<string, any>) => job.results.find((r: { agentId: string }) => r.agentId === 'security-agent');

  it('reviews the commits since the last review, carries what still stands, lists what was fixed; a force-push is reviewed whole', async () => {
    github.files = [{ filename: 'src/api.ts', status: 'added', patch: `@@ -0,0 +1,2 @@\n+${SQL}\n+${EXEC}` }];
    const opened = await deliver('opened', A);
    expect(github.reviews[0].comments.map((c) => c.line).sort()).toEqual([1, 2]);
    expect(opened.job.decision.action).toBe('request_changes');

    // B on top of A: the query made safe (its finding fixed), a redirect added (new), the exec untouched (carried).
    github.compare[`${A}...${B}`] = {
      status: 'ahead',
      files: [{ filename: 'src/api.ts', status: 'modified', patch: `@@ -1,2 +1,3 @@\n-${SQL}\n+db.query("SELECT * FROM orders WHERE id = $1", [req.params.id]);\n ${EXEC}\n+${REDIRECT}` }],
    };
    const pushed = await deliver('synchronize', B);
    expect(github.calls).toContain(`GET /repos/Codertocat/Hello-World/compare/${A}...${B}`);
    expect(github.reviews[1].comments).toEqual([expect.objectContaining({ path: 'src/api.ts', line: 3, body: expect.stringContaining('redirect') })]);
    const findings = security(pushed.job).findings.map((f: { line: number; rule: string; carriedFrom?: string }) => [f.line, f.rule, f.carriedFrom ?? null]);
    expect(findings).toEqual(
      expect.arrayContaining([
        [3, 'code/open-redirect/js-redirect', null],
        [2, 'code/command-injection/js-exec', A],
      ]),
    );
    expect(findings.filter(([, rule]: string[]) => rule === 'code/sql-injection/js-string-built')).toEqual([]);
    expect(pushed.job.decision.action).toBe('request_changes');
    expect(pushed.markdown).toContain(`- Incremental: the commits since ${A.slice(0, 7)}; `);
    expect(pushed.markdown).toMatch(/## Fixed since the last review\n\n- high `src\/api\.ts:1` SQL built from strings/);
    expect(pushed.markdown).toContain(`(still there since ${A.slice(0, 7)})`);

    // C rewrote history: B is not its ancestor, so the pull request is reviewed whole and everything is commented.
    github.compare[`${B}...${C}`] = { status: 'diverged', files: [] };
    github.files = [{ filename: 'src/api.ts', status: 'added', patch: `@@ -0,0 +1,2 @@\n+${EXEC}\n+${REDIRECT}` }];
    const forced = await deliver('synchronize', C);
    expect(forced.markdown).toContain(`- Whole pull request reviewed: ${B.slice(0, 7)}, the head of the last review, is not an ancestor of ${C.slice(0, 7)} (diverged: a force-push)`);
    expect(github.reviews[2].comments.map((c) => c.line).sort()).toEqual([1, 2]);
    expect(security(forced.job).findings.every((f: { carriedFrom?: string }) => !f.carriedFrom)).toBe(true);
  });
});
