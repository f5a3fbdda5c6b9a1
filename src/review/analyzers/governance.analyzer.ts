import { Injectable } from '@nestjs/common';
import type { Finding } from '../review.model';
import { Analyzer, verdictOf, type AnalyzerContext, type AnalyzerReport } from './analyzer';

export const GOVERNANCE_LIMITS = { minDescription: 20, maxChangedLines: 1000, maxFiles: 50 };

const PROTECTED: { pattern: RegExp; severity: Finding['severity']; what: string }[] = [
  { pattern: /(^|\/)(agents|data)\/registry\.ya?ml$/, severity: 'critical', what: 'the governance registry' },
  { pattern: /^\.github\/workflows\//, severity: 'high', what: 'a CI workflow' },
  { pattern: /(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|npm-shrinkwrap\.json)$/, severity: 'medium', what: 'a lockfile' },
];
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs|py|go|rb|java|kt|cs|rs|php)$/;
const TEST = /(^|\/)(test|tests|__tests__|spec)\/|\.(spec|test)\.[a-z]+$|_test\.(go|py)$/;

/** Pull-request hygiene: description, size, protected paths, tests beside source changes. */
@Injectable()
export class GovernanceAnalyzer extends Analyzer {
  readonly name = 'governance';

  analyze({ input }: AnalyzerContext): AnalyzerReport {
    const findings: Finding[] = [];
    if (input.pr.body.trim().length < GOVERNANCE_LIMITS.minDescription) {
      findings.push({ severity: 'medium', rule: 'description', message: `The description is missing or shorter than ${GOVERNANCE_LIMITS.minDescription} characters` });
    }
    const changed = input.pr.additions + input.pr.deletions;
    if (changed > GOVERNANCE_LIMITS.maxChangedLines || input.pr.changedFiles > GOVERNANCE_LIMITS.maxFiles) {
      findings.push({
        severity: 'medium',
        rule: 'size',
        message: `${changed} changed lines in ${input.pr.changedFiles} files (limits ${GOVERNANCE_LIMITS.maxChangedLines} / ${GOVERNANCE_LIMITS.maxFiles}): split it`,
      });
    }
    for (const file of input.files) {
      const hit = PROTECTED.find((p) => p.pattern.test(file.filename));
      if (hit) findings.push({ severity: hit.severity, file: file.filename, rule: 'protected-path', message: `Changes ${hit.what}` });
    }
    const sources = input.files.filter((f) => SOURCE.test(f.filename) && !TEST.test(f.filename) && f.status !== 'removed');
    if (sources.length > 0 && !input.files.some((f) => TEST.test(f.filename))) {
      findings.push({ severity: 'low', rule: 'tests', message: `${sources.length} source file(s) changed without a test change` });
    }
    const verdict = verdictOf(findings);
    return { verdict, summary: findings.length === 0 ? 'Governance checks passed' : `${findings.length} governance finding(s)`, findings };
  }
}
