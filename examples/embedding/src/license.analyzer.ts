import { Injectable } from '@nestjs/common';
import { Analyzer, addedLines, verdictOf, type AnalyzerContext, type AnalyzerReport, type Finding } from 'bsm';

const COPYLEFT = /SPDX-License-Identifier:\s*((?:A|L)?GPL-[\w.+-]+)/;

/** Acme ships proprietary code: a copyleft licence header added in a pull request must be looked at. */
@Injectable()
export class LicenseAnalyzer extends Analyzer {
  readonly name = 'acme-license';

  analyze({ input }: AnalyzerContext): AnalyzerReport {
    const findings: Finding[] = [];
    for (const file of input.files) {
      for (const line of addedLines(file)) {
        const licence = COPYLEFT.exec(line.text)?.[1];
        if (licence) {
          findings.push({ severity: 'high', file: line.file, line: line.line, rule: 'acme/copyleft', message: `${licence} code added to a proprietary repository` });
        }
      }
    }
    return { verdict: verdictOf(findings), summary: `${findings.length} copyleft header(s)`, findings };
  }
}
