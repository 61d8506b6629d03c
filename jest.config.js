/** @type {import('jest').Config} */
const middy = '<rootDir>/node_modules/@middy';
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // TypeScript and the ESM-only packages (@middy, eventsource-parser) are compiled to CommonJS by swc.
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|eventsource-parser)/)'],
  // @middy/* export only an "import" condition, which jest's CommonJS resolver never picks.
  moduleNameMapper: {
    '^@middy/core$': `${middy}/core/index.js`,
    '^@middy/core/StreamifyResponse$': `${middy}/core/executionModeStreamifyResponse.js`,
    '^@middy/util$': `${middy}/util/index.js`,
  },
  // Spawned-process tests run the bundled local server; it is built once, before every worker starts.
  globalSetup: '<rootDir>/test/support/global-setup.cjs',
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
