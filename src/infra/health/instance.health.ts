import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { Env } from '../config/env.schema';
import { EventLoopMonitor } from '../metrics/event-loop-monitor';
import { ReadinessCheck, type IndicatorSession, type ReadinessIndicator } from './readiness';

/** Data readable, state writable: without them nothing can be loaded or kept. */
@ReadinessCheck({ key: 'filesystem' })
@Injectable()
export class FilesystemHealthIndicator implements ReadinessIndicator {
  constructor(private readonly config: ConfigService<Env, true>) {}

  async check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    const readable = [resolve(this.config.get('DATA_DIR', { infer: true }))];
    const writable = [resolve(this.config.get('STATE_DIR', { infer: true }))];
    const problems: string[] = [];
    for (const dir of readable) await access(dir, constants.R_OK).catch(() => problems.push(`${dir} is not readable`));
    for (const dir of writable) {
      await mkdir(dir, { recursive: true })
        .then(() => access(dir, constants.W_OK))
        .catch(() => problems.push(`${dir} is not writable`));
    }
    return problems.length ? indicator.down({ message: problems.join('; ') }) : indicator.up({ message: 'data readable; state writable' });
  }
}

/** The registry, models and events files: read at boot, so a missing one only warns. */
@ReadinessCheck({ key: 'requiredFiles', gatesReadiness: false })
@Injectable()
export class RequiredFilesHealthIndicator implements ReadinessIndicator {
  constructor(private readonly config: ConfigService<Env, true>) {}

  async check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    const files = (['REGISTRY_PATH', 'MODELS_PATH', 'EVENTS_PATH'] as const).map((key) => resolve(this.config.get(key, { infer: true })));
    const missing: string[] = [];
    await Promise.all(files.map((file) => access(file, constants.R_OK).catch(() => missing.push(file))));
    // A missing registry means permissive mode (reported by agentRegistry); models and events are read at boot.
    return missing.length
      ? indicator.down({ message: `missing: ${missing.join(', ')}`, files })
      : indicator.up({ message: 'registry, models and events files present', files });
  }
}

/** Event-loop delay (p99, ms) above which the instance is degraded, and out of rotation. */
const LOOP_WARN_MS = 200;
const LOOP_FAIL_MS = 1000;

@ReadinessCheck({ key: 'eventLoop' })
@Injectable()
export class EventLoopHealthIndicator implements ReadinessIndicator {
  constructor(private readonly loop: EventLoopMonitor) {}

  check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    const lag = this.loop.snapshot();
    const message = `event-loop delay p99 ${lag.p99Ms} ms`;
    if (lag.p99Ms > LOOP_FAIL_MS) return Promise.resolve(indicator.down({ ...lag, message }));
    return Promise.resolve(indicator.up({ ...lag, message, degraded: lag.p99Ms > LOOP_WARN_MS }));
  }
}
