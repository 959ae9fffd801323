const preset = require('../../../jest.preset.cjs');
module.exports = {
  projects: [
    {
      ...preset,
      displayName: 'check:integration',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      globalSetup: '<rootDir>/../src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/../src/jest/global-teardown.ts',
      testTimeout: 60000,
    },
  ],
};
