// Shared jest preset. Nest 12 ships ESM only, so its packages are transformed to CommonJS by swc;
// @vigil/* imports resolve to library sources so tests never depend on a prior build of a lib.
const path = require('node:path');

const libs = path.join(__dirname, 'libs');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2023',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(\\.pnpm|@nestjs|@nats-io|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|load-esm|jose)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: {
    '^@vigil/(contracts|redaction|platform|testing)$': `${libs}/$1/src/index.ts`,
  },
};
