'use strict';
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '../..');
const BENCH_WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Spawns a Node server on a free port and resolves once its liveness path answers 200.
 * With `probe`, the server carries loop-probe.js and answers `probe(...)` over IPC.
 */
async function startServer(script, env, { readyPath = '/health/live', readyStatus = 'ok', timeoutMs = 60_000, portVariable = 'PORT', probe = false, nodeArgs = [] } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...nodeArgs, ...(probe ? ['--require', join(__dirname, 'loop-probe.js')] : []), script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', ...env, [portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe', ...(probe ? ['ipc'] : [])],
  });
  let errors = '';
  // stdout is the log stream; draining it keeps the pipe from applying back-pressure.
  child.stdout.resume();
  child.stderr.on('data', (chunk) => (errors += chunk.toString()));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(url + readyPath);
      if (res.ok || readyStatus === 'any') return { child, port, url, probe: (command) => askProbe(child, command) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${script} did not start:\n${errors}`);
}

function askProbe(child, command) {
  return new Promise((resolveReply) => {
    child.once('message', resolveReply);
    child.send(`probe:${command}`);
  });
}

async function stopServer(server) {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

/**
 * A BSM process with the given extra variables, on a fresh embedded state dir (deleted on
 * dispose) or on `stateDir` (kept: a restart).
 */
async function startBsm(env = {}, { probe = false, stateDir: given, nodeArgs } = {}) {
  const stateDir = given ?? mkdtempSync(join(tmpdir(), 'bsm-bench-'));
  const server = await startServer(join(ROOT, 'dist/main.js'), {
    NODE_ENV: 'production',
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    GITHUB_WEBHOOK_SECRET: BENCH_WEBHOOK_SECRET,
    LOG_LEVEL: 'info',
    STATE_DIR: stateDir,
    RATE_LIMIT_MAX: '100000000',
    ...env,
  }, { probe, nodeArgs });
  return {
    ...server,
    dispose: async () => {
      await stopServer(server);
      if (!given) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** The baseline: a bare NestJS app serving fixed JSON bodies on the same paths. */
async function startBare(routes, { probe = false, nodeArgs } = {}) {
  const server = await startServer(join(__dirname, 'bare-app.js'), { BARE_ROUTES: JSON.stringify(routes) }, {
    readyPath: Object.keys(routes).find((key) => !key.includes(' ')) ?? '/',
    readyStatus: 'any',
    probe,
    nodeArgs,
  });
  return { ...server, dispose: () => stopServer(server) };
}

module.exports = { ROOT, BENCH_WEBHOOK_SECRET, startBsm, startBare, stopServer, startServer };
