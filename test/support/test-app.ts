import { resolve } from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { VectorMemoryService } from '../../src/vector/vector-memory.service';
import { createStateBackend, type StateBackend } from './test-backend';

export const REPO_ROOT = resolve(__dirname, '../..');
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  env: Record<string, string>;
  backend: StateBackend;
  /** Close the app; keeps the state so a second app can reopen it. */
  close(): Promise<void>;
  /** Close the app and delete its state. */
  dispose(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  modules?: Array<Type | DynamicModule>;
  /** Reuse the state of an earlier app (restart tests). */
  backend?: StateBackend;
}

/** The real application, built by createApp(), on its own isolated state. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const backend = options.backend ?? (await createStateBackend());
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: resolve(REPO_ROOT, 'data'),
    REGISTRY_PATH: resolve(REPO_ROOT, 'data/registry.yaml'),
    ADMIN_TOKEN,
    ...backend.env,
    ...options.env,
  };
  const app = await createApp({ env, modules: options.modules, quiet: true }).catch(async (error: unknown) => {
    if (!options.backend) await backend.dispose();
    throw error;
  });
  // Like a deployment waiting for readiness: the review index rebuilds from storage after boot.
  await app.get(VectorMemoryService).whenReady();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  return {
    app,
    http: request(app.getHttpServer()),
    env,
    backend,
    close,
    dispose: async () => {
      await close();
      await backend.dispose();
    },
  };
}
