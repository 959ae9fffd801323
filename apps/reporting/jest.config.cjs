// Unit specs sit beside the code; integration specs in test/ share one real Postgres per run
// (started by the global setup) and start their own nats-server per suite.
const preset = require('../../jest.preset.cjs');

const name = require('./package.json').name;

module.exports = {
  // A global option: jest ignores testTimeout inside a project entry (integration suites wait on real I/O).
  testTimeout: 60000,
  projects: [
    { ...preset, displayName: `${name}:unit`, rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...preset,
      displayName: `${name}:integration`,
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      globalSetup: '<rootDir>/../../libs/testing/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/../../libs/testing/src/jest/global-teardown.ts',
      testTimeout: 60000,
    },
  ],
};
