import { access, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openDatabase } from '../../src/infra/storage/open-database';
import { templateStateDir } from './pglite-template';

/** Builds the PGlite template once per migrations version; later runs reuse it. */
export default async function globalSetup(): Promise<void> {
  const stateDir = await templateStateDir();
  const ready = join(stateDir, '.ready');
  try {
    await access(ready);
    return;
  } catch {
    await rm(stateDir, { recursive: true, force: true });
  }
  const database = await openDatabase({ stateDir, databaseSchema: 'public' });
  await database.onApplicationShutdown();
  await writeFile(ready, new Date().toISOString());
}
