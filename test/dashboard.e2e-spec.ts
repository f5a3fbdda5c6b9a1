import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DiskSpaceHealthIndicator, DiskSpaceHealthModule } from '../examples/health/disk-space.health';
import { launchChromium } from './support/browser';
import { startLlmTestApp, waitFor, type LlmTestApp } from './support/llm-app';
import { APPROVE_JSON, pullRequest } from './support/pull-requests';
import { ADMIN_TOKEN } from './support/test-app';

const numberIn = async (page: Page, selector: string) => Number(await page.locator(selector).textContent());

describe('dashboard in headless Chromium', () => {
  let t: LlmTestApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    // With the extending example's indicator: the page's health table shows it like any built-in check.
    [t, browser] = await Promise.all([startLlmTestApp({ modules: [DiskSpaceHealthModule] }), launchChromium()]);
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  afterEach(() => {
    // The page's own script runs under helmet's strict policy and never throws.
    expect(pageErrors.splice(0)).toEqual([]);
    expect(cspViolations.splice(0)).toEqual([]);
  });

  it('is served under a strict Content-Security-Policy and fills itself with live numbers', async () => {
    const response = await page.goto(`${t.baseUrl}/dashboard?refresh=1`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);

    await page.locator('#total').filter({ hasText: /^\d+$/ }).waitFor();
    await expect(page.locator('#health').textContent()).resolves.toMatch(/healthy|degraded/);
    await page.locator('#caches tbody tr', { hasText: 'agents' }).waitFor();
    await page.locator('#breakers tbody tr', { hasText: 'openai' }).waitFor();
    await page.locator('#checks li', { hasText: 'storage' }).waitFor();
    DiskSpaceHealthIndicator.minFreeBytes = Number.MAX_SAFE_INTEGER;
    await page.locator('#checks li[data-status="fail"]', { hasText: 'disk' }).waitFor();
    DiskSpaceHealthIndicator.minFreeBytes = 256 * 1024 * 1024;
    await page.locator('#checks li[data-status="pass"]', { hasText: 'disk' }).waitFor();

    const missing = await t.http.get('/dashboard/other.js').expect(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('shows the numbers change after traffic', async () => {
    const before = await numberIn(page, '#total');
    for (let i = 0; i < 25; i++) await t.http.get('/api/agents').expect(200);
    await waitFor(() => numberIn(page, '#total'), (total) => total >= before + 25);
    const hits = await page.locator('#caches tbody tr', { hasText: 'agents' }).locator('td').nth(2).textContent();
    expect(Number(hits)).toBeGreaterThanOrEqual(25);
  });

  it('draws its four charts of the last hour from /api/metrics/history', async () => {
    for (const id of ['chart-latency', 'chart-rps', 'chart-errors', 'chart-reviews']) {
      await page.locator(`#${id} canvas`).waitFor();
      await page.locator(`#${id}[data-points]`).waitFor();
    }
    const history = (await t.http.get('/api/metrics/history?minutes=5').expect(200)).body;
    expect(history.intervalSeconds).toBe(10);
    expect(history.samples.at(-1).perSecond).toBeGreaterThan(0);
    await expect(page.locator('#chart-rps .u-title').textContent()).resolves.toBe('Requests per second');
    await expect(page.locator('#chart-reviews .u-legend').textContent()).resolves.toContain('request_changes');
  });

  it('lists a finished job with its decision and opens its report', async () => {
    t.openai.setBehaviour({ content: APPROVE_JSON });
    const accepted = await t.http.post('/api/orchestrator/run').send({ event: 'pull_request.opened', payload: pullRequest() }).expect(202);
    const row = page.locator('#jobs tbody tr', { hasText: 'completed' });
    await row.waitFor({ timeout: 10_000 });
    await expect(row.textContent()).resolves.toContain('approve');
    await row.getByRole('button', { name: 'Report' }).click();
    await page.locator('#report-title', { hasText: accepted.body.jobId }).waitFor();
    await expect(page.locator('#report-body').textContent()).resolves.toMatch(/approve/i);
  });

  it('refuses an admin action without a token, showing the server error; with one, clears a cache and resets a breaker', async () => {
    const clear = page.locator('#caches tbody tr', { hasText: 'agents' }).getByRole('button', { name: 'Clear' });
    await clear.click();
    await page.locator('#admin-result.error', { hasText: 'UNAUTHORIZED: Admin token required' }).waitFor();

    await page.fill('#admin-token', ADMIN_TOKEN);
    await page.click('#credentials button[type="submit"]');
    await page.locator('#admin-result', { hasText: 'Using the admin token' }).waitFor();
    await clear.click();
    await page.locator('#admin-result:not(.error)', { hasText: /Cleared .*agents/ }).waitFor();

    await page.locator('#breakers tbody tr', { hasText: 'perplexity' }).getByRole('button', { name: 'Reset' }).click();
    await page.locator('#admin-result:not(.error)', { hasText: 'Breaker perplexity is closed' }).waitFor();

    const audit = await t.http.get('/api/admin/audit').set('x-admin-token', ADMIN_TOKEN).expect(200);
    expect(audit.body.entries.slice(0, 2)).toMatchObject([
      { action: 'circuit-breaker.reset', target: 'perplexity' },
      { action: 'cache.clear', target: 'agents' },
    ]);
    await page.click('#show-audit');
    await page.locator('#audit tbody tr', { hasText: 'circuit-breaker.reset' }).first().waitFor();
    await page.locator('#audit tbody tr', { hasText: 'cache.clear' }).first().waitFor();
  });

  it('chats with an agent backed by the fake provider, and shows a real error', async () => {
    t.openai.reset();
    t.openai.setBehaviour({ content: 'Hello from the fake provider.' });
    await page.selectOption('#chat-agent', 'chat-assistant');
    await page.fill('#chat-input', 'How do we roll back a release?');
    await page.click('#chat-send');
    await page.locator('#chat-log .chat-agent', { hasText: 'Hello from the fake provider.' }).waitFor();
    expect(t.openai.stats().requests).toBe(1);

    // The answer streams into its entry: part of it shows before the rest has arrived.
    const long = 'First redeploy the previous tag, then watch the error rate, then tell the on-call channel.';
    t.openai.setBehaviour({ content: long, chunkSize: 10, chunkDelayMs: 150 });
    await page.fill('#chat-input', 'Walk me through it');
    await page.click('#chat-send');
    const streaming = page.locator('#chat-log .chat-agent p', { hasText: /^First redeploy/ });
    await streaming.waitFor();
    expect((await streaming.textContent())!.length).toBeLessThan(long.length);
    await page.locator('#chat-log .chat-agent p', { hasText: long }).waitFor();
    await page.locator('#chat-log .chat-agent small', { hasText: 'tokens' }).last().waitFor();
    expect(t.openai.stats().streams).toBeGreaterThanOrEqual(2);

    // An answer is text, never markup.
    t.openai.setBehaviour({ content: 'Try <img src="x" id="injected"> here.' });
    await page.fill('#chat-input', 'Show me markup');
    await page.click('#chat-send');
    await page.locator('#chat-log .chat-agent', { hasText: 'Try <img src="x" id="injected"> here.' }).waitFor();
    await expect(page.locator('#injected').count()).resolves.toBe(0);

    t.openai.setBehaviour({ status: 401 });
    await page.fill('#chat-input', 'And again?');
    await page.click('#chat-send');
    const error = page.locator('#chat-log .chat-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/^UPSTREAM_AUTH_FAILED: .+ \(correlation id [\w.-]+\)$/);
  });

  it('fits 1280×800: no table is wider than its panel, every button is on screen horizontally', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('#jobs tbody tr').first().waitFor();
    // Run in the page (a string: the tests are compiled without the DOM's types).
    const overflow = await page.evaluate<Array<{ id: string; table: number; panel: number }>>(
      `[...document.querySelectorAll('table')].filter((t) => !t.hidden)
        .map((t) => ({ id: t.id, table: t.scrollWidth, panel: t.parentElement.clientWidth }))
        .filter((t) => t.table > t.panel)`,
    );
    expect(overflow).toEqual([]);
    const wideCharts = await page.evaluate<string[]>(
      `[...document.querySelectorAll('.chart')].filter((c) => c.querySelector('canvas') && c.scrollWidth > c.parentElement.clientWidth).map((c) => c.id)`,
    );
    expect(wideCharts).toEqual([]);
    const offscreen = await page.evaluate<string[]>(
      `[...document.querySelectorAll('button')]
        .filter((b) => b.offsetParent && b.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map((b) => b.textContent)`,
    );
    expect(offscreen).toEqual([]);
  });

  it('paints a skeleton before the first numbers, and the last known numbers, dated, on the next visit', async () => {
    const context = await browser.newContext();
    const held = async (visit: Page) => {
      visit.on('pageerror', (error) => pageErrors.push(error.message));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      await visit.route('**/api/metrics', async (route) => {
        await gate;
        await route.continue();
      });
      await visit.goto(`${t.baseUrl}/dashboard?refresh=0`);
      return release;
    };
    try {
      const first = await context.newPage();
      const releaseFirst = await held(first);
      await first.locator('body[data-state="loading"] #caches tr.skeleton').first().waitFor();
      await expect(first.locator('#total').textContent()).resolves.toBe('–');
      releaseFirst();
      await first.locator('body[data-state="live"]').waitFor();
      await expect(first.locator('tr.skeleton').count()).resolves.toBe(0);
      const seen = await numberIn(first, '#total');
      await first.close();

      const next = await context.newPage();
      const releaseNext = await held(next);
      await next.locator('body[data-state="stale"]').waitFor();
      expect(await numberIn(next, '#total')).toBe(seen);
      await next.locator('#caches tbody tr', { hasText: 'agents' }).waitFor();
      await expect(next.locator('#updated').textContent()).resolves.toMatch(/^last known .+, refreshing…$/);
      releaseNext();
      await next.locator('body[data-state="live"]').waitFor();
      expect(await numberIn(next, '#total')).toBeGreaterThan(seen);
      await expect(next.locator('#updated').textContent()).resolves.toMatch(/^updated /);
    } finally {
      await context.close();
    }
  });

  it('saves a screenshot', async () => {
    const file = join(t.dir, 'dashboard.png');
    if (process.env.DASHBOARD_SCREENSHOT) await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: true });
    await page.screenshot({ path: file, fullPage: true });
    const png = await readFile(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
  });
});

describe('dashboard behind API keys', () => {
  const API_KEY = 'dashboard-api-key-0123456789';
  let t: LlmTestApp;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startLlmTestApp({ env: { API_KEYS: API_KEY } }), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it("shows the server's refusal until the API key is entered, then the numbers", async () => {
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/dashboard?refresh=1`);
    await page.locator('#banner', { hasText: 'UNAUTHORIZED: API key required' }).waitFor();
    await expect(page.locator('#total').textContent()).resolves.toBe('–');

    await page.fill('#api-key', API_KEY);
    await page.click('#credentials button[type="submit"]');
    await page.locator('#total').filter({ hasText: /^\d+$/ }).waitFor();
    await page.locator('#banner').waitFor({ state: 'hidden' });
    await page.locator('#chat-agent option[value="chat-assistant"]').waitFor({ state: 'attached' });
  });
});
