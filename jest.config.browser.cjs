/**
 * `npm run test:browser`: the custody-chain page (/chain) driven in a real headless Chromium
 * (Debian's `chromium` package at /usr/bin/chromium, through playwright-core) against the API
 * in-process over the demo world. Kept out of `npm test`, which must stay green on a machine with
 * only Node.js; `.ci/run` installs Chromium when it is missing and runs this.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

module.exports = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  setupFiles: ['<rootDir>/test/support/env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/timeouts.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
};
