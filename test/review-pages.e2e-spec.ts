import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { startLlmTestApp, waitFor, type LlmTestApp } from './support/llm-app';
import { APPROVE_JSON, pullRequest } from './support/pull-requests';

// A token of a well-known format, built here so this file holds no literal secret.
const SECRET = ['sk_live_', '51HqLyjWDarjtT1zdp7dcXYZ', 'Q8w3Lm9pRt2vB'].join('');
const AXE = require.resolve('axe-core/axe.min.js');

async function job(t: LlmTestApp, payload: object): Promise<string> {
  const id = (await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload }).expect(202)).body.jobId as string;
  await waitFor(async () => (await t.http.get(`/api/orchestrator/jobs/${id}`)).body.status, (status) => status === 'completed', 15_000);
  return id;
}

/** axe-core's serious and critical violations on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(await readFile(AXE, 'utf8'));
  return page.evaluate<string[]>(
    `axe.run().then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.length))`,
  );
}

describe('review pages in headless Chromium', () => {
  let t: LlmTestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const loaded: string[] = [];
  let blocked: string;
  let clean: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startLlmTestApp({ openaiBehaviour: { content: APPROVE_JSON } }), launchChromium()]);
    clean = await job(t, pullRequest({ number: 11, repo: 'acme/shop', files: [{ filename: 'src/a.ts', patch: '@@ -0,0 +1,1 @@\n+export const a = 1;' }] }));
    blocked = await job(
      t,
      pullRequest({
        number: 12,
        repo: 'acme/payments',
        files: [
          { filename: 'src/charge.ts', patch: `@@ -1,2 +1,4 @@\n import { api } from './api';\n+const key = "${SECRET}";\n+export const charge = () => api(key);\n export default charge;` },
          { filename: 'src/receipt.ts', patch: '@@ -0,0 +1,2 @@\n+// bsm-ignore: code/xss/js-html-property the receipt HTML is built by our template engine\n+el.innerHTML = receipt.html;' },
        ],
      }),
    );
    // The axe run needs to inject its script: this context only, the pages' own CSP is tested by the dashboard's.
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    page = await context.newPage();
    page.on('response', async (response) => {
      if (response.url().startsWith(t.baseUrl)) loaded.push(await response.text().catch(() => ''));
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('serves the pages\' data: filters by decision and dates, named errors, the diff masked', async () => {
    const only = (await t.http.get('/api/orchestrator/jobs?decision=block_pr').expect(200)).body.jobs.map((j: { id: string }) => j.id);
    expect(only).toEqual([blocked]);
    const later = (await t.http.get(`/api/reviews?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`).expect(200)).body;
    expect(later.reviews).toEqual([]);
    expect((await t.http.get('/api/reviews?decision=nope').expect(400)).body.error.details[0].field).toBe('decision');
    expect((await t.http.get('/api/reviews?since=yesterday').expect(400)).body.error.message).toContain('since must be an ISO 8601');
    const files = (await t.http.get(`/api/orchestrator/jobs/${blocked}/files`).expect(200)).body;
    expect(files).toMatchObject({ secretsMasked: 1, fetchedAtRunTime: false, files: [{ filename: 'src/charge.ts' }, { filename: 'src/receipt.ts' }] });
    expect(JSON.stringify(files)).not.toContain(SECRET);
    expect(files.files[0].patch).toContain('sk_l***');
  });

  it('lists reviews with their decision badges and finding counts; a filter narrows it; a row opens its page', async () => {
    await page.goto(`${t.baseUrl}/reviews`);
    const rows = page.locator('#reviews tbody tr[data-job]');
    await rows.nth(1).waitFor();
    await expect(rows.count()).resolves.toBe(2);
    const blockedRow = page.locator(`#reviews tr[data-job="${blocked}"]`);
    await expect(blockedRow.locator('.badge').getAttribute('data-decision')).resolves.toBe('block_pr');
    await expect(blockedRow.textContent()).resolves.toMatch(/1 critical/);
    await expect(page.locator(`#reviews tr[data-job="${clean}"] .badge`).getAttribute('data-decision')).resolves.toBe('approve');
    const wide = await page.evaluate<string[]>(`[...document.querySelectorAll('table')].filter((e) => e.scrollWidth > e.parentElement.clientWidth).map((e) => e.id)`);
    expect(wide).toEqual([]);
    if (process.env.PAGES_SCREENSHOTS) await page.screenshot({ path: join(process.env.PAGES_SCREENSHOTS, 'reviews.png'), fullPage: true });

    await page.selectOption('#f-decision', 'block_pr');
    await page.click('#filters button[type="submit"]');
    await waitFor(() => rows.count(), (count) => count === 1);
    await page.fill('#f-repo', 'acme/shop');
    await page.click('#filters button[type="submit"]');
    await page.locator('#reviews td', { hasText: 'No reviews match' }).waitFor();

    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(t.dir, 'reviews.png'), fullPage: true });

    await page.selectOption('#f-decision', '');
    await page.fill('#f-repo', '');
    await page.click('#filters button[type="submit"]');
    await blockedRow.locator('a').click();
    await page.waitForURL(`${t.baseUrl}/reviews/${blocked}`);
  });

  it('shows the decision and the findings with their code lines, the secret masked everywhere', async () => {
    await page.locator('#decision .badge[data-decision="block_pr"]').waitFor();
    const finding = page.locator('.finding[data-severity="critical"]').first();
    await finding.waitFor();
    await expect(finding.textContent()).resolves.toContain('line 2');
    const code = finding.locator('pre.code');
    await expect(code.locator('.added.focus').textContent()).resolves.toMatch(/const key = "sk_l\*+/);
    await expect(code.textContent()).resolves.toContain("import { api } from './api';");
    await page.locator('#links a', { hasText: 'Pull request on GitHub' }).waitFor();
    await expect(page.locator('#links a', { hasText: 'Markdown report' }).getAttribute('download')).resolves.toBe(`review-${blocked}.md`);
    await expect(page.locator('#links a', { hasText: 'SARIF' }).getAttribute('download')).resolves.toBe(`review-${blocked}.sarif`);
    await expect(page.locator('#suppressed li').textContent()).resolves.toMatch(
      /code\/xss\/js-html-property.*src\/receipt\.ts:2.*bsm-ignore in the code: “the receipt HTML is built by our template engine”/,
    );

    expect(await page.content()).not.toContain(SECRET);
    expect(loaded.length).toBeGreaterThan(3);
    expect(loaded.filter((body) => body.includes(SECRET))).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    const overflow = await page.evaluate<string[]>(
      `[...document.querySelectorAll('table, pre.code')].filter((e) => e.scrollWidth > e.parentElement.clientWidth + 1 && e.tagName === 'TABLE').map((e) => e.id || e.tagName)`,
    );
    expect(overflow).toEqual([]);
    await page.screenshot({ path: join(t.dir, 'review.png'), fullPage: true });
    if (process.env.PAGES_SCREENSHOTS) await page.screenshot({ path: join(process.env.PAGES_SCREENSHOTS, 'review.png'), fullPage: true });
  });

  it('follows a running review to its outcome by itself', async () => {
    t.openai.setBehaviour({ content: APPROVE_JSON, latencyMs: 1500 });
    const id = (await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: pullRequest({ number: 13 }) }).expect(202)).body.jobId;
    await page.goto(`${t.baseUrl}/reviews/${id}`);
    await page.locator('#status', { hasText: /(queued|running)… this page updates by itself/ }).waitFor();
    await page.locator('#status', { hasText: /^completed/ }).waitFor({ timeout: 15_000 });
    await page.locator('#decision .badge').waitFor();
    await page.screenshot({ path: join(t.dir, 'review-followed.png'), fullPage: true });
    t.openai.setBehaviour({ content: APPROVE_JSON });
  });

  it('the dashboard links its recent jobs to their review pages, and passes axe', async () => {
    await page.goto(`${t.baseUrl}/dashboard?refresh=0`);
    await page.locator(`#jobs a[href="/reviews/${blocked}"]`).waitFor();
    await expect(page.locator('nav a[href="/reviews"]').count()).resolves.toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(t.dir, 'dashboard-linked.png'), fullPage: true });
  });
});

describe('review pages behind API keys', () => {
  const KEY = 'pages-api-key-0123456789';
  let t: LlmTestApp;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startLlmTestApp({ env: { API_KEYS: KEY } }), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it('says why the list is refused, takes the key in the page (never in the URL), then lists', async () => {
    await t.http.post('/api/orchestrator/run').set('x-api-key', KEY).send({ event: 'pull_request.opened', payload: pullRequest({ number: 21 }) }).expect(202);
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/reviews`);
    await page.locator('#banner', { hasText: 'UNAUTHORIZED: API key required' }).waitFor();
    await expect(page.locator('#key-form').isVisible()).resolves.toBe(true);
    await page.fill('#api-key', KEY);
    await page.click('#key-form button[type="submit"]');
    await page.locator('#reviews tbody tr[data-job]').first().waitFor();
    await page.locator('#banner').waitFor({ state: 'hidden' });
    expect(page.url()).not.toContain(KEY);
    await page.screenshot({ path: join(t.dir, 'reviews-with-key.png'), fullPage: true });
  });
});
