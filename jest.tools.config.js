// The opt-in suite that runs the real Claude Code and Codex CLIs against an in-process gateway and fake
// providers on 127.0.0.1 (`npm run test:tools`; never part of `npm test` or CI). See test/tools/README.md.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: base.testEnvironment,
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  moduleNameMapper: base.moduleNameMapper,
  roots: ['<rootDir>/test/tools'],
  testMatch: ['**/*.tools.ts'],
  // The first run downloads the CLIs (several hundred MB) in beforeAll; each CLI run has its own 120 s bound.
  testTimeout: 180_000,
  // The gateway runs in-process: no dist/local bundle (the default config's globalSetup) is needed.
  reporters: ['default'],
};
