// Runs the built services (apps/*/dist) as real processes; nx builds them first (test dependsOn ^build).
const preset = require('../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: '@vigil/e2e-browser',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/../libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../libs/testing/src/jest/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 180000,
};
