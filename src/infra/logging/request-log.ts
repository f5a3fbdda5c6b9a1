import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * One log line per request, written when the response is finished: 5xx at error, 4xx at
 * warn, the rest at info; no headers. Written here instead of by pino-http, which builds
 * a child logger per request, serialises the headers through the redaction paths and, for
 * every 5xx, builds an Error and formats its stack — costs paid on every request, and
 * highest during an outage, exactly when BSM must answer cheaply.
 *
 * The line holds only the fields below, none of them redactable, so it goes through a child
 * logger without the redaction paths (which, walking `*.token`-style wildcards, doubled the
 * cost of every line). The child is made at the first request: nestjs-pino creates its root
 * logger during app.init(), after this middleware is mounted.
 */
export function requestLog(): RequestHandler {
  let logger: Logger | undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.once('finish', () => {
      logger ??= PinoLogger.root.child({}, { redact: [] });
      const status = res.statusCode;
      const line = {
        correlationId: req.correlationId,
        method: req.method,
        url: req.originalUrl,
        statusCode: status,
        responseTimeMs: Math.round((performance.now() - started) * 10) / 10,
      };
      if (status >= 500) logger.error(line, 'request failed');
      else if (status >= 400) logger.warn(line, 'request refused');
      else logger.info(line, 'request completed');
    });
    next();
  };
}
