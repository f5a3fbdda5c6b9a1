import { parseVerdict } from './verdict-parser';

describe('parseVerdict', () => {
  it('reads the JSON shape, raw, fenced or inside prose', () => {
    const json = '{"decision":"request_changes","score":55,"summary":"Missing tests","findings":[{"severity":"high","file":"a.ts","line":3,"message":"unchecked error"},{"message":""}]}';
    for (const text of [json, `Here you go:\n\`\`\`json\n${json}\n\`\`\`\nThanks`, `My review: ${json} — done.`]) {
      expect(parseVerdict(text)).toEqual({
        verdict: 'request_changes',
        score: 55,
        summary: 'Missing tests',
        findings: [{ severity: 'high', file: 'a.ts', line: 3, message: 'unchecked error' }],
        parsedBy: 'json',
      });
    }
  });

  it('maps unknown severities to medium and block_pr to block', () => {
    const parsed = parseVerdict('{"decision":"BLOCK_PR","findings":[{"severity":"urgent","message":"x"}]}');
    expect(parsed.verdict).toBe('block');
    expect(parsed.findings[0].severity).toBe('medium');
  });

  it.each([
    ['This change is BLOCKED until the key is rotated', 'block'],
    ['CRITICAL: injection in the handler', 'block'],
    ['Verdict: REQUEST_CHANGES, see comments', 'request_changes'],
    ['Looks fine to me', 'unknown'],
    ['LGTM, approve', 'unknown'],
    ['{"decision": "maybe"}', 'unknown'],
  ])('lets free text escalate by the original keywords, never approve: %s', (text, verdict) => {
    expect(parseVerdict(text)).toMatchObject({ verdict, parsedBy: 'keywords' });
  });
});
