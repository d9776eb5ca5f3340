// @ts-check
// Jest's node environment, plus two ways to skip work in a mutant run (jest.stryker.config.js); the dry run (no
// mutant) and `npm test` are not affected.
// - A bail: Stryker's jest runner cannot bail (jest's own `bail` exits the process), so without this every test file
//   that can observe a mutant runs to the end although the first failing test already kills it. Once a test fails
//   with a mutant active, the tests and the `beforeAll` hooks (stack syntheses among them) still to come in that run
//   are skipped.
// - Only the tests that can observe the mutant: for a mutant the stack synthesis executes, Stryker runs every test,
//   and ./scope.js keeps the files that can observe it; within such a file, when the mutant ran only inside some of
//   its tests in the dry run (and the file reads no stack the mutant changed), the others are skipped, and so is a
//   `describe` block (with its hooks) that holds none of them (./scope.js `testsToRun`).
"use strict";
const { rmSync } = require("node:fs");
const { TestEnvironment } = require("jest-environment-node");
const { testsToRun } = require("./scope.js");

/** The mutant whose run has a failing test; module state, shared by every test file of the process. */
let failedUnder = /** @type {string | undefined} */ (undefined);

/**
 * A test's full name as Stryker's jest environment records it (mixin-jest-environment.cjs): the describe names and
 * the test's name, joined by spaces.
 * @param {import('jest-circus').Circus.TestEntry | import('jest-circus').Circus.DescribeBlock} entry
 * @returns {string}
 */
function fullName(entry) {
  const names = [];
  for (let e = /** @type {any} */ (entry); e?.parent !== undefined; e = e.parent) names.unshift(e.name);
  return names.join(" ").trimStart();
}

/**
 * Whether a describe block holds a test to run.
 * @param {import('jest-circus').Circus.DescribeBlock} block
 * @param {Set<string>} wanted
 * @returns {boolean}
 */
function holds(block, wanted) {
  return block.children.some((child) =>
    child.type === "test" ? wanted.has(fullName(child)) : holds(/** @type {any} */ (child), wanted),
  );
}

class BailEnvironment extends TestEnvironment {
  /** @type {string} */
  #testPath;
  /** @type {Set<string> | undefined | null} null: not asked yet for this run */
  #wanted = null;

  /**
   * @param {import('@jest/environment').JestEnvironmentConfig} config
   * @param {import('@jest/environment').EnvironmentContext} context
   */
  constructor(config, context) {
    super(config, context);
    this.#testPath = context.testPath;
  }

  /**
   * Removes the temporary folders the file made (test/helpers/temp.ts): a skipped file skips its `afterAll` too, and
   * folders made while its tests were collected would be left behind, thousands in a mutation run.
   */
  async teardown() {
    const dirs = /** @type {unknown} */ (this.global["__tempDirs"]);
    if (Array.isArray(dirs)) for (const dir of dirs.splice(0)) rmSync(String(dir), { recursive: true, force: true });
    await super.teardown();
  }

  /** @param {import('jest-circus').Circus.Event} event */
  async handleTestEvent(event) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (mutant === undefined) return;
    if (this.#wanted === null) this.#wanted = testsToRun(this.#testPath);
    const wanted = this.#wanted;
    const bailed = failedUnder === mutant;
    if (event.name === "run_describe_start") {
      if (bailed || (wanted !== undefined && !holds(event.describeBlock, wanted))) event.describeBlock.mode = "skip";
    }
    // A test that already carries an error (its `beforeAll` failed) must still report it: skipped, it would hide the
    // failure and the mutant would survive.
    else if (event.name === "test_start" && event.test.errors.length === 0) {
      if (bailed || (wanted !== undefined && !wanted.has(fullName(event.test)))) event.test.mode = "skip";
    } else if (event.name === "test_done" && event.test.errors.length > 0) failedUnder = mutant;
  }
}

module.exports = BailEnvironment;
