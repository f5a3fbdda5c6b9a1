import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './test-app';

/** The original Express BSM's data files, kept beside the repository for compatibility tests. */
export const ORIGINAL_FIXTURE = resolve(REPO_ROOT, '../shared/fixtures/bsm-original');

/** A writable copy of the shipped data/ for tests that edit files. */
export async function copyOfData(): Promise<{ dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bsm-data-'));
  await cp(resolve(REPO_ROOT, 'data'), dir, { recursive: true });
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
