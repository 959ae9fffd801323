// Jest config of a project with unit specs beside the code (src/**/*.spec.ts) and integration specs
// in test/ that share one real Postgres per run (started by the global setup of @vigil/testing).
const path = require('node:path');

const preset = require('./jest.preset.cjs');

const setup = path.join(__dirname, 'libs/testing/src/jest');

module.exports = function serviceJestConfig(projectDir) {
  const name = require(path.join(projectDir, 'package.json')).name;
  return {
    // A global option: jest ignores testTimeout inside a project entry (integration suites wait on real I/O).
    testTimeout: 60000,
    projects: [
      {
        ...preset,
        displayName: `${name}:unit`,
        rootDir: projectDir,
        testMatch: ['<rootDir>/src/**/*.spec.ts'],
      },
      {
        ...preset,
        displayName: `${name}:integration`,
        rootDir: projectDir,
        testMatch: ['<rootDir>/test/**/*.spec.ts'],
        globalSetup: path.join(setup, 'global-setup.ts'),
        globalTeardown: path.join(setup, 'global-teardown.ts'),
      },
    ],
  };
};
