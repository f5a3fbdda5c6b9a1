import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startFakeLlm, type FakeBehaviour, type FakeLlm } from '../../src/tools/fake-llm/fake-llm.server';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app';

export const TEST_OPENAI_KEY = 'sk-test-openai-0123456789-OPEN';
export const TEST_PERPLEXITY_KEY = 'pplx-test-0123456789abcdef-PPLX';

/** Short, real intervals: these tests run over real sockets, so fake timers are out. */
export const FAST_RESILIENCE = {
  BREAKER_VOLUME_THRESHOLD: '4',
  BREAKER_ERROR_THRESHOLD_PERCENT: '50',
  BREAKER_RESET_TIMEOUT_MS: '400',
  BREAKER_ROLLING_WINDOW_MS: '10000',
  LLM_ATTEMPT_TIMEOUT_MS: '2000',
  LLM_DEADLINE_MS: '3000',
  LLM_MAX_RETRIES: '0',
  LLM_RETRY_BASE_MS: '10',
  LLM_RETRY_MAX_MS: '50',
  FALLBACK_ENABLED: 'false',
  RATE_LIMIT_MAX: '100000',
  DATA_WATCH: 'false',
};

export interface LlmTestApp extends TestApp {
  /** Behind OPENAI_BASE_URL. */
  openai: FakeLlm;
  /** Behind PERPLEXITY_BASE_URL. */
  perplexity: FakeLlm;
  dir: string;
  /** Where the app listens, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
}

export interface LlmTestAppOptions extends TestAppOptions {
  /** models.yaml content for this app (default: the shipped data/models.yaml). */
  models?: string;
  /** The OpenAI fake's behaviour from before the app boots (a restarted runner may claim a job at once). */
  openaiBehaviour?: FakeBehaviour;
}

/** The real app pointed at two fake providers on ephemeral ports. */
export async function startLlmTestApp(options: LlmTestAppOptions = {}): Promise<LlmTestApp> {
  const [openai, perplexity] = await Promise.all([startFakeLlm(), startFakeLlm()]);
  if (options.openaiBehaviour) openai.setBehaviour(options.openaiBehaviour);
  const dir = await mkdtemp(join(tmpdir(), 'bsm-llm-'));
  const env: Record<string, string> = {
    ...FAST_RESILIENCE,
    OPENAI_BASE_URL: openai.baseUrl,
    OPENAI_API_KEY: TEST_OPENAI_KEY,
    PERPLEXITY_BASE_URL: perplexity.baseUrl,
    PERPLEXITY_KEY: TEST_PERPLEXITY_KEY,
    REPORTS_DIR: join(dir, 'reports'),
  };
  if (options.models) {
    env.MODELS_PATH = join(dir, 'models.yaml');
    await writeFile(env.MODELS_PATH, options.models);
  }
  const app = await startTestApp({ ...options, env: { ...env, ...options.env } }).catch(async (error: unknown) => {
    await Promise.all([openai.close(), perplexity.close(), rm(dir, { recursive: true, force: true })]);
    throw error;
  });
  const baseUrl = app.url;
  return {
    ...app,
    http: request(baseUrl),
    baseUrl,
    openai,
    perplexity,
    dir,
    dispose: async () => {
      await app.dispose();
      await Promise.all([openai.close(), perplexity.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Two providers, one model each; `primary` falls back to `backup` on the other provider. */
export const TWO_PROVIDER_MODELS = `
providers:
  openai: { maxConcurrent: 10 }
  perplexity: { maxConcurrent: 10 }
models:
  primary: { provider: openai, fallbacks: [backup] }
  backup: { provider: perplexity }
routing:
  search: backup
  tasks:
    code_review: { low: primary, medium: primary, high: primary }
    security_scan: { low: primary, medium: primary, high: primary }
    legal_analysis: { low: primary, medium: primary, high: primary }
    chat_response: { low: primary, medium: primary, high: primary }
`;

export { waitFor } from './wait-for';
