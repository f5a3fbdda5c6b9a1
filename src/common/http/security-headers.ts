import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * helmet's security headers, computed once. With no per-request directive (no CSP nonce) its
 * twelve middlewares write the same values on every response, so they run once at boot against
 * a recording response, and each request gets the recorded headers in one `setHeaders` call.
 */
export function securityHeaders(): RequestHandler {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  } as unknown as Response;
  let failure: unknown;
  helmet()({} as never, recorder, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return (_req, res, next) => {
    res.setHeaders(headers);
    next();
  };
}
