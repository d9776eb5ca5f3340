// @ts-check
/**
 * Mutation testing (StrykerJS, jest runner): `npm run test:mutation`, outside CI and outside `npm test`.
 * One folder or file: `npm run test:mutation -- --mutate "components/office-hours/**\/*.ts"`.
 * See docs/mutation-testing.md for what it does, the measured scores and how long it takes.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "jest",
  jest: { projectType: "custom", configFile: "jest.stryker.config.js", enableFindRelatedTests: true },
  mutate: [
    "components/**/*.ts",
    "infra/**/*.ts",
    "policy/**/*.ts",
    // Re-exports and types only: nothing to mutate.
    "!components/*/index.ts",
    "!components/managed-postgres/outputs.ts",
    "!components/redis-cache/outputs.ts",
    // Entry points of the real CLI (`pulumi up`, `--policy-pack`), which jest never loads.
    "!infra/index.ts",
    "!policy/index.ts",
  ],
  coverageAnalysis: "perTest",
  // The machine's two cores are shared with `npm test`; each mutant also synthesises the stacks in a child process.
  concurrency: 1,
  // Jest in one process leaks memory from run to run (each test file loads the Pulumi providers): cap the heap and
  // start a fresh test runner every few mutants (the baseline synthesis is kept in the sandbox, so a restart is
  // cheap); test/mutation/scope.js also replaces a runner past 4 GB
  // before a run and kills one past 12 GB during a run.
  testRunnerNodeArgs: ["--max-old-space-size=6144"],
  maxTestRunnerReuse: 5,
  // No TypeScript checker: it costs a core and 2.5 GB; type-check the survivors instead (docs/mutation-testing.md).
  checkers: [],
  disableTypeChecks: false,
  // A run's overhead includes the synthesis of five stacks (tens of seconds): leave room above it.
  timeoutMS: 60000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["reports", ".synth", "coverage", "bin"],
  thresholds: { high: 90, low: 80, break: null },
};
