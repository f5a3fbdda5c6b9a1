import { startFakeLlm } from './fake-llm.server';

/** `npm run fake-llm`: an OpenAI-compatible server on 127.0.0.1 for offline development. */
async function main(): Promise<void> {
  const port = Number(process.env.FAKE_LLM_PORT ?? 4010);
  const fake = await startFakeLlm({ port });
  process.stdout.write(
    [
      `fake LLM listening: ${fake.baseUrl}`,
      `point BSM at it:    OPENAI_BASE_URL=${fake.baseUrl} OPENAI_API_KEY=sk-fake-local-development-key`,
      `script it:          curl -X PUT ${fake.baseUrl.replace(/\/v1$/, '')}/__admin/behaviour -d '{"status":503,"errorRate":0.5}'`,
      `counters:           curl ${fake.baseUrl.replace(/\/v1$/, '')}/__admin/stats`,
      '',
    ].join('\n'),
  );
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
