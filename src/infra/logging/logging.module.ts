import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { Env } from '../config/env.schema';

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

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => {
        const level = config.get('LOG_LEVEL', { infer: true });
        return {
          pinoHttp: {
            level,
            genReqId: (req) => (req as unknown as Request).correlationId,
            customAttributeKeys: { reqId: 'correlationId' },
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            autoLogging: level !== 'silent',
            quietReqLogger: true,
            serializers: {
              req: (req: { method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
                method: req.method,
                url: req.url,
                headers: req.headers,
                remoteAddress: req.remoteAddress,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            // Asynchronous, buffered stdout: per-request logging stays off the hot path (see docs/performance.md).
            stream: level === 'silent' ? undefined : pino.destination({ dest: 1, sync: false }),
          },
        };
      },
    }),
  ],
})
export class LoggingModule {}
