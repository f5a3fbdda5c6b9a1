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
