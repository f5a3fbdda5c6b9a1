import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';

/**
 * One log line per request, written when the response is finished: 5xx at error, 4xx at
 * warn, the rest at info; no headers. Written here instead of by pino-http, which builds
 * a child logger per request, serialises the headers through the redaction paths and, for
 * every 5xx, builds an Error and formats its stack — costs paid on every request, and
 * highest during an outage, exactly when BSM must answer cheaply.
 */
export function requestLog(req: Request, res: Response, next: NextFunction): void {
  const started = performance.now();
  res.once('finish', () => {
    const logger = PinoLogger.root;
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
}
