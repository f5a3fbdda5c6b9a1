import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { shownLines, type ShownLine } from '../diff/added-lines';
import type { ChangedFile, Finding, Severity, SuppressedFinding } from '../review.model';
import type { SecretHit } from '../secrets/secret-scanner';

/** What a repository's configuration says about findings (`.bsm.yml`: ignore, allow, rules). */
export interface FindingRules {
  /** Path globs whose findings do not count. */
  ignore: readonly string[];
  /** Accepted findings: fingerprints (16 hex characters) or SHA-256 hashes of a secret's value (64). */
  allow: readonly string[];
  /** By rule id: `off`, or the severity its findings get instead. */
  rules: Readonly<Record<string, 'off' | Severity>>;
}

export const NO_FINDING_RULES: FindingRules = { ignore: [], allow: [], rules: {} };

/**
 * A finding's fingerprint: the first 16 hex characters of SHA-256 over its rule id, file path and the trimmed
 * text of its line (a secret's line as masked), so it survives the line moving and never holds a secret.
 */
export function fingerprintOf(rule: string, file: string, lineText: string): string {
  return createHash('sha256').update(`${rule}\n${file}\n${lineText.trim()}`).digest('hex').slice(0, 16);
}

/** SHA-256 of a secret's value: how `allow` accepts a known credential without writing it down. */
export function valueHashOf(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** `bsm-ignore: RULE reason`, in any comment syntax (a closing `*\/` or `-->` is not part of the reason). */
const INLINE = /\bbsm-ignore:\s*(\S+)[ \t]*(.*?)\s*(?:\*\/|-->)?\s*$/;

export interface Screened {
  findings: Finding[];
  suppressed: SuppressedFinding[];
}

/** Screened findings as a reviewer's result carries them: the suppressed list only when there is one. */
export function resultFields({ findings, suppressed }: Screened): { findings: Finding[]; suppressed?: SuppressedFinding[] } {
  return suppressed.length ? { findings, suppressed } : { findings };
}

/**
 * What counts of a review's findings: each gets its fingerprint; those in ignored paths, of rules turned off,
 * allowed by fingerprint or secret hash, or marked `bsm-ignore: RULE reason` on their line or the line above
 * are set aside as suppressed (listed in the report, never silently dropped); a severity the configuration
 * changes is applied. A `bsm-ignore` without a reason does not count, and the finding says so.
 */
export class FindingPolicy {
  private readonly lines = new Map<string, Map<number, ShownLine>>();
  private readonly secretHashes = new Map<string, string>();
  private readonly ignored: Array<{ glob: string; test: (path: string) => boolean }>;

  constructor(
    private readonly files: readonly ChangedFile[],
    secrets: readonly SecretHit[],
    private readonly config: FindingRules = NO_FINDING_RULES,
  ) {
    for (const secret of secrets) if (secret.value) this.secretHashes.set(`${secret.rule}\n${secret.file}\n${secret.line}`, valueHashOf(secret.value));
    this.ignored = config.ignore.map((glob) => ({ glob, test: picomatch(glob, { dot: true }) }));
  }

  /** The line of a file's new version as the (masked) patch shows it. */
  private line(file: string, line: number): ShownLine | undefined {
    let byLine = this.lines.get(file);
    if (!byLine) {
      const changed = this.files.find((f) => f.filename === file);
      byLine = new Map((changed ? shownLines(changed) : []).map((l) => [l.line, l]));
      this.lines.set(file, byLine);
    }
    return byLine.get(line);
  }

  screen(findings: readonly Finding[]): Screened {
    const kept: Finding[] = [];
    const suppressed: SuppressedFinding[] = [];
    for (const original of findings) {
      const finding: Finding = { ...original };
      if (finding.rule && finding.file) finding.fingerprint = fingerprintOf(finding.rule, finding.file, finding.line ? (this.line(finding.file, finding.line)?.text ?? '') : '');
      const why = this.configured(finding);
      if (why) {
        suppressed.push({ ...finding, suppressedBy: 'config', reason: why });
        continue;
      }
      const inline = this.inline(finding);
      if (inline?.reason) {
        suppressed.push({ ...finding, suppressedBy: 'inline', reason: inline.reason });
        continue;
      }
      const severity = finding.rule ? this.config.rules[finding.rule] : undefined;
      if (severity && severity !== 'off') finding.severity = severity;
      if (inline) finding.message += ` (a bsm-ignore on line ${inline.line} gives no reason, so it does not count)`;
      kept.push(finding);
    }
    return { findings: kept, suppressed };
  }

  private configured(finding: Finding): string | undefined {
    const glob = finding.file ? this.ignored.find((g) => g.test(finding.file!))?.glob : undefined;
    if (glob) return `.bsm.yml ignore: ${glob}`;
    if (finding.rule && this.config.rules[finding.rule] === 'off') return `.bsm.yml rules: ${finding.rule} is off`;
    if (finding.fingerprint && this.config.allow.includes(finding.fingerprint)) return `.bsm.yml allow: ${finding.fingerprint}`;
    const hash = finding.rule && finding.file ? this.secretHashes.get(`${finding.rule}\n${finding.file}\n${finding.line}`) : undefined;
    if (hash && this.config.allow.includes(hash)) return `.bsm.yml allow: the secret's SHA-256 ${hash.slice(0, 12)}…`;
    return undefined;
  }

  /** A `bsm-ignore` naming the finding's rule on its line or the line above, with the reason given (maybe none). */
  private inline(finding: Finding): { line: number; reason: string } | undefined {
    if (!finding.rule || !finding.file || !finding.line) return undefined;
    for (const line of [finding.line, finding.line - 1]) {
      const match = INLINE.exec(this.line(finding.file, line)?.text ?? '');
      if (match && match[1] === finding.rule) return { line, reason: match[2].trim() };
    }
    return undefined;
  }
}
