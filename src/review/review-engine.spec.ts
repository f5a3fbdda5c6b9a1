import type { AgentResult } from './review.model';
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
  const asResult = (agentId: string, report: { verdict: AgentResult['verdict']; summary: string; findings: AgentResult['findings'] }): AgentResult => ({
    agentId,
    kind: 'analyzer',
    status: 'success',
    verdict: report.verdict,
    output: report.summary,
    findings: report.findings,
    metadata: { intent: 'review_pr', action: 'review_pr', allowed: true },
    powers: { block: true, remember: false },
    executionTime: 0,
  });

  it('masks a secret for every reviewer, finds it and blocks', async () => {
    const review = await engine.prepare(input(`@@ -1 +1,2 @@\n const a = 1;\n+const token = "${TOKEN}";`));
    expect(review.secrets).toHaveLength(1);
    expect(JSON.stringify(review.input)).not.toContain(TOKEN.slice(4));
    const security = await engine.analyze('security', review);
    const decision = engine.decide([asResult('security', security!)], review);
    expect(decision).toMatchObject({ action: 'block_pr', reason: expect.stringContaining('ghp_***') });
  });

  it('knows its analyzers, and answers undefined for an unknown one', async () => {
    expect(engine.analyzerNames().sort()).toEqual(['governance', 'security']);
    expect(await engine.analyze('nope', await engine.prepare(input('@@ -0,0 +1 @@\n+x')))).toBeUndefined();
  });

  it('decides manual_review on an empty diff, whatever the verdicts', async () => {
    const review = await engine.prepare(input());
    const approve = asResult('governance', { verdict: 'approve', summary: 'ok', findings: [] });
    expect(engine.decide([approve], review).action).toBe('manual_review');
  });
});
