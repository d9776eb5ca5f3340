// @ts-check
// Jest's node environment, plus a bail for mutant runs (jest.stryker.config.js). Stryker's jest runner cannot bail
// (jest's own `bail` exits the process), so without this every test file that can observe a mutant runs to the end
// although the first failing test already kills it. Once a test fails with a mutant active, the tests and the
// `beforeAll` hooks (stack syntheses among them) still to come in that run are skipped. The dry run (no mutant) and
// `npm test` are not affected.
"use strict";
const { TestEnvironment } = require("jest-environment-node");

/** The mutant whose run has a failing test; module state, shared by every test file of the process. */
let failedUnder = /** @type {string | undefined} */ (undefined);

class BailEnvironment extends TestEnvironment {
  /** @param {import('jest-circus').Event} event */
  async handleTestEvent(event) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (mutant === undefined) return;
    const bailed = failedUnder === mutant;
    if (event.name === "run_describe_start" && bailed) event.describeBlock.mode = "skip";
    // A test that already carries an error (its `beforeAll` failed) must still report it: skipped, it would hide the
    // failure and the mutant would survive.
    else if (event.name === "test_start" && bailed && event.test.errors.length === 0) event.test.mode = "skip";
    else if (event.name === "test_done" && event.test.errors.length > 0) failedUnder = mutant;
  }
}

module.exports = BailEnvironment;
