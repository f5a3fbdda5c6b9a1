import { ReviewEngine } from './review-engine';

const TOKEN = 'ghp_' + 'Zq7Kx2Lm9Np4Rs6Tv8Wy1Ab3Cd5Ef0Gh2Ij4';

describe('ReviewEngine without Nest', () => {
  const engine = ReviewEngine.standalone();
  const input = (patch?: string) => ({
    event: 'cli',
    repo: null,
    pr: { number: null, title: 'Add config', body: 'Adds the client configuration and its tests.', draft: false, author: null, additions: 1, deletions: 0, changedFiles: 1 },
    files: patch === undefined ? [] : [{ filename: 'src/config.ts', status: 'modified', additions: 1, deletions: 0, patch }],
  });
  it('masks a secret for every reviewer, finds it and blocks', async () => {
    const review = await engine.prepare(input(`@@ -1 +1,2 @@\n const a = 1;\n+const token = "${TOKEN}";`));
    expect(review.secrets).toHaveLength(1);
    expect(JSON.stringify(review.input)).not.toContain(TOKEN.slice(4));
    const decision = engine.decide(await engine.analyzeAll(['security'], review), review);
    expect(decision).toMatchObject({ action: 'block_pr', reason: expect.stringContaining('ghp_***') });
  });

  it('knows its analyzers; an unknown one is a failed reviewer, so nothing is approved', async () => {
    expect(engine.analyzerNames().sort()).toEqual(['governance', 'security']);
    const review = await engine.prepare(input('@@ -0,0 +1 @@\n+x'));
    const results = await engine.analyzeAll(['security', 'nope'], review);
    expect(results[1]).toMatchObject({ status: 'failed', reason: 'no analyzer named "nope"' });
    expect(engine.decide(results, review).action).toBe('manual_review');
  });

  it('decides manual_review on an empty diff, whatever the verdicts', async () => {
    const review = await engine.prepare(input());
    expect(engine.decide(await engine.analyzeAll(['governance'], review), review).action).toBe('manual_review');
  });
});
