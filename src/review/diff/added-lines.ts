import type { ChangedFile } from '../review.model';

export interface AddedLine {
  file: string;
  line: number;
  text: string;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** The lines a unified-diff patch adds, with their line numbers in the new file. */
export function addedLines(file: ChangedFile): AddedLine[] {
  const lines: AddedLine[] = [];
  let next = 0;
  for (const raw of (file.patch ?? '').split('\n')) {
    const hunk = HUNK.exec(raw);
    if (hunk) {
      next = Number(hunk[1]);
      continue;
    }
    if (raw.startsWith('+') && !raw.startsWith('+++')) lines.push({ file: file.filename, line: next++, text: raw.slice(1) });
    else if (raw.startsWith(' ')) next++;
    // '-' lines and "\ No newline at end of file" do not advance the new file.
  }
  return lines;
}
