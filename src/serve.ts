import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { createApp, type CreateAppOptions } from './app.factory';
import { Env } from './infra/config/env.schema';
import { installGracefulShutdown } from './infra/lifecycle/graceful-shutdown';
import { waitForStorage } from './infra/lifecycle/storage-wait';
import { readVariables } from './infra/config/validate-env';

/**
 * Runs BSM as `npm start` does: the whole application with `options.modules` mounted, graceful shutdown on
 * SIGTERM/SIGINT (drain, then close every module), listening on HOST:PORT. With DATABASE_URL and PostgreSQL
 * unreachable, it waits for it (see waitForStorage) before starting. Rejects with a BootError (configuration,
 * data files, storage) when it cannot start.
 */
export async function serve(options: CreateAppOptions): Promise<NestExpressApplication> {
  // Invalid configuration is createApp's to report, every problem at once.
  const { value: env, problems } = readVariables(Env, options.env);
  const standIn = problems.length === 0 && env.DATABASE_URL
    ? await waitForStorage({ databaseUrl: env.DATABASE_URL, timeoutMs: env.DATABASE_TIMEOUT_MS, host: env.HOST, port: env.PORT, logLevel: env.LOG_LEVEL })
    : undefined;
  let app: NestExpressApplication;
  try {
    app = await createApp(options);
  } finally {
    // The application takes the port once it is ready; until then the stand-in answers on it.
    await standIn?.close();
  }
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  const logger = app.get(Logger);
  installGracefulShutdown(app, config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }), logger);
  const host = config.get('HOST', { infer: true });
  const port = standIn?.port ?? config.get('PORT', { infer: true });
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  logger.log(`BSM listening on http://${host}:${boundPort} (docs at /docs)`, 'Bootstrap');
  return app;
}
