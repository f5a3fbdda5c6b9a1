import { PLANTED_TOKEN } from './support/pull-requests';
import { sarifErrors } from './support/sarif';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const patch = (...lines: string[]) => `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;

describe('SARIF from GET /api/reports/:jobId/sarif', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.dispose());

  it('validates against the SARIF 2.1.0 schema: rules, located results with fingerprints, suppressions; secrets masked', async () => {
    const files = [
      { filename: 'src/config.ts', patch: patch(`export const token = "${PLANTED_TOKEN}";`) },
      { filename: 'src/users.ts', patch: patch('db.query("SELECT * FROM users WHERE id = " + req.params.id);') },
      { filename: 'src/view.ts', patch: patch('// bsm-ignore: code/xss/js-html-property the body is sanitised by the editor', 'el.innerHTML = comment.body;') },
    ];
    const id = (await t.http.post('/api/orchestrator/run').send({ event: 'manual.orchestrator_run', payload: { files } }).expect(202)).body.jobId;
    await waitFor(async () => (await t.http.get(`/api/orchestrator/jobs/${id}`)).body.status, (s) => s === 'completed', 15_000);

    const res = await t.http.get(`/api/reports/${id}/sarif`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/sarif\+json/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="review-${id}.sarif"`);
    const log = JSON.parse(res.text);
    expect(sarifErrors(log)).toEqual([]);
    const [run] = log.runs;
    expect(run.tool.driver).toMatchObject({ name: 'BSM', version: expect.any(String) });
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(expect.arrayContaining(['secret/github-pat', 'code/sql-injection/js-string-built', 'code/xss/js-html-property']));
    const byRule = (rule: string) => run.results.find((r: { ruleId: string }) => r.ruleId === rule);
    expect(byRule('code/sql-injection/js-string-built')).toMatchObject({
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/users.ts' }, region: { startLine: 1 } } }],
      partialFingerprints: { 'bsmFinding/v1': expect.stringMatching(/^[0-9a-f]{16}$/) },
    });
    expect(byRule('code/xss/js-html-property')).toMatchObject({ suppressions: [{ kind: 'inSource', justification: 'the body is sanitised by the editor' }] });
    expect(byRule('secret/github-pat').message.text).toContain('ghp_***');
    expect(res.text).not.toContain(PLANTED_TOKEN.slice(4));
  });

  it('answers 404 REPORT_NOT_FOUND in the usual error body for a job without a report', async () => {
    const res = await t.http.get('/api/reports/00000000-0000-4000-8000-000000000000/sarif').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ error: { code: 'REPORT_NOT_FOUND' }, correlationId: expect.any(String) });
  });
});
