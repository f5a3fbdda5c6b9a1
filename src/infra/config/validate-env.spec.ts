import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeEnv } from './env.schema';
import { InvalidConfigurationError, validateEnv } from './validate-env';

function problems(source: Record<string, string>): string[] {
  try {
    validateEnv(source);
  } catch (error) {
    if (error instanceof InvalidConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('validateEnv', () => {
  it('applies the documented defaults', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({
      NODE_ENV: NodeEnv.Development,
      PORT: 3000,
      HOST: '127.0.0.1',
      BODY_LIMIT: '1mb',
      RATE_LIMIT_MAX: 600,
      API_KEYS: [],
      CIRCUIT_BREAKER_ENABLED: true,
      LAN_ONLY: false,
    });
    expect(env.ADMIN_TOKEN).toBeUndefined();
  });

  it.each([
    ['yes', true], ['on', true], ['1', true], ['TRUE', true],
    ['no', false], ['off', false], ['0', false], ['False', false],
  ])('reads the boolean word %s as %s', (word, expected) => {
    expect(validateEnv({ SAFE_MODE: word }).SAFE_MODE).toBe(expected);
  });

  it('checks a GitHub App key at boot, naming the variable and never printing the key', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect(problems({ GITHUB_APP_ID: '12', GITHUB_APP_PRIVATE_KEY: privateKey.replace(/\n/g, '\\n') })).toEqual([]);
    const bad = problems({ GITHUB_APP_ID: '12', GITHUB_APP_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\\nnot-a-key\\n-----END RSA PRIVATE KEY-----' });
    expect(bad).toEqual([expect.stringMatching(/^GITHUB_APP_PRIVATE_KEY: not a private key GitHub Apps use/)]);
    expect(bad[0]).not.toContain('not-a-key');
    // Checked once, at boot: the key (with real line breaks, from its file if need be) is kept for the client.
    expect(validateEnv({ GITHUB_APP_ID: '12', GITHUB_APP_PRIVATE_KEY: privateKey.replace(/\n/g, '\\n') }).GITHUB_APP_PRIVATE_KEY).toBe(privateKey.trim());
    const dir = mkdtempSync(join(tmpdir(), 'bsm-app-key-'));
    writeFileSync(join(dir, 'good.pem'), privateKey);
    expect(validateEnv({ GITHUB_APP_ID: '12', GITHUB_APP_PRIVATE_KEY_PATH: join(dir, 'good.pem') }).GITHUB_APP_PRIVATE_KEY).toBe(privateKey.trim());
    writeFileSync(join(dir, 'app.pem'), 'garbage');
    expect(problems({ GITHUB_APP_ID: '12', GITHUB_APP_PRIVATE_KEY_PATH: join(dir, 'app.pem') })).toEqual([expect.stringMatching(/^GITHUB_APP_PRIVATE_KEY_PATH: not a private key/)]);
    expect(problems({ GITHUB_APP_ID: '12', GITHUB_APP_PRIVATE_KEY_PATH: join(dir, 'missing.pem') })).toEqual(['GITHUB_APP_PRIVATE_KEY_PATH: cannot be read (ENOENT)']);
    expect(problems({ GITHUB_APP_ID: '12' })).toEqual(['GITHUB_APP_PRIVATE_KEY: is required with GITHUB_APP_ID (or GITHUB_APP_PRIVATE_KEY_PATH)']);
    expect(problems({ GITHUB_APP_PRIVATE_KEY: privateKey })).toEqual(['GITHUB_APP_ID: is required with GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH']);
    expect(problems({ GITHUB_APP_ID: 'twelve', GITHUB_APP_PRIVATE_KEY: privateKey })).toEqual([expect.stringMatching(/^GITHUB_APP_ID: /)]);
  });

  it('treats empty strings as unset', () => {
    expect(validateEnv({ PORT: '', DATABASE_URL: '' })).toMatchObject({ PORT: 3000, DATABASE_URL: undefined });
  });

  it('splits comma lists', () => {
    expect(validateEnv({ CORS_ORIGINS: 'https://a.example, https://b.example,' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('names every bad variable at once', () => {
    const found = problems({ PORT: '70000', LAN_ONLY: 'maybe', BODY_LIMIT: 'huge', DATABASE_URL: 'mysql://x', NODE_ENV: 'prod' });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(['BODY_LIMIT', 'DATABASE_URL', 'LAN_ONLY', 'NODE_ENV', 'PORT']);
  });

  it('requires a real ADMIN_TOKEN in production and never echoes it', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      expect.stringContaining('ADMIN_TOKEN is required in production'),
      expect.stringContaining('GITHUB_WEBHOOK_SECRET is required in production'),
    ]);
    const webhook = { GITHUB_WEBHOOK_SECRET: 'a-real-webhook-secret-123' };
    const placeholder = problems({ NODE_ENV: 'production', ADMIN_TOKEN: 'changeme-changeme-123', ...webhook });
    expect(placeholder).toEqual([expect.stringContaining('placeholder')]);
    expect(placeholder.join()).not.toContain('changeme-changeme-123');
    expect(problems({ NODE_ENV: 'production', ADMIN_TOKEN: 'a-real-production-token-123', ...webhook })).toEqual([]);
    expect(problems({ NODE_ENV: 'production', ADMIN_TOKEN: 'a-real-production-token-123', ...webhook, WEBHOOK_ALLOW_UNSIGNED: 'true' })).toEqual([
      expect.stringContaining('WEBHOOK_ALLOW_UNSIGNED'),
    ]);
    expect(problems({ ADMIN_TOKEN: 'short' })).toEqual([expect.stringContaining('at least 16')]);
  });
  it('shows the value as given, quoted, never a secret', () => {
    let problems: string[] = [];
    try {
      validateEnv({ RATE_LIMIT_MAX: 'abc', ADMIN_TOKEN: 'short' });
    } catch (error) {
      problems = (error as InvalidConfigurationError).problems;
    }
    expect(problems).toContainEqual(expect.stringMatching(/^RATE_LIMIT_MAX: .* \(got "abc"\)$/));
    expect(problems.find((p) => p.startsWith('ADMIN_TOKEN'))).not.toContain('short');
  });
});
