import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { CorrelationContext } from '../../common/correlation/correlation-context';
import type { Env } from '../config/env.schema';
import { LogDestination } from './log-destination';

/** Headers and fields that never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-admin-token"]',
  'req.headers["x-api-key"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers.cookie',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.password',
];

/**
 * nestjs-pino's logger, without its per-request middleware: that middleware builds a child
 * logger and enters an AsyncLocalStorage context for every request, which cost more than
 * the request line itself. Instead the correlation id comes from CorrelationContext (the
 * one per-request context BSM keeps) through pino's mixin, on every line logged inside a
 * request, and requestLog() writes the request line.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [LogDestination],
      inject: [ConfigService, CorrelationContext, LogDestination],
      useFactory: (config: ConfigService<Env, true>, correlation: CorrelationContext, destination: LogDestination) => {
        const level = config.get('LOG_LEVEL', { infer: true });
        return {
          forRoutes: [],
          pinoHttp: {
            level,
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            mixin: () => {
              const correlationId = correlation.current();
              return correlationId === undefined ? {} : { correlationId };
            },
            stream: destination.stream,
          },
        };
      },
    }),
  ],
})
export class LoggingModule {}
