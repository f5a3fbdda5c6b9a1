import { parseUnifiedDiff, UnparseableDiffError } from './unified-diff';

const DIFF = [
  'diff --git a/bin.dat b/bin.dat',
  'new file mode 100644',
  'index 0000000..7a85590',
  'Binary files /dev/null and b/bin.dat differ',
  'diff --git a/src/a.ts b/src/a.ts',
  'index 1111111..2222222 100644',
  '--- a/src/a.ts',
  '+++ b/src/a.ts',
  '@@ -1,2 +1,3 @@ export const a = 1;',
  ' keep',
  '-old',
  '+new',
  '+more',
  'diff --git a/gone.txt b/gone.txt',
  'deleted file mode 100644',
  '--- a/gone.txt',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-old',
  'diff --git a/before.ts b/after.ts',
  'similarity index 100%',
  'rename from before.ts',
  'rename to after.ts',
  '',
].join('\n');

describe('parseUnifiedDiff', () => {
  it('reads git diff output into files in the pull-request shape', () => {
    expect(parseUnifiedDiff(DIFF)).toEqual([
      { filename: 'bin.dat', status: 'added', additions: 0, deletions: 0 },
      { filename: 'src/a.ts', status: 'modified', additions: 2, deletions: 1, patch: '@@ -1,2 +1,3 @@ export const a = 1;\n keep\n-old\n+new\n+more' },
      { filename: 'gone.txt', status: 'removed', additions: 0, deletions: 1, patch: '@@ -1 +0,0 @@\n-old' },
      { filename: 'after.ts', status: 'renamed', additions: 0, deletions: 0 },
    ]);
  });

  it('reads an empty diff as no files, and refuses text that is not a diff', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
    expect(() => parseUnifiedDiff('hello, this is not a patch')).toThrow(UnparseableDiffError);
  });
});
