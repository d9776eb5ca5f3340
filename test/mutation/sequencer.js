// @ts-check
// Jest's test order under Stryker (testSequencer of jest.stryker.config.js): the fastest test file first, by its time
// in the dry run (./record.js). Jest's own order runs the slowest first (and a file that failed last time before
// all), which suits a full run on many workers; a mutant run stops at its first failing test
// (./bail-environment.js), and most mutants are killed by a fast unit test, so running those first ends most runs
// early. A policy mutant killed by test/policy/rules.test.ts (0.4 s) no longer waits for the 20 s of the files that
// synthesise stacks. Files without a dry-run time (the dry run itself) keep jest's order.
"use strict";
const Sequencer = require("@jest/test-sequencer").default;
const { dryRunFiles } = require("./scope.js");

class FastestFirst extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const files = dryRunFiles();
    if (files === undefined) return super.sort(tests);
    const time = (/** @type {import('@jest/test-result').Test} */ test) => files.get(test.path)?.ms ?? Infinity;
    return [...tests].sort((a, b) => time(a) - time(b) || (a.path < b.path ? -1 : 1));
  }
}

module.exports = FastestFirst;
