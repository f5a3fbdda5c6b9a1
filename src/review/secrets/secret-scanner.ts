import type { ChangedFile } from '../review.model';
import { addedLines, type AddedLine } from '../diff/added-lines';
import { placeholderReason, shannonEntropy } from './placeholders';
import type { Pattern, SecretRule, SecretRules } from './secret-rules';

export interface SecretHit {
  file: string;
  /** Line in the new file; absent for a file that is a finding by its name (a key store added). */
  line?: number;
  /** `secret/<rule id>`. */
  rule: string;
  /** The secret itself: used only to mask it, never stored or shown. Empty for a file-name finding. */
  value: string;
}

/** A match a rule made that was judged not to be a secret, and why: shown only in debug output. */
export interface DismissedSecret {
  file: string;
  line: number;
  rule: string;
  reason: string;
}

export interface SecretScan {
  hits: SecretHit[];
  dismissed: DismissedSecret[];
}

/** First 4 characters and `***`: enough to recognise a credential, not to use it. */
export function maskSecret(value: string): string {
  return `${value.slice(0, 4)}***`;
}

/** Replaces every found secret in a text with its masked form, line by line (a private key spans lines). */
export function maskAll(text: string, secrets: readonly SecretHit[]): string {
  let masked = text;
  for (const secret of secrets) {
    for (const part of secret.value.split(/\\r?\\n|\r?\n/)) {
      const piece = part.trim();
      if (piece.length >= 8) masked = masked.split(piece).join(maskSecret(piece));
    }
  }
  return masked;
}

/** The added text of a file and the line number of each of its characters' lines. */
class AddedText {
  readonly text: string;
  readonly lower: string;
  private readonly starts: number[] = [];

  constructor(private readonly lines: AddedLine[]) {
    let offset = 0;
    for (const line of lines) {
      this.starts.push(offset);
      offset += line.text.length + 1;
    }
    this.text = lines.map((l) => l.text).join('\n');
    this.lower = this.text.toLowerCase();
  }

  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.lines[lo]?.line ?? 0;
  }
}

/**
 * Finds secrets in added lines with rules that are data (secret-rules.yaml, plus a deployment's own): a
 * keyword pre-filter, the rule's pattern, then the checks that tell a credential from a placeholder
 * (allow lists, entropy floor, template and example values). Where two rules match the same characters,
 * the earlier rule names the finding.
 */
export class SecretScanner {
  private readonly rules: Promise<SecretRules & { keywords: KeywordIndex }>;

  constructor(rules: SecretRules | Promise<SecretRules>) {
    this.rules = Promise.resolve(rules).then((loaded) => ({ ...loaded, keywords: new KeywordIndex(loaded.rules) }));
    // Rules still loading when nothing awaits them yet: a file that fails to load fails the first scan (which
    // awaits them), not the process as an unhandled rejection.
    this.rules.catch(() => undefined);
  }

  /** This scanner with a repository's own rules first (where they and a built-in rule match alike, theirs names it). */
  withRules(extra: readonly SecretRule[]): SecretScanner {
    return new SecretScanner(this.rules.then(({ rules, allow }) => ({ rules: [...extra, ...rules], allow })));
  }

  /** The ids of the rules it runs: ids a repository's own rule may not take. */
  async ruleIds(): Promise<Set<string>> {
    return new Set((await this.rules).rules.map((rule) => rule.id));
  }

  async scan(files: readonly ChangedFile[]): Promise<SecretScan> {
    const { rules, allow, keywords } = await this.rules;
    const scan: SecretScan = { hits: [], dismissed: [] };
    for (const file of files) {
      if (file.status === 'removed') continue;
      for (const rule of rules) if (rule.path && first(rule.path, file.filename)) scan.hits.push({ file: file.filename, rule: `secret/${rule.id}`, value: '' });
      const lines = addedLines(file);
      if (lines.length > 0) {
        const added = new AddedText(lines);
        this.scanText(file.filename, added, keywords.rulesIn(added.lower), allow, scan);
      }
    }
    return scan;
  }

  private scanText(file: string, added: AddedText, rules: readonly SecretRule[], allow: readonly Pattern[], scan: SecretScan): void {
    const taken: Array<[number, number]> = [];
    for (const rule of rules) {
      for (const match of matchesOf(rule, added.text)) {
        const start = match.valueIndex;
        const end = start + match.value.length;
        if (taken.some(([s, e]) => start < e && s < end)) continue;
        const reason = dismissal(rule, match.value, allow);
        const line = added.lineAt(start);
        if (reason) {
          scan.dismissed.push({ file, line, rule: `secret/${rule.id}`, reason });
          continue;
        }
        taken.push([start, end]);
        scan.hits.push({ file, line, rule: `secret/${rule.id}`, value: match.value });
      }
    }
  }
}

/**
 * The pattern rules a text may match, by their keywords, found in one pass over the text: a regex of lookaheads
 * finds where each keyword starts, longest first, so a shorter keyword starting at the same place is a prefix of
 * the one found. One pass, not a search of the whole text per keyword and rule (a few hundred per file).
 */
class KeywordIndex {
  private readonly regex: RegExp | undefined;
  /** Rules by the keyword found: those with a keyword it starts with. */
  private readonly byFound = new Map<string, ReadonlySet<SecretRule>>();

  constructor(private readonly rules: readonly SecretRule[]) {
    const keywords = [...new Set(rules.flatMap((rule) => (rule.regex ? rule.keywords : [])))].sort((a, b) => b.length - a.length);
    const escaped = keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.regex = keywords.length ? new RegExp(`(?=(${escaped.join('|')}))`, 'g') : undefined;
  }

  /** The rules to run on a lower-cased text, in their order (the earlier rule names a finding). */
  rulesIn(lower: string): SecretRule[] {
    if (!this.regex) return [];
    const wanted = new Set<SecretRule>();
    const found = new Set<string>();
    for (const match of lower.matchAll(this.regex)) found.add(match[1]);
    for (const keyword of found) for (const rule of this.rulesFor(keyword)) wanted.add(rule);
    return wanted.size ? this.rules.filter((rule) => wanted.has(rule)) : [];
  }

  private rulesFor(found: string): ReadonlySet<SecretRule> {
    let rules = this.byFound.get(found);
    if (!rules) {
      rules = new Set(this.rules.filter((rule) => rule.regex && rule.keywords.some((k) => found.startsWith(k))));
      this.byFound.set(found, rules);
    }
    return rules;
  }
}

function first(pattern: Pattern, text: string): boolean {
  for (const _ of pattern.matches(text)) return true;
  return false;
}

function* matchesOf(rule: SecretRule, text: string) {
  if (!rule.within) {
    yield* rule.regex!.matches(text);
    return;
  }
  for (const region of rule.within.matches(text)) {
    const slice = text.slice(region.index, region.end);
    for (const m of rule.regex!.matches(slice)) yield { ...m, index: m.index + region.index, end: m.end + region.index, valueIndex: m.valueIndex + region.index };
  }
}

function dismissal(rule: SecretRule, value: string, allow: readonly Pattern[]): string | undefined {
  if (rule.allow.some((p) => first(p, value))) return `allowed by the rule's allow list`;
  if (allow.some((p) => first(p, value))) return 'a documented example value';
  const placeholder = placeholderReason(value);
  if (placeholder) return placeholder;
  if (rule.entropy !== undefined) {
    const bits = shannonEntropy(value);
    if (bits < rule.entropy) return `entropy ${bits.toFixed(2)} below the rule's ${rule.entropy}`;
  }
  return undefined;
}
