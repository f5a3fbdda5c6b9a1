import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Constant-time comparison against each accepted secret. Hashing first gives equal-length
 * buffers, so neither the content nor the length of a secret leaks through timing; every
 * secret is compared, whichever matches.
 */
export function matchingSecret(candidate: string | undefined, secrets: readonly string[]): string | undefined {
  if (!candidate) return undefined;
  const given = digest(candidate);
  let matched: string | undefined;
  for (const secret of secrets) if (timingSafeEqual(given, digest(secret))) matched ??= secret;
  return matched;
}

export function matchesAnySecret(candidate: string | undefined, secrets: readonly string[]): boolean {
  return matchingSecret(candidate, secrets) !== undefined;
}

/** How an API key is named in metrics, usage and limits: never the key, the first 12 hex digits of its SHA-256. */
export function keyIdOf(key: string): string {
  return digest(key).toString('hex').slice(0, 12);
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function headerValue(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
