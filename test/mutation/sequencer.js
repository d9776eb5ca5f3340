// @ts-check
// Jest's test order under Stryker (testSequencer of jest.stryker.config.js): the fastest test file first, by its time
// in the dry run (./record.js). Jest's own order runs the slowest first (and a file that failed last time before
// all), which suits a full run on many workers; a mutant run stops at its first failing test
// (./bail-environment.js), and most mutants are killed by a fast unit test, so running those first ends most runs
// early. A policy mutant killed by test/policy/rules.test.ts (0.4 s) no longer waits for the 20 s of the files that
// synthesise stacks. Files without a dry-run time (the dry run itself) keep jest's order.
"use strict";
const fs = require("node:fs");
const Sequencer = require("@jest/test-sequencer").default;
const { FILES } = require("./scope.js");

/** @returns {Map<string, number>} each test file's time in the dry run, in ms */
function dryRunTimes() {
  const times = new Map();
  if (!fs.existsSync(FILES)) return times;
  for (const line of fs.readFileSync(FILES, "utf8").split("\n")) {
    if (line === "") continue;
    const { file, ms } = JSON.parse(line);
    if (typeof ms === "number") times.set(file, ms);
  }
  return times;
}

class FastestFirst extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const times = dryRunTimes();
    if (times.size === 0) return super.sort(tests);
    const time = (/** @type {import('@jest/test-result').Test} */ test) => times.get(test.path) ?? Infinity;
    return [...tests].sort((a, b) => time(a) - time(b) || (a.path < b.path ? -1 : 1));
  }
}

module.exports = FastestFirst;
