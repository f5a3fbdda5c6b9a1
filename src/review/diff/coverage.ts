import type { ChangedFile } from '../review.model';

/**
 * Files GitHub sends without a patch because they are binary. They are checked by name only (a keystore or a
 * key file added is itself a finding) and count as reviewed; a text file without a patch does not.
 */
const BINARY_FILE =
  /\.(png|jpe?g|gif|webp|avif|ico|bmp|tiff?|psd|pdf|zip|gz|tgz|bz2|xz|zst|tar|jar|war|ear|7z|rar|woff2?|ttf|eot|otf|mp[34]|m4a|wav|ogg|mov|avi|mkv|webm|wasm|so|dll|exe|bin|dylib|a|o|class|pyc|p12|pfx|jks|keystore|der|sqlite|db)$/i;

/** What a review could and could not look at. */
export interface Coverage {
  /** Files whose changes were reviewed (patches, removals, pure renames, binaries by name). */
  reviewedFiles: number;
  /** One line per thing that was not reviewed, with why; empty when everything was. */
  notReviewed: string[];
}

export const NO_DIFF = 'no diff: the changed files were not sent and could not be fetched';

export function coverageOf(files: readonly ChangedFile[]): Coverage {
  if (files.length === 0) return { reviewedFiles: 0, notReviewed: [NO_DIFF] };
  const notReviewed = files
    .filter((f) => !f.patch && f.status !== 'removed' && !BINARY_FILE.test(f.filename) && (f.additions ?? 1) + (f.deletions ?? 0) > 0)
    .map((f) => `${f.filename}: GitHub sent no patch (too large to show), and it was not fetched`);
  return { reviewedFiles: files.length - notReviewed.length, notReviewed };
}
