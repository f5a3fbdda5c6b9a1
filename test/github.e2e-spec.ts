import type { FakeGitHub } from '../src/testing/fake-github';
import { deliverPullRequest, githubExample, startWithFakeGitHub } from './support/github';
import type { LlmTestApp } from './support/llm-app';
import { ADMIN_TOKEN } from './support/test-app';
import { CLEAN_FILES, PLANTED_TOKEN, SECRET_FILES } from './support/pull-requests';

describe('carrying decisions out on GitHub (GITHUB_TOKEN)', () => {
  let t: LlmTestApp;
  let github: FakeGitHub;
  afterEach(async () => {
    await t?.dispose();
    await github?.close();
  });

  async function start() {
    ({ t, github } = await startWithFakeGitHub());
  }

  const deliver = (action: string) => deliverPullRequest(t, githubExample('pull_request', action));

  it('fetches the files, blocks with a review, a label and one summary comment updated in place, secret masked', async () => {
    await start();
    github.files = SECRET_FILES;
    const first = await deliver('opened');
    expect(first.decision).toMatchObject({ action: 'block_pr', github: { review: 'REQUEST_CHANGES', labels: ['blocked'], commentCreated: true } });
    expect(github.calls).toContain('GET /repos/Codertocat/Hello-World/pulls/2/files');
    expect(github.reviews).toHaveLength(1);
    expect(github.labels).toEqual(['blocked']);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0].body).toContain('`src/config.ts:11`');
    // A token cannot create check runs: the outcome goes out as a commit status that branch protection can require.
    expect(github.checkRuns).toEqual([]);
    expect(github.statuses.map(({ sha, state, context }) => [sha, state, context])).toEqual([
      ['ec26c3e57ca3a959ca5aad62de7213c562f8c821', 'pending', 'bsm/review'],
      ['ec26c3e57ca3a959ca5aad62de7213c562f8c821', 'failure', 'bsm/review'],
    ]);
    expect(github.statuses[1].description).toMatch(/^Blocked: /);
    expect(first.decision.github).toMatchObject({ check: { kind: 'status', state: 'failure' }, inlineComments: 1, problems: [] });
    expect(github.reviews[0].comments).toEqual([expect.objectContaining({ path: 'src/config.ts', line: 11, side: 'RIGHT' })]);

    const second = await deliver('synchronize');
    expect(second.decision.github).toMatchObject({ commentCreated: false, commentId: github.comments[0].id });
    expect(github.comments).toHaveLength(1);
    expect(JSON.stringify([github.comments, github.reviews])).not.toContain(PLANTED_TOKEN.slice(4));
  });

  it('approves when the analyzers passed; an approval resting on LLM verdicts alone is only a comment', async () => {
    await start();
    github.files = CLEAN_FILES;
    expect((await deliver('opened')).decision.github).toMatchObject({ review: 'APPROVE', labels: [] });
    await t.http
      .put('/api/orchestrator/config/pull_request.reopened')
      .set('x-admin-token', ADMIN_TOKEN)
      .send({ agents: ['code-review-agent'] })
      .expect(200);
    const llmOnly = await deliver('reopened');
    expect(llmOnly.decision).toMatchObject({ action: 'approve', github: { review: 'COMMENT' } });
  });

  it('records a failed post without failing the job', async () => {
    await start();
    github.files = CLEAN_FILES;
    github.failWrites = 502;
    const job = await deliver('opened');
    expect(job.status).toBe('completed');
    expect(job.decision.github.error).toBeDefined();
    expect(github.reviews).toHaveLength(0);
  });
});
