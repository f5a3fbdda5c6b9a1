import go from '@ast-grep/lang-go';
import python from '@ast-grep/lang-python';
import { kind, Lang, parseAsync, registerDynamicLanguage, type SgNode } from '@ast-grep/napi';
import type { ChangedFile } from '../review.model';

export type Language = 'javascript' | 'typescript' | 'tsx' | 'python' | 'go';

const BY_EXTENSION: Record<string, Language> = {
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  py: 'python',
  go: 'go',
};

export function languageOf(filename: string): Language | undefined {
  const ext = /\.([a-z]+)$/i.exec(filename)?.[1]?.toLowerCase();
  return ext ? BY_EXTENSION[ext] : undefined;
}

let registered = false;
/** Python and Go come as ast-grep language packages (prebuilt parsers), registered once. */
function grammar(language: Language): Lang | string {
  if (!registered) {
    registerDynamicLanguage({ python, go });
    registered = true;
  }
  return { javascript: Lang.JavaScript, typescript: Lang.TypeScript, tsx: Lang.Tsx, python: 'python', go: 'go' }[language];
}

/**
 * One hunk's post-image (its context and added lines, as the new file has them), parsed. A hunk is a fragment:
 * it can start inside a block and stop before it closes, so brackets are balanced (closers without an opener
 * blanked, openers left open closed at the end) and Go statements are wrapped in a function, keeping every
 * line where it was. `lineOf` maps a node to its line in the new file, or undefined outside the hunk.
 */
export interface Fragment {
  language: Language;
  /** The source that was parsed. */
  text: string;
  root: SgNode;
  /** Lines of the new file that the pull request adds. */
  added: ReadonlySet<number>;
  lineOf(node: SgNode): number | undefined;
}

interface Hunk {
  firstLine: number;
  lines: string[];
  added: Set<number>;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

function hunksOf(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  let hunk: Hunk | undefined;
  let next = 0;
  for (const raw of patch.split('\n')) {
    const header = HUNK.exec(raw);
    if (header) {
      next = Number(header[1]);
      hunk = { firstLine: next, lines: [], added: new Set() };
      hunks.push(hunk);
      continue;
    }
    if (!hunk || raw.startsWith('-') || raw.startsWith('\\')) continue;
    if (raw.startsWith('+')) hunk.added.add(next);
    hunk.lines.push(raw.slice(1));
    next++;
  }
  return hunks.filter((h) => h.added.size > 0);
}

const OPEN: Record<number, number> = { 40: 41, 91: 93, 123: 125 }; // ( [ {
const CLOSE = new Set([41, 93, 125]);
const [BACKSLASH, NEWLINE, HASH, SLASH, STAR, BACKTICK] = [92, 10, 35, 47, 42, 96];

/**
 * Balances a fragment's brackets outside strings and comments. Written here because no kept library repairs
 * code fragments; it needs only to be good enough for an error-tolerant parser to see the statements.
 */
export function balance(text: string, hashComments: boolean): string {
  const blanks: number[] = [];
  const stack: number[] = [];
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === BACKSLASH) i++;
      else if (c === quote || (c === NEWLINE && quote !== BACKTICK)) quote = 0;
      continue;
    }
    if (c === 34 || c === 39 || c === BACKTICK) quote = c;
    else if (hashComments ? c === HASH : c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (!hashComments && c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (OPEN[c]) stack.push(OPEN[c]);
    else if (CLOSE.has(c)) {
      if (stack[stack.length - 1] === c) stack.pop();
      else blanks.push(i);
    }
  }
  let out = text;
  if (blanks.length) {
    const chars = text.split('');
    for (const i of blanks) chars[i] = ' ';
    out = chars.join('');
  }
  return out + (quote ? String.fromCharCode(quote) : '') + (stack.length ? `\n${String.fromCharCode(...stack.reverse())}` : '');
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length)));
}

function source(language: Language, lines: string[]): { text: string; offset: number } {
  if (language === 'python') return { text: balance(dedent(lines).join('\n'), true), offset: 0 };
  const body = balance(lines.join('\n'), false);
  if (language !== 'go') return { text: body, offset: 0 };
  if (/^package /m.test(body)) return { text: body, offset: 0 };
  if (/^(?:func|var|const|type|import) /m.test(body)) return { text: `package p\n${body}`, offset: 1 };
  return { text: `package p\nfunc _() {\n${body}\n}`, offset: 2 };
}

/** A grammar's number for a node kind, or undefined when the grammar has no such kind. */
export function kindId(language: Language, name: string): number | undefined {
  return kind(grammar(language) as Lang, name) || undefined;
}

/**
 * The parsed fragments of a changed file, or none when its language is not one the code rules read. Parsing
 * runs on libuv's thread pool (ast-grep's parseAsync), off the event loop and on every core. A hunk whose text
 * `wanted` refuses (no rule could match it) is not parsed at all.
 */
export async function fragmentsOf(file: ChangedFile, wanted: (text: string) => boolean = () => true): Promise<Fragment[]> {
  const language = languageOf(file.filename);
  if (!language || !file.patch) return [];
  const hunks = hunksOf(file.patch)
    .map((hunk) => ({ hunk, ...source(language, hunk.lines) }))
    .filter(({ text }) => wanted(text));
  const roots = await Promise.all(hunks.map(({ text }) => parseAsync(grammar(language) as Lang, text)));
  return hunks.map(({ hunk, text, offset }, i) => {
    const root = roots[i].root();
    return {
      language,
      text,
      root,
      added: hunk.added,
      lineOf(node) {
        const line = node.range().start.line - offset;
        return line >= 0 && line < hunk.lines.length ? hunk.firstLine + line : undefined;
      },
    };
  });
}
