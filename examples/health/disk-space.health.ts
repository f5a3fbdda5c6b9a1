import { statfs } from 'node:fs/promises';
import { Injectable, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessCheck, type IndicatorSession, type ReadinessIndicator, type Env } from 'bsm';

/** Ready only while the volume holding STATE_DIR has at least `minFreeBytes` free. */
@ReadinessCheck({ key: 'disk' })
@Injectable()
export class DiskSpaceHealthIndicator implements ReadinessIndicator {
  static minFreeBytes = 256 * 1024 * 1024;

  constructor(private readonly config: ConfigService<Env, true>) {}

  async check(indicator: IndicatorSession): Promise<HealthIndicatorResult> {
    const stats = await statfs(this.config.get('STATE_DIR', { infer: true }));
    const freeBytes = stats.bavail * stats.bsize;
    const details = { freeBytes, minFreeBytes: DiskSpaceHealthIndicator.minFreeBytes };
    return freeBytes >= DiskSpaceHealthIndicator.minFreeBytes
      ? indicator.up({ ...details, message: `${freeBytes} bytes free` })
      : indicator.down({ ...details, message: `${freeBytes} bytes free, under ${DiskSpaceHealthIndicator.minFreeBytes}` });
  }
}

@Module({ providers: [DiskSpaceHealthIndicator] })
export class DiskSpaceHealthModule {}
