import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { Env } from './env.schema';
import { validateEnv } from './validate-env';

const ROOT = resolve(__dirname, '../../..');
const KNOWN = new Set(Object.keys(new Env()));

function dockerfileEnv(text: string): Record<string, string> {
  const joined = text.replace(/\\\n/g, ' ');
  const vars: Record<string, string> = {};
  for (const line of joined.split('\n').filter((l) => /^ENV\s/.test(l))) {
    for (const match of line.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) vars[match[1]] = match[2];
  }
  return vars;
}

describe('deployment files agree with the config class', () => {
  it('the Dockerfile sets only known variables, with valid values, and listens on 0.0.0.0', async () => {
    const vars = dockerfileEnv(await readFile(resolve(ROOT, 'Dockerfile'), 'utf8'));
    expect(Object.keys(vars).length).toBeGreaterThan(3);
    expect(Object.keys(vars).filter((key) => !KNOWN.has(key))).toEqual([]);
    expect(vars.HOST).toBe('0.0.0.0');
    expect(() =>
      validateEnv({ ...vars, ADMIN_TOKEN: 'a-real-production-token-123', GITHUB_WEBHOOK_SECRET: 'a-real-webhook-secret-123' }),
    ).not.toThrow();
  });

  it('the Dockerfile builds on Node 24 and runs production dependencies only, as a non-root user, with a health check', async () => {
    const text = await readFile(resolve(ROOT, 'Dockerfile'), 'utf8');
    const stages = text.split(/^FROM /m).slice(1);
    expect(stages.map((stage) => stage.split(/\s/)[0])).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(stages[0]).toMatch(/npm prune --omit=dev|npm ci --omit=dev/);
    const runtime = stages[1];
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\/health\/live/ms);
    expect(runtime).not.toMatch(/^COPY (src|test|\.)\b/m);
  });

  it('.dockerignore keeps dependencies, git, state, build output and coverage out of the context', async () => {
    const ignored = (await readFile(resolve(ROOT, '.dockerignore'), 'utf8')).split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.git', 'var', 'dist', 'coverage']) expect(ignored).toContain(entry);
  });

  it('docker-compose.yml waits for healthy PostgreSQL and Redis, publishes on loopback and names the required variables', async () => {
    const text = await readFile(resolve(ROOT, 'docker-compose.yml'), 'utf8');
    const compose = parse(text);
    expect(compose.services.redis.healthcheck.test).toEqual(expect.arrayContaining(['redis-cli', 'ping']));
    expect(compose.services.postgres.healthcheck).toBeDefined();
    expect(compose.services.app.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(compose.services.app.ports).toEqual(['127.0.0.1:3000:3000']);
    const header = text.slice(0, text.indexOf('services:'));
    const required = Object.entries(compose.services.app.environment as Record<string, string>)
      .filter(([, value]) => /\$\{[A-Z_]+:\?/.test(String(value)))
      .map(([key]) => key);
    expect(required.length).toBeGreaterThan(0);
    for (const key of required) expect(header).toContain(key);
  });

  it('docker-compose.yml sets only known variables on the app', async () => {
    const compose = parse(await readFile(resolve(ROOT, 'docker-compose.yml'), 'utf8'));
    const keys = Object.keys(compose.services.app.environment);
    expect(keys.length).toBeGreaterThan(3);
    expect(keys.filter((key) => !KNOWN.has(key))).toEqual([]);
    expect(compose.services.app.environment.HOST).toBe('0.0.0.0');
  });

  it('.env.example lists every variable with its real default', async () => {
    const lines = (await readFile(resolve(ROOT, '.env.example'), 'utf8')).split('\n').filter((l) => /^[A-Z_]+=/.test(l));
    const example = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(Object.keys(example).sort()).toEqual([...KNOWN].sort());
    const defaults = new Env() as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(example)) {
      const expected = defaults[key];
      const shown = Array.isArray(expected) ? expected.join(',') : expected === undefined ? '' : String(expected);
      expect([key, value]).toEqual([key, shown]);
    }
  });
});
