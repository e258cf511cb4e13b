/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking is its own step of `npm test` (tsc --noEmit); with isolatedModules ts-jest only strips types.
    '^.+\\.ts$': ['ts-jest', {}],
  },
  setupFiles: ['reflect-metadata', '<rootDir>/test/support/quiet-temporal.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120_000,
  // Two cores: each test file may run a JVM test server and a worker; more parallelism only thrashes.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
