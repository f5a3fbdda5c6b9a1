import { Injectable } from '@nestjs/common';
import type { Finding, Severity } from '../review.model';
import { Analyzer, verdictOf, type AnalyzerContext, type AnalyzerReport } from './analyzer';
import { addedLines } from '../diff/added-lines';
import { maskSecret } from '../secrets/secret-scanner';

interface RiskRule {
  rule: string;
  severity: Severity;
  pattern: RegExp;
  message: string;
}

/** Risky code in added lines. Secrets are secretlint's job (SecretScanner), not these patterns'. */
const RISKY_CODE: RiskRule[] = [
  { rule: 'eval', severity: 'high', pattern: /\beval\s*\(|\bnew\s+Function\s*\(/, message: 'Dynamic code execution (eval / new Function)' },
  {
    rule: 'shell-interpolation',
    severity: 'high',
    pattern: /\b(exec|execSync|spawn|spawnSync)\s*\(\s*(`[^`]*\$\{|['"][^'"]*['"]\s*\+)/,
    message: 'Shell command built from interpolated input',
  },
  {
    rule: 'tls-verification-disabled',
    severity: 'high',
    pattern: /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*['"]?0|verify\s*=\s*False|InsecureSkipVerify\s*:\s*true/,
    message: 'TLS certificate verification disabled',
  },
  { rule: 'inner-html', severity: 'medium', pattern: /\.innerHTML\s*=(?!=)/, message: 'innerHTML assignment (XSS risk)' },
  {
    rule: 'sql-concatenation',
    severity: 'high',
    pattern: /['"`]\s*(SELECT|INSERT|UPDATE|DELETE)\b[^'"`]*['"`]\s*\+|`[^`]*\b(SELECT|INSERT|UPDATE|DELETE)\b[^`]*\$\{/i,
    message: 'SQL built by string concatenation',
  },
];

@Injectable()
export class SecurityAnalyzer extends Analyzer {
  readonly name = 'security';

  analyze({ input, secrets }: AnalyzerContext): AnalyzerReport {
    const findings: Finding[] = secrets.map((secret) => ({
      severity: 'critical',
      file: secret.file,
      line: secret.line,
      rule: secret.rule,
      message: `Secret committed: ${maskSecret(secret.value)} (${secret.rule.replace('@secretlint/secretlint-rule-', '')})`,
    }));
    for (const file of input.files) {
      for (const line of addedLines(file)) {
        for (const risk of RISKY_CODE) {
          if (risk.pattern.test(line.text)) {
            findings.push({ severity: risk.severity, file: line.file, line: line.line, rule: risk.rule, message: risk.message });
          }
        }
      }
    }
    const verdict = verdictOf(findings);
    const summary =
      findings.length === 0
        ? `No secrets or risky code in ${input.files.length} changed file(s)`
        : `${secrets.length} secret(s), ${findings.length - secrets.length} risky line(s)`;
    return { verdict, summary, findings };
  }
}
