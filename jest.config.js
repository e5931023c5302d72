// ESM all the way: @kubernetes/client-node is ESM-only, so the app, the dev host, the bundle and the tests
// all run as ES modules (jest through --experimental-vm-modules, see the npm scripts).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // build/package holds a copy of package.json (scripts/package.mjs): not a module of the project.
  modulePathIgnorePatterns: ['<rootDir>/build/'],
  setupFiles: ['<rootDir>/test/support/symbolDispose.cjs'],
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', ['<rootDir>/test/support/summaryReporter.cjs', {}]],
};
