import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Name and version from package.json, read once at boot. */
export class AppInfo {
  constructor(
    readonly name: string,
    readonly version: string,
    readonly startedAt: Date,
  ) {}

  static async load(): Promise<AppInfo> {
    const pkg = JSON.parse(await readFile(resolve(__dirname, '../../../package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    return new AppInfo(pkg.name, pkg.version, new Date());
  }

  uptimeSeconds(): number {
    return Math.round((Date.now() - this.startedAt.getTime()) / 1000);
  }
}
