import { Injectable } from '@nestjs/common';
import type { Finding } from '../review.model';
import { Analyzer, verdictOf, type AnalyzerContext, type AnalyzerReport } from './analyzer';
import { CodeScanner } from '../code/code-scanner';
import { maskSecret, type SecretHit } from '../secrets/secret-scanner';

const SECRET_FIX = 'Revoke the credential, remove it from the history, and read it from a secret store or the environment';

function secretFinding(secret: SecretHit): Finding {
  const kind = secret.rule.replace(/^secret\//, '');
  if (!secret.value) {
    return { severity: 'critical', file: secret.file, rule: secret.rule, message: 'Key store or private key file added', fix: 'Remove the file from the repository and its history; keep keys in a secret store' };
  }
  return { severity: 'critical', file: secret.file, line: secret.line, rule: secret.rule, message: `Secret committed: ${maskSecret(secret.value)} (${kind})`, fix: SECRET_FIX };
}

/**
 * Secrets (found once per review by the secret rules) and risky code (found here by the code rules, on
 * syntax trees of the added hunks).
 */
@Injectable()
export class SecurityAnalyzer extends Analyzer {
  readonly name = 'security';
  private readonly code = new CodeScanner();

  async analyze({ input, secrets }: AnalyzerContext): Promise<AnalyzerReport> {
    const code = await this.code.scan(input.files);
    const risks = code.findings.map(({ riskClass: _class, ...finding }): Finding => finding);
    const skipped = code.skipped.map(({ file, reason }): Finding => ({ severity: 'info', file, rule: 'code/skipped', message: `Code rules skipped: ${reason}; secrets were checked` }));
    const findings = [...secrets.map(secretFinding), ...risks, ...skipped];
    const summary =
      findings.length === 0
        ? `No secrets or risky code in ${input.files.length} changed file(s)`
        : `${secrets.length} secret(s), ${risks.length} risky code finding(s)${skipped.length ? `, ${skipped.length} file(s) not read by the code rules` : ''}`;
    return { verdict: verdictOf(findings), summary, findings };
  }
}
