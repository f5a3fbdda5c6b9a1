import { dirname, resolve, sep } from 'node:path';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { watch, type FSWatcher } from 'chokidar';
import { PinoLogger } from 'nestjs-pino';
import type { Env } from '../config/env.schema';

export type DataChangeListener = (changedPaths: string[]) => Promise<void> | void;

const DEBOUNCE_MS = 150;

/**
 * Watches DATA_DIR and REGISTRY_PATH (chokidar: survives editors that save by writing a
 * temp file and renaming it) and tells listeners, debounced, which files changed.
 */
@Injectable()
export class DataWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private watcher: FSWatcher | undefined;
  private readonly listeners: Array<{ root: string; listener: DataChangeListener }> = [];
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly enabled: boolean;
  private readonly roots: string[];

  constructor(
    config: ConfigService<Env, true>,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(DataWatcher.name);
    this.enabled = config.get('DATA_WATCH', { infer: true });
    this.roots = [resolve(config.get('DATA_DIR', { infer: true })), dirname(resolve(config.get('REGISTRY_PATH', { infer: true })))];
  }

  /** Calls `listener` with the changed paths under `path` (a directory or a single file). */
  onChange(path: string, listener: DataChangeListener): void {
    this.listeners.push({ root: resolve(path), listener });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    const watcher = watch([...new Set(this.roots)], { ignoreInitial: true, atomic: true, depth: 4 });
    watcher.on('all', (_event, path) => this.queue(resolve(path)));
    watcher.on('error', (error) => this.logger.warn({ err: (error as Error).message }, 'data watcher error'));
    await new Promise<void>((ready) => watcher.once('ready', () => ready()));
    this.watcher = watcher;
  }

  private queue(path: string): void {
    this.pending.add(path);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }

  private async flush(): Promise<void> {
    const changed = [...this.pending];
    this.pending = new Set();
    for (const { root, listener } of this.listeners) {
      const mine = changed.filter((path) => path === root || path.startsWith(root + sep));
      if (mine.length === 0) continue;
      try {
        await listener(mine);
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'data change listener failed');
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.timer);
    await this.watcher?.close();
  }
}
