import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BootError } from '../src/infra/lifecycle/boot-error';
import { copyOfData } from './support/data-dir';
import { startTestApp } from './support/test-app';

describe('boot refuses bad data files', () => {
  let data: { dir: string; dispose: () => Promise<void> };
  beforeEach(async () => {
    data = await copyOfData();
  });
  afterEach(() => data?.dispose());

  const boot = () =>
    startTestApp({ env: { DATA_DIR: data.dir, REGISTRY_PATH: join(data.dir, 'registry.yaml'), DATA_WATCH: 'false' } });

  it('lists every registry violation', async () => {
    const file = join(data.dir, 'registry.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text
        .replace('category: conversational', 'category: chatty')
        .replace('interval_seconds: 60', 'interval_seconds: 5')
        .replace('auto_start: false', 'auto_start: true'),
    );
    const error = await boot().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BootError);
    const problems = (error as BootError).problems.join('\n');
    expect(problems).toContain("invalid category 'chatty'");
    expect(problems).toContain('interval_seconds must be a number from 30 to 300');
    expect(problems).toContain('auto_start must be false');
  });

  it('names the file and the field of an invalid agent', async () => {
    const file = join(data.dir, 'agents/chat-assistant.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('actions: []', 'actions:\n- launch_rockets'));
    const error = (await boot().catch((e: unknown) => e)) as BootError;
    expect(error).toBeInstanceOf(BootError);
    expect(error.message).toContain('agents/chat-assistant.yaml');
    expect(error.message).toContain('actions');
    expect(error.message).toContain('launch_rockets');
  });

  it('runs in permissive mode when the registry is missing, and says so', async () => {
    const t = await startTestApp({ env: { DATA_DIR: data.dir, REGISTRY_PATH: join(data.dir, 'missing.yaml'), DATA_WATCH: 'false' } });
    try {
      expect((await t.http.get('/api/status').expect(200)).body.registry).toBe('permissive');
      expect((await t.http.get('/api/agents/chat-assistant').expect(200)).body.governance).toBeNull();
    } finally {
      await t.dispose();
    }
  });
});
