/**
 * Three tiers (STYLE.md): unit specs beside the domain code, integration and e2e under test/.
 * One embedded PostgreSQL cluster per run (test/support/global-setup.ts), or TEST_DATABASE_URL;
 * each test file clones its own database from a migrated template.
 * Run with NODE_OPTIONS=--experimental-vm-modules (the npm scripts set it): jest needs it to load
 * the ESM-only NestJS 12 packages.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const common = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // relative dynamic imports carry `.js` (nodenext); point them at the TypeScript source
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

module.exports = {
  // the tiers wait on PostgreSQL more than on the CPU: three workers finish sooner even on two cores
  maxWorkers: 3,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      setupFiles: ['<rootDir>/test/support/env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/timeouts.ts'],
      testTimeout: 60_000,
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/support/env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/timeouts.ts'],
      testTimeout: 60_000,
    },
  ],
};
