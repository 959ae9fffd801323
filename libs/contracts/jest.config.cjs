const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: require('./package.json').name,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
