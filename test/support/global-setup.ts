import { access, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createJobQueue } from '../../src/infra/queue/pg-boss-job-queue';
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
  await (await createJobQueue(database, { onError: () => undefined })).start();
  await database.onApplicationShutdown();
  await writeFile(ready, new Date().toISOString());
}
