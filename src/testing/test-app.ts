import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../app.factory';
import { VectorMemoryService } from '../vector/vector-memory.service';

/** BSM's own data (agents, registry, models, events), shipped with the package. */
export const BSM_DATA_DIR = resolve(__dirname, '../../data');

export interface TestAppOptions {
  /** Variables on top of the test defaults (silent logs, BSM's data, a fresh state dir). */
  env?: Record<string, string>;
  /** Your modules, mounted beside BSM's own. */
  modules?: Array<Type | DynamicModule>;
}

export interface RunningTestApp {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> */
  url: string;
  env: Record<string, string>;
  /** Closes the app and deletes the state dir it was given. */
  close(): Promise<void>;
}

/**
 * The whole application (every middleware, guard, filter and Swagger), listening on 127.0.0.1 on a free
 * port, on an embedded database in a new temporary state dir unless `env` names one (or a DATABASE_URL).
 * Resolves once the review memory has loaded, as a deployment waits for readiness.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<RunningTestApp> {
  const given = options.env?.STATE_DIR;
  const stateDir = given ?? (await mkdtemp(join(tmpdir(), 'bsm-test-')));
  const removeState = () => (given ? Promise.resolve() : rm(stateDir, { recursive: true, force: true }));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: BSM_DATA_DIR,
    REGISTRY_PATH: join(BSM_DATA_DIR, 'registry.yaml'),
    MODELS_PATH: join(BSM_DATA_DIR, 'models.yaml'),
    EVENTS_PATH: join(BSM_DATA_DIR, 'orchestrator/events.yaml'),
    STATE_DIR: stateDir,
    REPORTS_DIR: join(stateDir, 'reports'),
    ...options.env,
  };
  let app: NestExpressApplication;
  try {
    app = await createApp({ env, modules: options.modules, quiet: true });
  } catch (error) {
    await removeState();
    throw error;
  }
  await app.get(VectorMemoryService).whenReady();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  let closed = false;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    env,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await removeState();
    },
  };
}
