// Runs before each integration and e2e test file: quiet, test-mode configuration.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.SEED_DEMO = 'false';
