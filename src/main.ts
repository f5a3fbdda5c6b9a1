import { ConfigService } from '@nestjs/config';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import type { Env } from './infra/config/env.schema';
import { BootError } from './infra/lifecycle/boot-error';
import { installGracefulShutdown } from './infra/lifecycle/graceful-shutdown';

async function bootstrap(): Promise<void> {
  const app = await createApp({ env: process.env });
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  const logger = app.get(Logger);
  installGracefulShutdown(app, config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }), logger);
  const host = config.get('HOST', { infer: true });
  const port = config.get('PORT', { infer: true });
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  logger.log(`BSM listening on http://${host}:${boundPort} (docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  const message =
    error instanceof BootError ? error.message : `BSM failed to start: ${(error as Error)?.stack ?? error}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
