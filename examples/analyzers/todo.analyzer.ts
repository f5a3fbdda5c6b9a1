import { Injectable, Module } from '@nestjs/common';
import { Analyzer, verdictOf, type AnalyzerContext, type AnalyzerReport, addedLines, type Finding } from 'bsm';

/** Flags TODO/FIXME left in added lines; FIXME asks for changes, TODO is a note. */
@Injectable()
export class TodoAnalyzer extends Analyzer {
  readonly name = 'todo';

  analyze({ input }: AnalyzerContext): AnalyzerReport {
    const findings: Finding[] = [];
    for (const file of input.files) {
      for (const line of addedLines(file)) {
        const marker = /\b(TODO|FIXME)\b/.exec(line.text)?.[1];
        if (marker) {
          findings.push({
            severity: marker === 'FIXME' ? 'medium' : 'low',
            file: line.file,
            line: line.line,
            rule: marker.toLowerCase(),
            message: `${marker} left in the change`,
          });
        }
      }
    }
    return { verdict: verdictOf(findings), summary: `${findings.length} TODO/FIXME marker(s)`, findings };
  }
}

@Module({ providers: [TodoAnalyzer] })
export class TodoAnalyzerModule {}
