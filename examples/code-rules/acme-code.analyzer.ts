import { Injectable, Module } from '@nestjs/common';
import { Analyzer, verdictOf, type AnalyzerContext, type AnalyzerReport, callRule, JS, CodeScanner } from 'bsm';

/** Acme's HTTP client must call services by name, never a URL that came in with the request. */
const acmeHttpFromRequest = callRule({
  id: 'ssrf/acme-http-url',
  riskClass: 'ssrf',
  languages: JS,
  requestOnly: true,
  callee: /^acmeHttp\.(?:get|post|put|delete)$/,
  message: 'acmeHttp called with a URL taken from the request',
  fix: 'Call the service by name: acmeHttp.service("billing").get(path)',
});

/** Runs Acme's own code rules on the syntax trees of the added hunks, as the security analyzer runs BSM's. */
@Injectable()
export class AcmeCodeAnalyzer extends Analyzer {
  readonly name = 'acme-code';
  private readonly scanner = new CodeScanner([acmeHttpFromRequest]);

  async analyze({ input }: AnalyzerContext): Promise<AnalyzerReport> {
    const findings = (await this.scanner.scan(input.files)).findings.map(({ riskClass: _class, ...finding }) => finding);
    return { verdict: verdictOf(findings), summary: `${findings.length} finding(s) from Acme's code rules`, findings };
  }
}

@Module({ providers: [AcmeCodeAnalyzer] })
export class AcmeCodeAnalyzerModule {}
