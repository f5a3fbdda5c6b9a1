'use strict';
const { startBsm, startBare } = require('../lib/processes');
const { alternate, perCall } = require('../lib/load');

const CONNECTIONS = 100;

function ratioRow(label, bare, bsm, target) {
  const rpsRatio = bsm.rps / bare.rps;
  const p99Ratio = bsm.p99 / Math.max(bare.p99, 1);
  const met = target ? (rpsRatio >= target.rps && p99Ratio <= target.p99 ? 'met' : 'MISSED') : '-';
  return {
    cells: [label, bare.rps.toFixed(0), bsm.rps.toFixed(0), rpsRatio.toFixed(2), `${bare.p99} / ${bsm.p99}`, p99Ratio.toFixed(2),
      target ? `>= ${target.rps} req/s ratio, p99 <= ${target.p99}x: ${met}` : 'reference'],
    met,
  };
}

async function httpRows(log) {
  const bsm = await startBsm();
  const silent = await startBsm({ LOG_LEVEL: 'silent' });
  let bare;
  try {
    const bodies = {};
    for (const path of ['/health/live', '/api/status']) bodies[path] = await (await fetch(bsm.url + path)).json();
    bare = await startBare(bodies);
    const rows = [];
    for (const path of ['/health/live', '/api/status']) {
      log(`${path}: bare NestJS vs BSM, ${CONNECTIONS} connections`);
      const [b, s] = await alternate(
        [{ name: 'bare', url: bare.url + path }, { name: 'bsm', url: bsm.url + path }],
        { connections: CONNECTIONS, log },
      );
      rows.push(ratioRow(`GET ${path}`, b, s));
    }
    log('/api/status: logging off (LOG_LEVEL=silent) vs on (info, async destination)');
    const [off, on] = await alternate(
      [{ name: 'silent', url: silent.url + '/api/status' }, { name: 'info', url: bsm.url + '/api/status' }],
      { connections: CONNECTIONS, log },
    );
    const loggingCost = 1 - on.rps / off.rps;
    return { rows, loggingCost, off, on };
  } finally {
    await Promise.all([bsm.dispose(), silent.dispose(), bare && bare.dispose()]);
  }
}

/** Per-call cost of each global layer, measured in-process on the real providers. */
async function layerRows() {
  const { createApp } = require('../../dist/app.factory');
  const { PolicyGuard } = require('../../dist/common/guards/policy.guard');
  const { securityHeaders } = require('../../dist/common/http/security-headers');
  const helmet = require('helmet');
  const { CorrelationContext } = require('../../dist/common/correlation/correlation-context');
  const { correlationMiddleware, correlationScope } = require('../../dist/common/correlation/correlation.middleware');
  const { HttpMetrics } = require('../../dist/infra/metrics/http-metrics');
  const { ExecutionContextHost } = require('@nestjs/core/helpers/execution-context-host');
  const { StatusController } = require('../../dist/status/status.controller');
  const { EventEmitter } = require('node:events');
  const { mkdtempSync, rmSync } = require('node:fs');
  const { tmpdir } = require('node:os');
  const { join } = require('node:path');

  const stateDirs = [];
  const boot = (env) => {
    stateDirs.push(mkdtempSync(join(tmpdir(), 'bsm-bench-layers-')));
    return createApp({ env: { LOG_LEVEL: 'silent', STATE_DIR: stateDirs.at(-1), RATE_LIMIT_MAX: '1000000000', ...env }, quiet: true });
  };
  const app = await boot({ LAN_ONLY: 'true', MOBILE_MODE: 'true', API_KEYS: 'bench-key-0123456789abcdef' });
  const defaults = await boot({});
  try {
    const req = { ip: '127.0.0.1', method: 'GET', path: '/api/status', route: { path: '/api/status' }, headers: { 'x-api-key': 'bench-key-0123456789abcdef' }, correlationId: 'bench' };
    const res = Object.assign(new EventEmitter(), { header() {}, setHeader() {}, setHeaders() {}, removeHeader() {}, statusCode: 200 });
    const context = new ExecutionContextHost([req, res], StatusController, StatusController.prototype.get);
    context.setType('http');
    const scope = correlationScope(app.get(CorrelationContext));
    const metrics = app.get(HttpMetrics);
    const liveHelmet = helmet();
    const precomputed = securityHeaders();
    const layers = [
      ['correlation middleware', () => correlationMiddleware({ headers: {} }, res, () => {})],
      ['HTTP metrics middleware (observe on finish)', () => { metrics.middleware(req, res, () => {}); res.emit('finish'); }],
      ['policy guard, defaults (rate limit only)', () => defaults.get(PolicyGuard).canActivate(context)],
      ['policy guard, LAN_ONLY + MOBILE_MODE + API_KEYS on', () => app.get(PolicyGuard).canActivate(context)],
      ['security headers, helmet() per request', () => liveHelmet(req, res, () => {})],
      ['security headers, precomputed (what runs)', () => precomputed(req, res, () => {})],
      ['correlation scope (AsyncLocalStorage.run)', () => scope(req, res, () => {})],
    ];
    const rows = [];
    for (const [name, fn] of layers) rows.push([name, ((await perCall(fn)) / 1000).toFixed(2)]);
    return rows;
  } finally {
    await Promise.all([app.close(), defaults.close()]);
    for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
  }
}

async function run({ log }) {
  const http = await httpRows(log);
  const layers = await layerRows();
  const lines = [
    `Autocannon, ${CONNECTIONS} connections, 3 alternating rounds of 3 s per side (medians), bare = a NestJS app with no`,
    'middleware serving the same JSON body. BSM runs with NODE_ENV=production and LOG_LEVEL=info (async log destination).',
    '',
    '| route | bare req/s | BSM req/s | ratio | p99 ms bare / BSM | p99 ratio | target |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...http.rows.map((r) => `| ${r.cells.join(' | ')} |`),
    '',
    `Per-request logging (GET /api/status): ${http.off.rps.toFixed(0)} req/s with LOG_LEVEL=silent, ${http.on.rps.toFixed(0)} req/s with info: cost ${(http.loggingCost * 100).toFixed(1)} %.`,
    '',
    'Per-call cost of each global layer, in-process on the real providers (median of 5 × 20,000 calls):',
    '',
    '| layer | µs per request |',
    '| --- | --- |',
    ...layers.map((r) => `| ${r.join(' | ')} |`),
  ];
  return { markdown: lines.join('\n'), misses: http.rows.filter((r) => r.met === 'MISSED').length };
}

module.exports = { name: 'pipeline', title: 'Request pipeline', run };
