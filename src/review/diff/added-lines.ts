import type { ChangedFile } from '../review.model';

export interface AddedLine {
  file: string;
  line: number;
  text: string;
}

/** A line of the new file that a patch shows: added by it, or context around what it changed. */
export interface ShownLine extends AddedLine {
  added: boolean;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** The new file's lines that a unified-diff patch shows (added and context), with their line numbers. */
export function shownLines(file: ChangedFile): ShownLine[] {
  const lines: ShownLine[] = [];
  let next = 0;
  for (const raw of (file.patch ?? '').split('\n')) {
    const hunk = HUNK.exec(raw);
    if (hunk) {
      next = Number(hunk[1]);
      continue;
    }
    if (raw.startsWith('+') && !raw.startsWith('+++')) lines.push({ file: file.filename, line: next++, text: raw.slice(1), added: true });
    else if (raw.startsWith(' ')) lines.push({ file: file.filename, line: next++, text: raw.slice(1), added: false });
    // '-' lines and "\ No newline at end of file" do not advance the new file.
  }
  return lines;
}

/** The lines a unified-diff patch adds, with their line numbers in the new file. */
export function addedLines(file: ChangedFile): AddedLine[] {
  return shownLines(file).filter((line) => line.added);
}
