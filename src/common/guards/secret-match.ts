import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Constant-time comparison against each accepted secret. Hashing first gives equal-length
 * buffers, so neither the content nor the length of a secret leaks through timing.
 */
export function matchesAnySecret(candidate: string | undefined, secrets: readonly string[]): boolean {
  if (!candidate) return false;
  const given = digest(candidate);
  let matched = false;
  for (const secret of secrets) matched = timingSafeEqual(given, digest(secret)) || matched;
  return matched;
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
