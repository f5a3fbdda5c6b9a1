/** Pull-request payloads in GitHub's shape, with `files` as GitHub's list-files API returns them. */
export const PLANTED_TOKEN = 'ghp_' + 'Zq7Kx2Lm9Np4Rs6Tv8Wy1Ab3Cd5Ef0Gh2Ij4';

export function pullRequest(options: { number?: number; body?: string; files?: object[]; repo?: string } = {}) {
  return {
    action: 'opened',
    number: options.number ?? 7,
    pull_request: {
      number: options.number ?? 7,
      title: 'Add the payment client',
      body: options.body ?? 'Adds the payment client with retries, and its tests.',
      draft: false,
      user: { login: 'dev' },
      head: { sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e' },
    },
    repository: { full_name: options.repo ?? 'acme/shop' },
    files: options.files ?? CLEAN_FILES,
  };
}

export const CLEAN_FILES = [
  {
    filename: 'src/pay.ts',
    status: 'added',
    additions: 2,
    deletions: 0,
    patch: '@@ -0,0 +1,2 @@\n+export const total = (items: number[]) => items.reduce((a, b) => a + b, 0);\n+export const currency = "EUR";',
  },
  {
    filename: 'test/pay.spec.ts',
    status: 'added',
    additions: 1,
    deletions: 0,
    patch: "@@ -0,0 +1 @@\n+it('adds', () => expect(total([1, 2])).toBe(3));",
  },
];

export const SECRET_FILES = [
  ...CLEAN_FILES,
  {
    filename: 'src/config.ts',
    status: 'modified',
    additions: 2,
    deletions: 1,
    patch: `@@ -10,3 +10,4 @@ export const config = {\n   region: 'eu',\n-  token: process.env.TOKEN,\n+  token: "${PLANTED_TOKEN}",\n+  retries: 3,\n };`,
  },
];

export const APPROVE_JSON = '```json\n{"decision": "approve", "score": 92, "summary": "Clean and tested", "findings": []}\n```';

/**
 * Storage refusing report writes (a trigger on the reports table): every run then throws as it keeps its report,
 * on every attempt, until ALLOW_REPORTS drops the trigger — an operator fixing the cause.
 */
export const REFUSE_REPORTS = [
  `create or replace function refuse_reports() returns trigger language plpgsql as $$ begin raise exception 'reports are refused by the test'; end $$`,
  'create trigger refuse_reports before insert or update on orchestrator_reports for each row execute function refuse_reports()',
];
export const ALLOW_REPORTS = ['drop trigger refuse_reports on orchestrator_reports'];
