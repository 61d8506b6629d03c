// @ts-check
/**
 * Mutation testing (`npm run test:mutation`, not part of CI: it takes tens of minutes on two cores).
 * Scope: the request pipeline, provider adapters, the SSE codec and gateway keys — the code whose
 * single-line bugs a user would notice first. Per-test coverage runs only the tests that reach a mutant.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'jest',
  // Each mutant runs only the test files that import its file, directly or through lambda/* (the jest
  // config puts lambda/ in the haste map for this), and of those only the tests that reach the mutant.
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  mutate: ['lambda/core/**/*.ts', 'lambda/providers/**/*.ts', 'lambda/sse/**/*.ts', 'lambda/keys/**/*.ts'],
  ignoreStatic: true,
  concurrency: 2,
  // Added to 1.5 x a mutant's measured test time: an infinite-loop mutant costs seconds, not 20 s.
  timeoutMS: 5000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
