/**
 * `npm run test:chaos`: crash and restart tests against the compiled API as a real process
 * (kill -9, PostgreSQL stopped under load). Kept out of `npm test` (they need `npm run build`
 * and take minutes); `.ci/run` runs them within their own time budget.
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
};
