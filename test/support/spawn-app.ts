import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from './test-app';

export interface SpawnedApp {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const MAIN = resolve(REPO_ROOT, 'dist/main.js');

function baseEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', ...env };
}

/** Runs the compiled app (npm test builds first) as a real process, as a container would. */
export function runApp(env: Record<string, string>): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [MAIN], { cwd: REPO_ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Starts the compiled app and waits for its "listening" line to learn the port. */
export async function spawnApp(env: Record<string, string>, timeoutMs = 20_000): Promise<SpawnedApp> {
  const run = runApp({ LOG_LEVEL: 'info', ...env });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /listening on http:\/\/[^:]+:(\d+)/.exec(run.stdout());
    if (match) return { ...run, port: Number(match[1]) };
    if (run.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  run.child.kill('SIGKILL');
  throw new Error(`app did not start:\n${run.stdout()}\n${run.stderr()}`);
}
