import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { createApp, type CreateAppOptions } from './app.factory';
import type { Env } from './infra/config/env.schema';
import { installGracefulShutdown } from './infra/lifecycle/graceful-shutdown';

/**
 * Runs BSM as `npm start` does: the whole application with `options.modules` mounted, graceful shutdown on
 * SIGTERM/SIGINT (drain, then close every module), listening on HOST:PORT. Rejects with a BootError
 * (configuration, data files, storage) when it cannot start.
 */
export async function serve(options: CreateAppOptions): Promise<NestExpressApplication> {
  const app = await createApp(options);
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  const logger = app.get(Logger);
  installGracefulShutdown(app, config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }), logger);
  const host = config.get('HOST', { infer: true });
  const port = config.get('PORT', { infer: true });
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  logger.log(`BSM listening on http://${host}:${boundPort} (docs at /docs)`, 'Bootstrap');
  return app;
}
