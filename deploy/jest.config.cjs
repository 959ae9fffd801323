const preset = require('../jest.preset.cjs');

// ESM-only packages under node_modules that these tests load and swc must transform to CommonJS.
const esmPackages = ['kubernetes-models', '@kubernetes-models', 'is-cidr', 'cidr-regex'];
const transformIgnorePatterns = preset.transformIgnorePatterns.map((pattern) => {
  const widened = pattern.replace('(\\.pnpm|', `(\\.pnpm|${esmPackages.join('|')}|`);
  if (widened === pattern)
    throw new Error(`jest.preset.cjs transformIgnorePatterns changed shape: ${pattern}`);
  return widened;
});

module.exports = {
  ...preset,
  displayName: require('./package.json').name,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  resolver: '<rootDir>/jest.resolver.cjs',
  transformIgnorePatterns,
  testTimeout: 60000,
};
