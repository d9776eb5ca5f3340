// @ts-check
// Jest global setup under Stryker (jest.stryker.config.js). The filter (./scope.js) has already pointed the tests at
// the stacks for this run; in the dry run, the mutants the synthesis executes are added to Stryker's coverage as
// "static" (outside any single test), so that Stryker runs them against the tests (./scope.js keeps those that read
// the stacks a mutant changes).
/* global __filename */
"use strict";
const fs = require("node:fs");
const { dirname, join } = require("node:path");
const { ACTIVE_MUTANT_ENV, FILES, baseline } = require("./scope");

/** Stryker's in-process state, shared with its jest environment (the runner reads the dry run's coverage there). */
function strykerState() {
  const environment = require.resolve("@stryker-mutator/jest-runner"); // dist/src/jest-plugins/mixin-jest-environment.cjs
  const { state } = require(join(dirname(environment), "messaging.cjs"));
  if (state?.instrumenterContext === undefined) {
    throw new Error(`@stryker-mutator/jest-runner moved its state (messaging.cjs); ${__filename} must follow`);
  }
  return state;
}

module.exports = async function globalSetup() {
  if (process.env[ACTIVE_MUTANT_ENV] !== undefined) return;
  fs.rmSync(FILES, { force: true });
  const context = strykerState().instrumenterContext;
  const coverage = (context.mutantCoverage ??= { static: {}, perTest: {} });
  coverage.static ??= {};
  for (const [id, hits] of Object.entries(baseline().covered)) {
    coverage.static[id] = (coverage.static[id] ?? 0) + hits;
  }
};
