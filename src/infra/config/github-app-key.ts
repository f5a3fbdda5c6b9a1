import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Env } from './env.schema';

function parse(pem: string, variable: string): void {
  try {
    if (createPrivateKey(pem).asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
  } catch (error) {
    throw new Error(`${variable}: not a private key GitHub Apps use (a PEM RSA key): ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * The App's key from GITHUB_APP_PRIVATE_KEY (a PEM whose line breaks may be written as literal \n, as one-line
 * variables have them) or the file GITHUB_APP_PRIVATE_KEY_PATH. Throws naming the variable. The file is read
 * synchronously because the configuration is validated synchronously, once, at boot.
 */
function keyOf(env: Env): string {
  if (env.GITHUB_APP_PRIVATE_KEY !== undefined) {
    const pem = env.GITHUB_APP_PRIVATE_KEY.replace(/\\n/g, '\n').trim();
    parse(pem, 'GITHUB_APP_PRIVATE_KEY');
    return pem;
  }
  let pem: string;
  try {
    pem = readFileSync(env.GITHUB_APP_PRIVATE_KEY_PATH!, 'utf8').trim();
  } catch (error) {
    throw new Error(`GITHUB_APP_PRIVATE_KEY_PATH: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  parse(pem, 'GITHUB_APP_PRIVATE_KEY_PATH');
  return pem;
}

/**
 * Checks the App's variables, each problem naming its variable. When they hold, the key (read from its file if
 * need be) is kept in `env.GITHUB_APP_PRIVATE_KEY` as a PEM with real line breaks: the GitHub client takes it
 * from there, and the file is read once.
 */
export function checkGithubApp(env: Env): string[] {
  const hasKey = env.GITHUB_APP_PRIVATE_KEY !== undefined || env.GITHUB_APP_PRIVATE_KEY_PATH !== undefined;
  if (env.GITHUB_APP_ID === undefined) return hasKey ? ['GITHUB_APP_ID: is required with GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH'] : [];
  if (!hasKey) return ['GITHUB_APP_PRIVATE_KEY: is required with GITHUB_APP_ID (or GITHUB_APP_PRIVATE_KEY_PATH)'];
  if (env.GITHUB_APP_PRIVATE_KEY !== undefined && env.GITHUB_APP_PRIVATE_KEY_PATH !== undefined) {
    return ['GITHUB_APP_PRIVATE_KEY_PATH: give the key or its file, not both'];
  }
  try {
    env.GITHUB_APP_PRIVATE_KEY = keyOf(env);
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}
