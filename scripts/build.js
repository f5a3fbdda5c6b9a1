#!/usr/bin/env node
/**
 * Compiles BSM with the Nest CLI. With --if-stale it first compares a fingerprint of every build input
 * (paths, sizes and modification times under src/, plus the compiler and dependency files) with the one
 * saved by the last build, and skips the build when they match and dist/ is whole: `npm start` with
 * nothing changed then only starts. A fingerprint rather than TypeScript's incremental mode, because the
 * Nest CLI empties dist/ on every build and its own start-up is most of a no-op build's time.
 */
'use strict';
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const STAMP = join(ROOT, 'dist', '.build-fingerprint');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'];

function files(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [[relative(ROOT, path), stat.size, stat.mtimeMs]];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

function fingerprint() {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    const path = join(ROOT, input);
    if (existsSync(path)) for (const entry of files(path)) hash.update(`${entry.join('\t')}\n`);
  }
  return hash.digest('hex');
}

const ifStale = process.argv.includes('--if-stale');
const before = fingerprint();
const built = existsSync(join(ROOT, 'dist', 'main.js')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === before;
if (ifStale && built) process.exit(0);

const nest = spawnSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
if (nest.status !== 0) process.exit(nest.status ?? 1);
// Saved as read before compiling: a file edited during the build makes the next start build again.
writeFileSync(STAMP, before);
