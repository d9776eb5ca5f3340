/**
 * Jest under Stryker (`npm run test:mutation`, see docs/mutation-testing.md); `npm test` keeps jest.config.js.
 * - The cached test stacks are synthesised in a child process that carries the active mutant, not once in Stryker's
 *   long-lived process, and only the test files that can observe the mutant run (test/mutation/scope.js).
 * - A mutant run stops at its first failing test (test/mutation/bail-environment.js), and runs the fastest test files
 *   first (test/mutation/sequencer.js).
 * - Every source folder is a root, so `--findRelatedTests` follows test → helpers → infra → stacks → components; with
 *   `roots: ["test"]` jest could not see those imports and ran too few tests for a mutant.
 */
const base = require("./jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["test", "infra", "stacks", "components", "policy", "tools", "bootstrap"].map((dir) => `<rootDir>/${dir}`),
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  filter: "<rootDir>/test/mutation/scope.js",
  testSequencer: "<rootDir>/test/mutation/sequencer.js",
  // An absolute path: Stryker reads this key before jest resolves <rootDir>.
  testEnvironment: require("node:path").join(__dirname, "test", "mutation", "bail-environment.js"),
  globalSetup: "<rootDir>/test/mutation/global-setup.js",
  globalTeardown: "<rootDir>/test/mutation/global-teardown.js",
  setupFilesAfterEnv: [...(base.setupFilesAfterEnv ?? []), "<rootDir>/test/mutation/record.js"],
};
