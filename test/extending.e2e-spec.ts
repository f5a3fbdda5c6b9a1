import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DiskSpaceHealthIndicator, DiskSpaceHealthModule } from '../examples/health/disk-space.health';
import { REPO_ROOT, startTestApp, type TestApp } from './support/test-app';

/** Each ```ts block in docs/extending.md preceded by <!-- example: path --> must equal that file. */
async function documentedExamples(): Promise<Array<{ path: string; code: string }>> {
  const doc = await readFile(resolve(REPO_ROOT, 'docs/extending.md'), 'utf8');
  return [...doc.matchAll(/<!-- example: (\S+) -->\s*```ts\n([\s\S]*?)```/g)].map((m) => ({ path: m[1], code: m[2] }));
}

describe('docs/extending.md', () => {
  it('shows every example exactly as the tested file', async () => {
    const examples = await documentedExamples();
    expect(examples.map((e) => e.path)).toEqual(expect.arrayContaining(['examples/health/disk-space.health.ts']));
    for (const example of examples) {
      expect([example.path, example.code]).toEqual([example.path, await readFile(resolve(REPO_ROOT, example.path), 'utf8')]);
    }
  });
});

describe('example: a readiness indicator', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ modules: [DiskSpaceHealthModule] });
  });
  afterAll(() => t.dispose());
  afterEach(() => {
    DiskSpaceHealthIndicator.minFreeBytes = 256 * 1024 * 1024;
  });

  it('is discovered and reported by /health/ready', async () => {
    DiskSpaceHealthIndicator.minFreeBytes = 1;
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body.info.disk.status).toBe('up');
    expect(res.body.info.disk.freeBytes).toBeGreaterThan(0);
    expect(res.body.info.storage.status).toBe('up');
  });

  it('takes readiness down with its details when it fails', async () => {
    DiskSpaceHealthIndicator.minFreeBytes = Number.MAX_SAFE_INTEGER;
    const res = await t.http.get('/health/ready').expect(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.error.message).toContain('disk');
    expect(res.body.error.details.error.disk.status).toBe('down');
    await t.http.get('/health/live').expect(200);
  });
});
