/** Node's and PostgreSQL's ways of saying the server cannot be reached or has gone away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 08xxx connection exceptions.
const SERVER_CODES = /^(57P0[123]|08\d{3})$/;
// pg's own messages for a connection that timed out or ended, which carry no code.
const CLIENT_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/i;

/**
 * Whether an error (or what it wraps: drizzle wraps the driver's) says storage is unreachable rather than that
 * the query was wrong: the caller should get 503 and come back, not a 500.
 */
export function isStorageUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_CODES.test(code))) return true;
    if (CLIENT_MESSAGES.test(current.message)) return true;
  }
  return false;
}

// 22P05 untranslatable_character (\u0000 in jsonb), 22021 character_not_in_repertoire (a 0x00 byte in text).
const UNSTORABLE_TEXT_CODES = new Set(['22P05', '22021']);

/**
 * Whether storage refused a value for holding U+0000, which PostgreSQL's text and jsonb cannot hold: the caller
 * sent it, and gets a 400 saying so, not a 500.
 */
export function isUnstorableText(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNSTORABLE_TEXT_CODES.has(code)) return true;
  }
  return false;
}

/**
 * An error's message without the statement and parameters drizzle puts in front of the driver's ("Failed query:
 * … params: …"): a report's whole JSON has no place in a job's error or a log line.
 */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message.startsWith('Failed query:') && error.cause instanceof Error) return error.cause.message;
  return error.message;
}
