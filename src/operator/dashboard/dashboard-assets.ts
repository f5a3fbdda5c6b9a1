import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, OnModuleInit } from '@nestjs/common';

export const DASHBOARD_ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'common.js': 'text/javascript; charset=utf-8',
  'pages.js': 'text/javascript; charset=utf-8',
  'reviews.html': 'text/html; charset=utf-8',
  'reviews.js': 'text/javascript; charset=utf-8',
  'review.html': 'text/html; charset=utf-8',
  'review.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'uPlot.iife.min.js': 'text/javascript; charset=utf-8',
  'uPlot.min.css': 'text/css; charset=utf-8',
} as const;
export type DashboardAsset = keyof typeof DASHBOARD_ASSETS;

/** The charts' library (uPlot), served from BSM itself: the pages' CSP allows same-origin scripts only. */
const VENDORED: Partial<Record<DashboardAsset, string>> = {
  'uPlot.iife.min.js': 'uplot/dist/uPlot.iife.min.js',
  'uPlot.min.css': 'uplot/dist/uPlot.min.css',
};

export function isDashboardAsset(name: string): name is DashboardAsset {
  return Object.hasOwn(DASHBOARD_ASSETS, name);
}

export interface LoadedAsset {
  type: string;
  body: Buffer;
}

/** The dashboard's files, read once at boot (a missing one stops the boot). */
@Injectable()
export class DashboardAssets implements OnModuleInit {
  private readonly loaded = new Map<DashboardAsset, LoadedAsset>();

  async onModuleInit(): Promise<void> {
    const names = Object.keys(DASHBOARD_ASSETS) as DashboardAsset[];
    const path = (name: DashboardAsset) => (VENDORED[name] ? require.resolve(VENDORED[name]) : join(__dirname, 'assets', name));
    const bodies = await Promise.all(names.map((name) => readFile(path(name))));
    names.forEach((name, i) => this.loaded.set(name, { type: DASHBOARD_ASSETS[name], body: bodies[i] }));
  }

  get(name: DashboardAsset): LoadedAsset {
    return this.loaded.get(name)!;
  }
}
