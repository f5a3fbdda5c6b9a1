import { generateKeyPairSync } from 'node:crypto';
import type { FakeGitHub } from '../src/testing/fake-github';
import { deliverPullRequest, githubExample, startWithFakeGitHub } from './support/github';
import type { LlmTestApp } from './support/llm-app';

const APP_ID = 4242;
const INSTALLATION = 77;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

// 100 medium findings (HTML from a variable) and 20 high ones (SQL from the request): 120 annotations.
const lines = [
  ...Array.from({ length: 100 }, (_, i) => `el${i}.innerHTML = comment.body${i};`),
  ...Array.from({ length: 20 }, (_, i) => `db.query("SELECT * FROM t${i} WHERE id = " + req.params.id);`),
];
const FILES = [{ filename: 'src/render.ts', status: 'added', patch: `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}` }];

describe('as a GitHub App: installation tokens, check runs with annotations, inline comments', () => {
  let t: LlmTestApp;
  let github: FakeGitHub;
  beforeAll(async () => {
    ({ t, github } = await startWithFakeGitHub(
      {
        GITHUB_APP_ID: String(APP_ID),
        // A one-line variable, as deployment files hold it: line breaks written as \n.
        GITHUB_APP_PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'),
        // With both, the App is used.
        GITHUB_TOKEN: 'ghp_personaltoken0123456789abcdefghij',
        PUBLIC_URL: 'https://bsm.example.test/',
      },
      { app: { id: APP_ID, publicKey } },
    ));
    github.files = FILES;
  });
  afterAll(async () => {
    await t?.dispose();
    await github?.close();
  });

  async function deliver(installation: number | null = INSTALLATION, head?: string): Promise<Record<string, any>> {
    const payload = githubExample('pull_request', 'opened');
    if (head) (payload.pull_request as { head: { sha: string } }).head.sha = head;
    if (installation === null) delete payload.installation;
    else payload.installation = { id: installation };
    return deliverPullRequest(t, payload);
  }

  it('exchanges the App JWT for an installation token once, creates a check run and completes it with 120 annotations, 50 per request', async () => {
    const job = await deliver();
    expect(job.status).toBe('completed');
    expect(github.tokens).toEqual([{ installationId: INSTALLATION, token: expect.stringMatching(/^ghs_fakeinstallation/) }]);
    const repoCalls = github.calls.map((call, i) => [call, github.authorizations[i]]).filter(([call]) => call!.startsWith('GET /repos') || call!.startsWith('POST /repos') || call!.startsWith('PATCH /repos'));
    expect(repoCalls.length).toBeGreaterThan(4);
    for (const [, authorization] of repoCalls) expect(authorization).toBe(`token ${github.tokens[0].token}`);

    expect(github.checkRuns).toHaveLength(1);
    const [run] = github.checkRuns;
    expect(run).toMatchObject({
      name: 'BSM review',
      head_sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      status: 'completed',
      conclusion: 'failure',
      details_url: `https://bsm.example.test/reviews/${job.id}`,
      output: { title: expect.stringMatching(/^Changes requested: /), summary: expect.stringContaining('# REQUEST CHANGES') },
    });
    expect(run.annotationBatches).toEqual([50, 50, 20]);
    expect(run.annotations).toHaveLength(120);
    expect(run.annotations).toContainEqual({
      path: 'src/render.ts',
      start_line: 101,
      end_line: 101,
      annotation_level: 'failure',
      title: 'code/sql-injection/js-string-built',
      message: expect.stringContaining('SQL built from strings'),
      raw_details: expect.stringMatching(/^Fix: /),
    });
    expect(run.annotations.filter((a) => (a as { annotation_level: string }).annotation_level === 'warning')).toHaveLength(100);
    expect(job.decision.github).toMatchObject({ check: { kind: 'check_run', id: run.id, conclusion: 'failure', annotations: 120 }, inlineComments: 20, problems: [] });

    // The high findings, on their lines, as review comments.
    const [review] = github.reviews;
    expect(review.event).toBe('REQUEST_CHANGES');
    expect(review.comments).toHaveLength(20);
    expect(review.comments[0]).toEqual({ path: 'src/render.ts', line: 101, side: 'RIGHT', body: expect.stringMatching(/^\*\*high\*\* SQL built from strings/) });
  });

  it('reuses the token and the check run of the same head commit on a redelivery, and updates the summary in place', async () => {
    const job = await deliver();
    expect(github.tokens).toHaveLength(1);
    expect(github.checkRuns).toHaveLength(1);
    expect(github.calls.filter((c) => c === 'POST /repos/Codertocat/Hello-World/check-runs')).toHaveLength(1);
    // The review of this commit is there already: not posted twice.
    expect(job.decision.github).toMatchObject({ commentCreated: false, reviewCreated: false, check: { id: github.checkRuns[0].id } });
    expect(github.reviews).toHaveLength(1);
    expect(github.comments).toHaveLength(1);
  });

  it('records a 403 on the check-runs endpoint, naming the permission, without failing the review', async () => {
    github.refuse = [{ method: 'GET', path: /\/check-runs$/, status: 403 }];
    const job = await deliver();
    github.refuse = [];
    expect(job.status).toBe('completed');
    expect(job.decision.action).toBe('request_changes');
    expect(job.decision.github.problems).toEqual([expect.stringMatching(/^creating the check run: GitHub answered 403 .*; it needs checks: write$/)]);
    expect(job.decision.github.review).toBe('REQUEST_CHANGES');
  });

  it('retries a read that met a 5xx, never a write: the review refused once is recorded, not posted twice', async () => {
    const files = (c: string) => c === 'GET /repos/Codertocat/Hello-World/pulls/2/files';
    const reviews = (c: string) => c === 'POST /repos/Codertocat/Hello-World/pulls/2/reviews';
    const [filesBefore, reviewsBefore] = [github.calls.filter(files).length, github.calls.filter(reviews).length];
    github.refuse = [
      { method: 'GET', path: /\/pulls\/2\/files$/, status: 502, times: 1 },
      { method: 'POST', path: /\/pulls\/2\/reviews$/, status: 502, times: 1 },
    ];
    const job = await deliver(INSTALLATION, 'd'.repeat(40));
    github.refuse = [];
    expect(job.status).toBe('completed');
    expect(github.calls.filter(files).length - filesBefore).toBe(2);
    expect(github.calls.filter(reviews).length - reviewsBefore).toBe(1);
    expect(job.decision.github.error).toMatch(/^posting the review: /);
    expect(job.decision.github.check).toMatchObject({ kind: 'check_run', conclusion: 'failure' });
  });

  it('reviews a webhook that names no installation, recording why nothing went to GitHub', async () => {
    const before = github.reviews.length;
    const job = await deliver(null);
    expect(job.status).toBe('completed');
    expect(job.decision.action).toBe('manual_review');
    expect(job.decision.reasons.join(' ')).toContain('not reviewed: no diff');
    expect(job.decision.github.problems.join(' ')).toContain('names no installation');
    expect(github.reviews).toHaveLength(before);
  });
});
