import { DynamicModule, Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cors from 'cors';
import { json, type NextFunction, type Request, type Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { CorrelationContext } from './common/correlation/correlation-context';
import { correlationMiddleware, correlationScope } from './common/correlation/correlation.middleware';
import { errorResponse } from './common/errors/api-errors.decorator';
import { ErrorCode } from './common/errors/error-code';
import { ErrorEnvelopeDto } from './common/errors/error-envelope.dto';
import { bodyParserErrors } from './common/http/body-parser-errors';
import { AfterFeatureRoutes } from './common/http/after-feature-routes';
import { securityHeaders } from './common/http/security-headers';
import { createValidationPipe } from './common/http/validation';
import { AppInfo } from './infra/config/app-info';
import type { EnvSource } from './infra/config/config.module';
import { parseBooleanWord, type Env } from './infra/config/env.schema';
import { requestLog } from './infra/logging/request-log';
import { HttpMetrics } from './infra/metrics/http-metrics';
import { WebhookSignatureVerifier } from './orchestrator/intake/webhook-signature.verifier';

/** GitHub caps webhook payloads at 25 MB; these routes keep the raw bytes for the signature check. */
export const WEBHOOK_PATHS = ['/api/webhooks/github', '/webhook/github'];
const WEBHOOK_BODY_LIMIT = '25mb';

export interface CreateAppOptions {
  env: EnvSource;
  modules?: Array<Type | DynamicModule>;
  /** Keep the Nest boot logs out of test output. */
  quiet?: boolean;
}

function trustProxySetting(value: string): boolean | number | string {
  const word = parseBooleanWord(value);
  if (typeof word === 'boolean') return word;
  return /^\d+$/.test(value) ? Number(value) : value;
}


declare module 'express-serve-static-core' {
  interface Request {
    rawBody?: Buffer;
  }
}

/**
 * Builds the whole application with every global: main.ts and every e2e test call this,
 * so tests exercise exactly the pipeline that runs in production.
 */
export async function createApp(options: CreateAppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    await AppModule.register({ env: options.env, modules: options.modules }),
    // Errors while wiring (a bad config slice, a missing provider) reject createApp() instead of exiting, so
    // main.ts reports them like any boot error and an embedding codebase or a test can catch them.
    { bodyParser: false, bufferLogs: true, abortOnError: false, logger: options.quiet ? false : undefined },
  );
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', trustProxySetting(config.get('TRUST_PROXY', { infer: true })));
  app.disable('x-powered-by');
  // Express would hash every response body for an ETag, error bodies included; the routes
  // that benefit (the agent catalog) set their own, computed once per catalog version.
  app.set('etag', false);

  // Order matters: the correlation id exists before anything can fail.
  app.use(correlationMiddleware);
  if (config.get('LOG_LEVEL', { infer: true }) !== 'silent') app.use(requestLog());
  app.use(app.get(HttpMetrics).middleware);
  app.use(securityHeaders());
  const allowedOrigins = new Set(config.get('CORS_ORIGINS', { infer: true }));
  if (allowedOrigins.size > 0) {
    const allowCors = cors({ origin: true, exposedHeaders: ['x-correlation-id', 'Retry-After'] });
    // Only a listed origin gets CORS headers (a preflight from it, its 204); any other request, most
    // of them with no Origin at all, skips the middleware instead of paying for its option handling.
    app.use((req: Request, res: Response, next: NextFunction) =>
      allowedOrigins.has(req.headers.origin ?? '') ? allowCors(req, res, next) : next(),
    );
  }
  const signatures = app.get(WebhookSignatureVerifier);
  app.use(
    WEBHOOK_PATHS,
    json({
      limit: WEBHOOK_BODY_LIMIT,
      // Runs before JSON.parse: a forged delivery is refused (401) without being parsed.
      verify: (req: Request, _res, buffer: Buffer) => {
        req.rawBody = buffer;
        signatures.assert(req.headers['x-hub-signature-256'], buffer);
        req.signatureVerified = true;
      },
    }),
  );
  app.use(json({ limit: config.get('BODY_LIMIT', { infer: true }) }));
  app.use(bodyParserErrors);
  app.use(correlationScope(app.get(CorrelationContext)));

  app.useGlobalPipes(createValidationPipe());
  app.get(AfterFeatureRoutes).add(() => setupSwagger(app));
  try {
    await app.init();
  } catch (error) {
    // A boot hook refused (a data file, a schedule): what already started (storage, the job queue and its
    // timers) stops, so the caller is left with nothing running.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

function setupSwagger(app: NestExpressApplication): void {
  const info = app.get(AppInfo);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('BSM')
      .setDescription(
        'Teams of AI agents for software organisations. Every error is `{ error: { code, message, details? }, correlationId }` and carries the `x-correlation-id` header.',
      )
      .setVersion(info.version)
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-admin-token' }, 'admin-token')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
      .addGlobalParameters({
        name: 'x-correlation-id',
        in: 'header',
        required: false,
        description: 'Echoed on the response; generated when absent or unsafe',
        schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' },
      })
      .addGlobalResponse(
        errorResponse(429, [ErrorCode.RateLimited], {
          headers: { 'Retry-After': { description: 'Seconds until the window resets', schema: { type: 'integer' } } },
        }),
        errorResponse(500, [ErrorCode.InternalError]),
      )
      .build(),
    { extraModels: [ErrorEnvelopeDto] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
