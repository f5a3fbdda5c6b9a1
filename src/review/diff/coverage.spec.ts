import { coverageOf, NO_DIFF } from './coverage';

describe('coverageOf', () => {
  it('reports no diff when there are no files', () => {
    expect(coverageOf([])).toEqual({ reviewedFiles: 0, notReviewed: [NO_DIFF] });
  });

  it('counts patches, removals, pure renames and binaries as reviewed, and names a text file without its patch', () => {
    const coverage = coverageOf([
      { filename: 'src/a.ts', status: 'modified', additions: 1, deletions: 0, patch: '@@ -1 +1 @@\n+x' },
      { filename: 'src/old.ts', status: 'removed', additions: 0, deletions: 40 },
      { filename: 'src/moved.ts', status: 'renamed', additions: 0, deletions: 0 },
      { filename: 'docs/logo.png', status: 'added', additions: 0, deletions: 0 },
      { filename: 'certs/client.p12', status: 'added' },
      { filename: 'src/generated.ts', status: 'modified', additions: 12000, deletions: 3 },
    ]);
    expect(coverage).toEqual({ reviewedFiles: 5, notReviewed: [expect.stringMatching(/^src\/generated\.ts: GitHub sent no patch/)] });
  });
});
