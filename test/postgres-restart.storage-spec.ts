import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/ports';
import { runApp, spawnApp, type SpawnedApp } from './support/spawn-app';
import { pullRequest } from './support/pull-requests';
import { USING_SERVICES } from './support/test-backend';
import { waitFor } from './support/wait-for';

const BIN = USING_SERVICES ? execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim() : '';

/** initdb and pg_ctl refuse root: as root (CI), they run as the postgres user. */
function asPostgres(tool: string, args: string[]): string {
  const command = join(BIN, tool);
  const [file, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

(USING_SERVICES ? describe : describe.skip)('a throwaway PostgreSQL stopped and restarted under traffic', () => {
  let dir: string;
  let port: number;
  let app: SpawnedApp | undefined;
  const pgCtl = (...args: string[]) => asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-w', ...args]);
  const url = (path: string) => `http://127.0.0.1:${app!.port}${path}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bsm-pg-'));
    if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
    port = await freePort();
    asPostgres('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
    pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), 'start');
    app = await spawnApp({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`, STATE_DIR: join(dir, 'state'), REPORTS_DIR: join(dir, 'reports') }, 60_000);
  }, 90_000);

  afterAll(async () => {
    app?.child.kill('SIGKILL');
    await app?.exited;
    try {
      pgCtl('-m', 'immediate', 'stop');
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps running, answers 503 STORAGE_UNAVAILABLE within 2 s while it is down, and recovers by itself with nothing lost', async () => {
    const run = await fetch(url('/api/orchestrator/run'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'pull_request.opened', payload: pullRequest() }),
    });
    expect(run.status).toBe(202);
    const { jobId } = (await run.json()) as { jobId: string };

    pgCtl('-m', 'fast', 'stop');
    const started = Date.now();
    const down = await fetch(url('/api/orchestrator/jobs'));
    expect(Date.now() - started).toBeLessThan(2500);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe('STORAGE_UNAVAILABLE');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await fetch(url('/health/live'))).status).toBe(200);
    const ready = await waitFor(() => fetch(url('/health/ready')).then((r) => r.status), (status) => status === 503, 5000);
    expect(ready).toBe(503);
    // A webhook-style write while down is refused, not acknowledged.
    const refused = await fetch(url('/api/orchestrator/run'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'pull_request.opened', payload: pullRequest() }),
    });
    expect(refused.status).toBe(503);

    pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), 'start');
    await waitFor(() => fetch(url('/health/ready')).then((r) => r.status), (status) => status === 200, 15_000);
    const job = await fetch(url(`/api/orchestrator/jobs/${jobId}`));
    expect(job.status).toBe(200);
    // Still the same process: the connections the server closed under it did not end it.
    expect(app!.child.exitCode).toBeNull();
  }, 60_000);

  it('boots while it is down: liveness 200, not ready, 503 STORAGE_UNAVAILABLE, retries logged with backoff; starts by itself when it returns', async () => {
    app?.child.kill('SIGKILL');
    await app?.exited;
    pgCtl('-m', 'fast', 'stop');
    const appPort = await freePort();
    const waiting = runApp({
      LOG_LEVEL: 'info',
      PORT: String(appPort),
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
      STATE_DIR: join(dir, 'state'),
      REPORTS_DIR: join(dir, 'reports'),
    });
    app = { ...waiting, port: appPort };
    const status = (path: string) => fetch(url(path)).then((r) => r.status, () => 0);
    expect(await waitFor(() => status('/health/live'), (s) => s === 200, 15_000)).toBe(200);

    const ready = await fetch(url('/health/ready'));
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: { code: string; details: { error: Record<string, unknown> } } }).error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { error: { storage: { status: 'down' } } },
    });
    const refused = await fetch(url('/api/orchestrator/run'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'boot-wait-1' },
      body: JSON.stringify({ event: 'pull_request.opened', payload: pullRequest() }),
    });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ error: { code: 'STORAGE_UNAVAILABLE' }, correlationId: 'boot-wait-1' });
    // Each failed attempt is logged with the next delay, which doubles.
    await waitFor(async () => waiting.stdout(), (out) => /retrying in 1000 ms/.test(out), 10_000);
    expect(waiting.stdout()).toMatch(/PostgreSQL unreachable \(.*ECONNREFUSED.*\).*attempt 1 failed, retrying in 500 ms/);

    pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), 'start');
    expect(await waitFor(() => status('/health/ready'), (s) => s === 200, 30_000)).toBe(200);
    const accepted = await fetch(url('/api/orchestrator/run'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'pull_request.opened', payload: pullRequest() }),
    });
    expect(accepted.status).toBe(202);
    expect(waiting.child.exitCode).toBeNull();
  }, 90_000);
});
