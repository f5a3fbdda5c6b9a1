import parseDiff from 'parse-diff';
import type { ChangedFile } from '../review.model';

/** A diff that is not in git's unified format: nothing can be reviewed from it. */
export class UnparseableDiffError extends Error {}

/**
 * The files of a `git diff` (or `git format-patch`) output, parsed by parse-diff, in the shape of GitHub's
 * list-files API: the review engine then reads a local diff exactly like a pull request's.
 */
export function parseUnifiedDiff(text: string): ChangedFile[] {
  const parsed = parseDiff(text);
  if (parsed.length === 0 && text.trim() !== '') throw new UnparseableDiffError('not a unified diff: no file header found');
  return parsed.map((file) => {
    const filename = file.deleted ? (file.from ?? '') : (file.to ?? file.from ?? '');
    const status = file.new ? 'added' : file.deleted ? 'removed' : file.from !== file.to ? 'renamed' : 'modified';
    const patch = file.chunks.map((chunk) => [chunk.content, ...chunk.changes.map((change) => change.content)].join('\n')).join('\n');
    return { filename, status, additions: file.additions, deletions: file.deletions, ...(patch ? { patch } : {}) };
  });
}
