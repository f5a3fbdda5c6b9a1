import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { CorrelationContext } from './correlation-context';

export const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_CORRELATION_ID = /^[A-Za-z0-9._-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    correlationId: string;
  }
}

/** A caller's id is kept only when it is safe to echo into headers and logs. */
export function resolveCorrelationId(incoming: unknown): string {
  return typeof incoming === 'string' && SAFE_CORRELATION_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * First middleware of the stack, ahead of the body parsers, so even a malformed-JSON or
 * oversized-body error carries the id.
 */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const id = resolveCorrelationId(req.headers[CORRELATION_HEADER]);
  req.correlationId = id;
  res.setHeader(CORRELATION_HEADER, id);
  next();
}

/**
 * Runs the rest of the request inside the correlation context. Mounted after the body
 * parsers: their callbacks run in the socket's async context, so a context entered
 * before them would be lost by the time the handler runs.
 */
export function correlationScope(context: CorrelationContext): (req: Request, res: Response, next: NextFunction) => void {
  return (req, _res, next) => context.run(req.correlationId, next);
}
