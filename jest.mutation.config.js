/**
 * Jest for `npm run test:mutation` (StrykerJS): the unit and in-process integration tests that exercise
 * the mutated code. Infrastructure synth, packing and spawned-process tests cover none of it and
 * would only slow every mutant's run.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  reporters: ['default'],
  // lambda/ joins the haste map (it holds no tests) so Stryker's findRelatedTests follows imports through
  // lambda/* to the integration tests; with test/ alone it sees only tests that import a file directly.
  roots: ['<rootDir>/test', '<rootDir>/lambda'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/infra/', '<rootDir>/test/package/', '<rootDir>/test/e2e/local-server-process', '<rootDir>/test/architecture/'],
};
