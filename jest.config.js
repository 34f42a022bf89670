// Jest runs in ESM mode: NestJS 12 ships ES modules only (see README, "Tests").
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 60000,
  // One suite at a time (the MariaDB suites share one database), in a worker process that Jest replaces when it
  // holds more than this after a suite: every ESM suite loads its own copy of Nest and TypeORM, and in a single
  // process (--runInBand) the heap reached 1.4 GB late in a full run, where each full collection took seconds.
  workerIdleMemoryLimit: '768MB',
};
