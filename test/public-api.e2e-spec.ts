import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { REPO_ROOT } from './support/test-app';

// Runs on the build (`npm test` builds first): what a consumer of the package gets.
describe('public API', () => {
  it.each([['api-extractor.json'], ['api-extractor.testing.json']])(
    'matches its checked-in report (%s): a change to the surface must update api/',
    (config) => {
      const result = Extractor.invoke(ExtractorConfig.loadFileAndPrepare(resolve(REPO_ROOT, config)), {
        localBuild: false,
        showVerboseMessages: false,
        messageCallback: (message) => {
          message.handled = true;
        },
      });
      expect({ config, apiReportChanged: result.apiReportChanged, errors: result.errorCount }).toEqual({
        config,
        apiReportChanged: false,
        errors: 0,
      });
    },
    60_000,
  );

  it('declares itself without a path into the sources', async () => {
    for (const file of ['dist/index.d.ts', 'dist/testing/index.d.ts']) {
      expect(await readFile(resolve(REPO_ROOT, file), 'utf8')).not.toMatch(/['"][./]*src\//);
    }
  });

  it('is all the examples use: none imports from the sources', async () => {
    const files = (await readdir(resolve(REPO_ROOT, 'examples'), { recursive: true }))
      .filter((file) => file.endsWith('.ts') && !file.includes('node_modules'));
    expect(files.length).toBeGreaterThan(10);
    const sources = resolve(REPO_ROOT, 'src');
    for (const file of files) {
      const path = resolve(REPO_ROOT, 'examples', file);
      const specifiers = [...(await readFile(path, 'utf8')).matchAll(/from '(\.[^']*)'/g)].map((m) => m[1]);
      const intoSources = specifiers.filter((specifier) => resolve(dirname(path), specifier).startsWith(sources));
      expect({ file, intoSources }).toEqual({ file, intoSources: [] });
    }
  });

  it('resolves by its name through package.json exports, and hides its internals', () => {
    const run = (code: string) => spawnSync(process.execPath, ['-e', code], { cwd: REPO_ROOT, encoding: 'utf8' });
    const main = run("const b = require('bsm'); console.log(typeof b.createApp, typeof b.Analyzer, typeof b.DomainException)");
    expect(main.stdout.trim()).toBe('function function function');
    const testing = run("console.log(typeof require('bsm/testing').startTestApp)");
    expect(testing.stdout.trim()).toBe('function');
    const internal = run("require('bsm/dist/app.factory')");
    expect(internal.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
