import { resolve } from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startTestApp as startRunningApp } from '../../src/testing/test-app';
import { createStateBackend, type StateBackend } from './test-backend';

export const REPO_ROOT = resolve(__dirname, '../..');
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port>: the app listens, as in production. */
  url: string;
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

/** The real application, built by createApp() (through `bsm/testing`), on its own isolated state. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const backend = options.backend ?? (await createStateBackend());
  const running = await startRunningApp({
    env: { ADMIN_TOKEN, ...backend.env, ...options.env },
    modules: options.modules,
  }).catch(async (error: unknown) => {
    if (!options.backend) await backend.dispose();
    throw error;
  });
  return {
    app: running.app,
    url: running.url,
    http: request(running.app.getHttpServer()),
    env: running.env,
    backend,
    close: running.close,
    dispose: async () => {
      await running.close();
      await backend.dispose();
    },
  };
}
