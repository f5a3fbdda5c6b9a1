import { Injectable } from '@nestjs/common';
import type { ChangedFile } from '../review.model';
import { addedLines } from '../diff/added-lines';

export interface SecretHit {
  file: string;
  line: number;
  rule: string;
  /** The secret itself: used only to mask it, never stored or shown. */
  value: string;
}

/** First 4 characters and `***`: enough to recognise a credential, not to use it. */
export function maskSecret(value: string): string {
  return `${value.slice(0, 4)}***`;
}

type LintSource = typeof import('@secretlint/core').lintSource;
type RuleCreator = typeof import('@secretlint/secretlint-rule-preset-recommend').creator;

/**
 * Secrets in added lines, found by secretlint's recommended rule set (maintained rules
 * for cloud keys, tokens, private keys, connection strings…) rather than hand-written
 * patterns. secretlint is loaded on first use, once: an instance that reviews nothing never loads it.
 */
@Injectable()
export class SecretScanner {
  private engine?: Promise<{ lintSource: LintSource; preset: RuleCreator }>;

  private load() {
    this.engine ??= Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]).then(
      ([core, preset]) => ({ lintSource: core.lintSource, preset: preset.creator }),
    );
    return this.engine;
  }

  async scan(files: ChangedFile[]): Promise<SecretHit[]> {
    const { lintSource, preset } = await this.load();
    const hits: SecretHit[] = [];
    for (const file of files) {
      const added = addedLines(file);
      if (added.length === 0) continue;
      const content = added.map((l) => l.text).join('\n');
      const result = await lintSource({
        source: { filePath: file.filename, content, contentType: 'text' },
        options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset }] }, maskSecrets: false },
      });
      for (const message of result.messages) {
        const added_ = added[message.loc.start.line - 1];
        hits.push({
          file: file.filename,
          line: added_ ? added_.line : 0,
          rule: message.ruleId,
          value: content.slice(message.range[0], message.range[1]),
        });
      }
    }
    return hits;
  }
}

/** Replaces every found secret in a text with its masked form. */
export function maskAll(text: string, secrets: readonly SecretHit[]): string {
  let masked = text;
  for (const secret of secrets) if (secret.value) masked = masked.split(secret.value).join(maskSecret(secret.value));
  return masked;
}
