const NUL = '\u0000';
const REPLACEMENT = '\uFFFD';

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, item]) => key.includes(NUL) || holdsNul(item));
  return false;
}

function replaceNul(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll(NUL, REPLACEMENT);
  if (Array.isArray(value)) return value.map(replaceNul);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.replaceAll(NUL, REPLACEMENT), replaceNul(item)]));
  return value;
}

/**
 * A JSON value PostgreSQL can store: its text and jsonb types refuse U+0000, which a client may well send (a
 * title pasted from a binary file), so each one becomes U+FFFD, the replacement character, rather than the whole
 * value being refused. The value itself when it holds none (the common case: nothing copied).
 */
export function storable<T>(value: T): T {
  return holdsNul(value) ? (replaceNul(value) as T) : value;
}
