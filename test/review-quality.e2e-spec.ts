import { CodeScanner } from '../src/review/code/code-scanner';
import { loadSecretRules } from '../src/review/secrets/secret-rules';
import { SecretScanner } from '../src/review/secrets/secret-scanner';
import type { ChangedFile } from '../src/review/review.model';

// The same scoring `npm run bench -- --only review` prints, on the sources.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { evaluateReview } = require('../bench/lib/review-eval') as {
  evaluateReview: (engine: object) => Promise<{
    counts: { secretPositives: number; secretFormats: number; codePositives: number; traps: number };
    secrets: { recall: number };
    code: { byLanguage: Record<string, { recall: number; cases: number }>; byClass: Record<string, { cases: number }> };
    precision: { precision: number };
    missed: string[];
    falseAlarms: string[];
  }>;
};

describe('review quality on our labelled set (test/fixtures/review)', () => {
  let result: Awaited<ReturnType<typeof evaluateReview>>;

  beforeAll(async () => {
    const secrets = new SecretScanner(loadSecretRules());
    const code = new CodeScanner();
    result = await evaluateReview({ scanSecrets: (files: ChangedFile[]) => secrets.scan(files), scanCode: (files: ChangedFile[]) => code.scan(files) });
  });

  it('is the size the targets are stated on', () => {
    expect(result.counts.secretPositives).toBeGreaterThanOrEqual(150);
    expect(result.counts.secretFormats).toBeGreaterThanOrEqual(80);
    expect(result.counts.codePositives).toBeGreaterThanOrEqual(150);
    expect(result.counts.traps).toBeGreaterThanOrEqual(200);
    expect(Object.keys(result.code.byClass)).toHaveLength(11);
  });

  it('finds at least 95% of the secrets', () => {
    // On a miss of the target, the failure lists the cases missed.
    expect(result.secrets.recall >= 0.95 ? [] : result.missed.filter((m) => m.startsWith('secret'))).toEqual([]);
    expect(result.secrets.recall).toBeGreaterThanOrEqual(0.95);
  });

  it.each(['javascript', 'python', 'go'])('finds at least 90%% of the risky %s code', (language) => {
    expect(result.code.byLanguage[language].cases).toBeGreaterThan(30);
    expect(result.code.byLanguage[language].recall >= 0.9 ? [] : result.missed.filter((m) => m.startsWith(language))).toEqual([]);
    expect(result.code.byLanguage[language].recall).toBeGreaterThanOrEqual(0.9);
  });

  it('is right at least 95% of the times it flags something', () => {
    expect(result.precision.precision >= 0.95 ? [] : result.falseAlarms).toEqual([]);
    expect(result.precision.precision).toBeGreaterThanOrEqual(0.95);
  });
});
