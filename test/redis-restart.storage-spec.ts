import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createClient } from '@redis/client';
import { spawnApp, type SpawnedApp } from './support/spawn-app';
import { freePort } from './support/ports';
import { ADMIN_TOKEN } from './support/test-app';
import { createStateBackend, USING_SERVICES, type StateBackend } from './support/test-backend';
import { waitFor } from './support/wait-for';

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

(USING_SERVICES ? describe : describe.skip)('a throwaway redis-server stopped and restarted under traffic', () => {
  let port: number;
  let redis: ChildProcess | undefined;
  let backend: StateBackend;
  let app: SpawnedApp | undefined;
  const url = (path: string) => `http://127.0.0.1:${app!.port}${path}`;
  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(() => accepts(port), Boolean, 10_000);
  };
  const stopRedis = async () => {
    const exited = new Promise((resolve) => redis!.once('exit', resolve));
    redis!.kill('SIGKILL');
    await exited;
  };

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    backend = await createStateBackend();
    app = await spawnApp({ ...backend.env, REDIS_URL: `redis://127.0.0.1:${port}`, ADMIN_TOKEN, RATE_LIMIT_MAX: '100000' }, 60_000);
  }, 90_000);

  afterAll(async () => {
    app?.child.kill('SIGKILL');
    await app?.exited;
    if (redis && redis.exitCode === null) await stopRedis();
    await backend.dispose();
  });

  const redisCheck = async () => ((await (await fetch(url('/api/health/detailed'))).json()) as { checks: { redis: { status: string } } }).checks.redis.status;
  const clearCaches = () =>
    fetch(url('/api/cache/clear'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN_TOKEN },
      body: JSON.stringify({ cache: 'all' }),
    });

  it('keeps serving and ready, warns in detailed health, never hangs an admin call, and shares again by itself when it returns', async () => {
    await waitFor(redisCheck, (status) => status === 'pass', 5_000);
    await stopRedis();
    await waitFor(redisCheck, (status) => status === 'warn', 5_000);
    for (let i = 0; i < 20; i++) expect((await fetch(url('/api/agents'))).status).toBe(200);
    expect((await fetch(url('/health/ready'))).status).toBe(200);
    const started = Date.now();
    const cleared = await clearCaches();
    expect(cleared.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(app!.stdout()).toContain('Redis unavailable');

    // A new, empty Redis: what this instance refreshed during the outage is stored there again when it returns.
    await startRedis();
    await waitFor(redisCheck, (status) => status === 'pass', 15_000);
    await waitFor(async () => app!.stdout(), (out) => out.includes('Redis is back'), 5_000);
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    await client.connect();
    try {
      await waitFor(() => client.keys('*cache:agents*'), (keys) => keys.length > 0, 5_000);
    } finally {
      await client.close();
    }
    for (let i = 0; i < 5; i++) expect((await fetch(url('/api/agents'))).status).toBe(200);
  });

  it('bounds every call while Redis stalls (SIGSTOP): falls back, warns, and shares again when it answers', async () => {
    await waitFor(redisCheck, (status) => status === 'pass', 5_000);
    redis!.kill('SIGSTOP');
    try {
      // Every request is counted by the rate limit in Redis: none may wait on a server that answers nothing.
      const started = Date.now();
      for (let i = 0; i < 10; i++) expect((await fetch(url('/api/agents'))).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_000);
      await waitFor(redisCheck, (status) => status === 'warn', 5_000);
      expect((await fetch(url('/health/ready'))).status).toBe(200);
      const clearing = Date.now();
      expect((await clearCaches()).status).toBe(200);
      expect(Date.now() - clearing).toBeLessThan(2_000);
      const asking = Date.now();
      const usage = await fetch(url('/api/admin/usage'), { headers: { 'x-admin-token': ADMIN_TOKEN } });
      expect(usage.status).toBe(503);
      expect(Date.now() - asking).toBeLessThan(2_000);
      await waitFor(async () => app!.stdout(), (out) => /Redis unavailable \(no answer within 500 ms\)/.test(out), 5_000);
    } finally {
      redis!.kill('SIGCONT');
    }
    await waitFor(redisCheck, (status) => status === 'pass', 10_000);
    for (let i = 0; i < 5; i++) expect((await fetch(url('/api/agents'))).status).toBe(200);
  });
});
