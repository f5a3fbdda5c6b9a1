import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_MIGRATIONS } from '../../src/infra/storage/open-database';

/**
 * An initialised PGlite data dir with every migration applied and the job queue's schema installed, keyed by
 * the migrations' content and the queue engine's version: initdb takes seconds, a copy of this dir opens in
 * well under one.
 */
export async function templateStateDir(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.parse(await readFile(join(require.resolve('pg-boss').replace(/dist[/\\].*$/, ''), 'package.json'), 'utf8')).version);
  for (const file of (await readdir(CORE_MIGRATIONS.folder, { recursive: true })).sort()) {
    if (file.endsWith('.sql') || file.endsWith('.json')) hash.update(file).update(await readFile(join(CORE_MIGRATIONS.folder, file)));
  }
  return join(tmpdir(), `bsm-test-template-${hash.digest('hex').slice(0, 16)}`);
}
