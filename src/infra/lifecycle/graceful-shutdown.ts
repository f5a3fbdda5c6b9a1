import type { Server } from 'node:http';
import type { INestApplication, LoggerService } from '@nestjs/common';

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (at most
 * timeoutMs, then cut what is left), then close the app, which runs every module's
 * shutdown hooks (features drain, storage closes last), and exit 0.
 *
 * Nest's own enableShutdownHooks() closes modules before the HTTP server has drained,
 * which would close storage under a request still being served; hence this sequence.
 */
export function installGracefulShutdown(app: INestApplication, timeoutMs: number, logger: LoggerService): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining for up to ${timeoutMs} ms`, 'Shutdown');
    const server = app.getHttpServer() as Server;
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        logger.warn('shutdown timeout reached: closing remaining connections', 'Shutdown');
        server.closeAllConnections();
        resolve();
      }, timeoutMs);
    });
    await Promise.race([drained, timedOut]);
    clearInterval(idleSweep);
    clearTimeout(timer);
    try {
      await app.close();
      logger.log('shutdown complete', 'Shutdown');
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).message}`, undefined, 'Shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
