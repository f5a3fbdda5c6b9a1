import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSecretRules, parseSecretRules, SecretRulesError } from './secret-rules';
import { SecretScanner } from './secret-scanner';

const problemsOf = (text: string, engine: 'v8' | 're2' = 're2') => {
  try {
    parseSecretRules(text, 'rules.yaml', engine);
    return [];
  } catch (error) {
    return (error as SecretRulesError).problems;
  }
};

describe('secret rules', () => {
  it('ships over a hundred built-in formats, each with keywords, all loading', async () => {
    const { rules } = await loadSecretRules();
    expect(rules.length).toBeGreaterThanOrEqual(100);
    expect(rules.filter((r) => r.regex && r.keywords.length === 0)).toEqual([]);
  });

  it('refuses a deployment pattern that RE2 cannot run in linear time, naming the rule and key', () => {
    expect(problemsOf("rules:\n  - id: acme-token\n    keywords: [acme_]\n    regex: '(acme_[a-z]+)\\1'\n")).toEqual([
      expect.stringMatching(/^rules\.yaml: rules\[0\] \(acme-token\)\.regex does not compile as a linear-time \(RE2\) pattern/),
    ]);
    expect(problemsOf("rules:\n  - id: acme-token\n    keywords: [acme_]\n    regex: '(?<=x)(acme_[a-z]+)'\n")).toHaveLength(1);
  });

  it('names every bad key: unknown keys, ids, groups, keywords, entropy', () => {
    const problems = problemsOf(
      [
        'rules:',
        '  - id: Bad_Id',
        "    regex: 'x(y)'",
        '    keywords: [x]',
        '  - id: acme',
        "    regex: 'acme_[a-z]{8}'",
        '    group: 2',
        '    keywords: []',
        '    entropy: 12',
        '    severity: high',
      ].join('\n'),
    );
    expect(problems).toEqual([
      'rules.yaml: rules[0] (Bad_Id).id must be kebab-case (a-z, 0-9, -)',
      'rules.yaml: rules[1] (acme): unknown key "severity"',
      'rules.yaml: rules[1] (acme).keywords must name at least one keyword',
      "rules.yaml: rules[1] (acme).entropy must be a number from 0 to 8 (bits per character)",
      'rules.yaml: rules[1] (acme).regex has 0 capture group(s); group 2 does not exist',
    ]);
  });

  it('adds a deployment rule file to the built-in rules, and refuses a built-in id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bsm-rules-'));
    const file = join(dir, 'acme.yaml');
    writeFileSync(file, "rules:\n  - id: acme-internal-token\n    keywords: [acme_]\n    regex: '\\b(acme_[A-Za-z0-9]{32})\\b'\n    entropy: 3\n");
    const scanner = new SecretScanner(loadSecretRules(file));
    const token = 'acme_' + 'Q7wE9rT1yU3iO5pA8sD0fG2hJ4kL6zX1';
    const { hits } = await scanner.scan([{ filename: 'a.env', patch: `@@ -0,0 +1 @@\n+INTERNAL=${token}` }]);
    expect(hits).toEqual([{ file: 'a.env', line: 1, rule: 'secret/acme-internal-token', value: token }]);

    // A keyword that starts where a longer one does (ghp, ghp_) still selects its rule.
    writeFileSync(file, "rules:\n  - id: acme-gh-token\n    keywords: [ghp]\n    regex: '\\b(ghp_acme[A-Za-z0-9]{24})\\b'\n");
    const acme = 'ghp_acme' + 'R4nD0mTeXt9Qw3Er5Ty7Ui1O';
    await expect(new SecretScanner(loadSecretRules(file)).scan([{ filename: 'a.env', patch: `@@ -0,0 +1 @@\n+T=${acme}` }])).resolves.toMatchObject({
      hits: [{ file: 'a.env', line: 1, rule: 'secret/acme-gh-token', value: acme }],
    });

    writeFileSync(file, "rules:\n  - id: github-pat\n    keywords: [ghp_]\n    regex: '(ghp_[a-z]+)'\n");
    await expect(loadSecretRules(file)).rejects.toThrow(`${file}: rules[0] (github-pat).id is already used by another rule`);
    await expect(loadSecretRules(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot be read \(ENOENT\)/);
  });
});
