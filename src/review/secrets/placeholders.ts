/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const TEMPLATE = /\$\{|\{\{|%\(|<[^>]*>|^\$[A-Za-z_{]|\*{3}|\[redacted\]|…|\.\.\./i;
const WORDS = /example|sample|dummy|placeholder|change_?-?me|replace_?-?me|your[_-]|insert|redacted|fake|password|notreal|xxxxx/i;
/** A dotted reference (`config.jwtSecret`, `os.environ`): code that reads a value, not a value. */
const REFERENCE = /^[A-Za-z_$][\w$]{0,31}(?:\.[A-Za-z_$][\w$]{0,31})+$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z_$]*$/;

function longestRun(value: string, step: number): number {
  let best = 1;
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) - value.charCodeAt(i - 1) === step && /[0-9A-Za-z]/.test(value[i]) ? run + 1 : 1;
    best = Math.max(best, run);
  }
  return best;
}

function dominantShare(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  return Math.max(...counts.values()) / value.length;
}

/**
 * Why a value that a rule matched is not a secret, or undefined when it may be one: template and variable
 * references, redactions, placeholder words, repeated or sequential characters, names of code.
 */
export function placeholderReason(value: string): string | undefined {
  if (TEMPLATE.test(value)) return 'a template, variable reference or redaction';
  if (WORDS.test(value)) return 'a placeholder word';
  if (value.length >= 8 && dominantShare(value) > 0.4) return 'mostly one repeated character';
  if (/(.)\1{7}/.test(value)) return 'a run of one repeated character';
  if (longestRun(value, 1) >= 6 || longestRun(value, -1) >= 6) return 'a run of sequential characters';
  if (REFERENCE.test(value)) return 'a reference to a value in code';
  if (IDENTIFIER.test(value) && (value.length < 20 || shannonEntropy(value) < 3.5)) return 'a name in code';
  return undefined;
}
