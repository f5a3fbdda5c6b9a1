import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import pino from 'pino';
import { CORRELATION_HEADER, resolveCorrelationId } from '../../common/correlation/correlation.middleware';
import { ErrorCode } from '../../common/errors/error-code';
import { LIVE } from '../health/health.controller';
import { messageOf } from '../storage/storage-errors';

/** The first retry's delay; each failed attempt doubles it, up to the longest. */
const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 15_000;
/** What the stand-in tells clients to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

export interface StorageWaitOptions {
  databaseUrl: string;
  /** DATABASE_TIMEOUT_MS: how long one attempt may take. */
  timeoutMs: number;
  host: string;
  port: number;
  logLevel: string;
}

/** The stand-in while BSM waited for PostgreSQL: the port it holds, and how to hand it to the application. */
export interface StorageWait {
  port: number;
  close(): Promise<void>;
}

async function reachable(url: string, timeoutMs: number): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined); // a connection lost after the answer: nothing waits on it
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return messageOf(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function answer(req: IncomingMessage, res: ServerResponse, reason: string): void {
  const correlationId = resolveCorrelationId(req.headers[CORRELATION_HEADER]);
  res.setHeader(CORRELATION_HEADER, correlationId);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/health/live' || path === '/health') {
    res.end(JSON.stringify(LIVE));
    return;
  }
  res.statusCode = 503;
  res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  const storage = { status: 'down', message: `waiting for PostgreSQL: ${reason}` };
  const error =
    path === '/health/ready'
      ? { code: ErrorCode.ServiceUnavailable, message: 'Not ready: storage', details: { status: 'error', info: {}, error: { storage }, details: { storage } } }
      : { code: ErrorCode.StorageUnavailable, message: 'Storage is unavailable: BSM is starting and waits for PostgreSQL; retry shortly' };
  res.end(JSON.stringify({ error, correlationId }));
}

/**
 * Boot with PostgreSQL unreachable (a whole deployment restarting at once, a database slower to start than its
 * clients): rather than exit, BSM tries again with a doubling delay, each attempt logged, while a stand-in HTTP
 * server on HOST:PORT answers liveness 200, readiness 503 and every other request 503 STORAGE_UNAVAILABLE with
 * Retry-After. Resolves once PostgreSQL answers: undefined if it did at the first attempt (no stand-in), else
 * the stand-in, still listening, for the caller to close once the application is ready to take its port. A
 * SIGTERM or SIGINT while waiting ends the process (exit 0). Written with node:http because the application,
 * with everything it wires, is what cannot start yet.
 */
export async function waitForStorage(options: StorageWaitOptions): Promise<StorageWait | undefined> {
  let reason = await reachable(options.databaseUrl, options.timeoutMs);
  if (reason === null) return undefined;
  const logger = pino({ level: options.logLevel, base: { pid: process.pid, context: 'Bootstrap' } });
  const server = createServer((req, res) => answer(req, res, reason ?? 'it answers now; BSM is starting'));
  server.listen(options.port, options.host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const stop = () => {
    logger.info('stopped while waiting for PostgreSQL');
    server.close(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  let delay = FIRST_RETRY_MS;
  for (let attempt = 1; reason !== null; attempt++) {
    logger.warn(`PostgreSQL unreachable (${reason}): serving liveness on port ${port}, not ready; attempt ${attempt} failed, retrying in ${delay} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, LONGEST_RETRY_MS);
    reason = await reachable(options.databaseUrl, options.timeoutMs);
  }
  logger.info('PostgreSQL answers: starting');
  process.removeListener('SIGTERM', stop);
  process.removeListener('SIGINT', stop);
  return {
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
