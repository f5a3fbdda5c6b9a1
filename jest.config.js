/** Jest runs under `node --experimental-vm-modules` so PGlite and ESM-only packages keep a real import(). */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs', ignoreDynamic: true },
    },
  ],
};

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The examples import BSM by its package name, as an embedding codebase does: here, from the sources.
  moduleNameMapper: { '^bsm$': '<rootDir>/src/index.ts', '^bsm/testing$': '<rootDir>/src/testing/index.ts' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
};

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'default',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.storage-spec.ts'],
    },
    {
      // The same repository and cache tests, against PostgreSQL and Redis on 127.0.0.1.
      ...shared,
      displayName: 'services',
      testMatch: ['<rootDir>/test/**/*.storage-spec.ts'],
    },
  ],
};
