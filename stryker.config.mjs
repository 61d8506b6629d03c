// @ts-check
/**
 * Mutation testing (`npm run test:mutation`, not part of CI: it takes tens of minutes on two cores).
 * Scope: the request pipeline, provider adapters, the SSE codec and gateway keys — the code whose
 * single-line bugs a user would notice first. Per-test coverage runs only the tests that reach a mutant.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'jest',
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  mutate: ['lambda/core/**/*.ts', 'lambda/providers/**/*.ts', 'lambda/sse/**/*.ts', 'lambda/keys/**/*.ts'],
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
