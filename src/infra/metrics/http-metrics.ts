import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics.registry';
import { RequestWindow } from './request-window';

/** Route label for requests no route matched; raw paths never become labels. */
export const UNMATCHED_ROUTE = '(unmatched)';

@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<'method' | 'route' | 'status'>;
  /** The last minute of traffic, for GET /api/metrics. */
  readonly window = new RequestWindow();

  constructor(registry: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /** Express middleware; the route template (req.route.path) is known only once the response finishes. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route: string = req.route?.path ?? UNMATCHED_ROUTE;
      this.duration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      this.window.record(seconds * 1000, res.statusCode);
    });
    next();
  };
}
