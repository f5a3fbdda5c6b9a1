import { existsSync } from 'node:fs';
import { appendFile, copyFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { REPO_ROOT } from './test-app';

/** A folder or file under test/fixtures/; a missing one stops the suite with its name, not a later TypeError. */
export function requiredFixture(relative: string): string {
  const path = resolve(REPO_ROOT, 'test/fixtures', relative);
  if (!existsSync(path)) throw new Error(`Required test fixture missing: test/fixtures/${relative}`);
  return path;
}

/** Our own data in the original Express BSM's file format, with its quirks (see its README). */
export const ORIGINAL_FORMAT = requiredFixture('original-format');

/** A writable copy of the shipped data/ for tests that edit files. */
export async function copyOfData(): Promise<{ dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bsm-data-'));
  await cp(resolve(REPO_ROOT, 'data'), dir, { recursive: true });
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Adds an example agent to a data copy as docs/extending.md says: its YAML, the index entry, the registry entry. */
export async function addExampleAgent(dataDir: string, yamlPath: string, registryPath: string): Promise<void> {
  const file = basename(yamlPath);
  await copyFile(resolve(REPO_ROOT, yamlPath), join(dataDir, 'agents', file));
  const index = JSON.parse(await readFile(join(dataDir, 'agents/index.json'), 'utf8')) as { agents: string[] };
  await writeFile(join(dataDir, 'agents/index.json'), JSON.stringify({ agents: [...index.agents, file] }));
  await appendFile(join(dataDir, 'registry.yaml'), await readFile(resolve(REPO_ROOT, registryPath), 'utf8'));
}
