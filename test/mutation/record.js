// @ts-check
// Runs before each test file under Stryker (setupFilesAfterEnv of jest.stryker.config.js). In the dry run it records
// which mutants the file executes, which cached stacks it reads and how long it takes, for ./scope.js and
// ./sequencer.js. Elsewhere it does nothing.
/* global afterAll, expect */
"use strict";
const fs = require("node:fs");
const { basename, join, sep } = require("node:path");

const ns =
  /** @type {{ __stryker__?: { mutantCoverage?: { static: Record<string, number>, perTest: Record<string, Record<string, number>> } } }} */ (
    globalThis
  );
const cache = process.env.SAAS_PLATFORM_SYNTH_CACHE;

if (process.env.__STRYKER_ACTIVE_MUTANT__ === undefined && ns.__stryker__ !== undefined && cache !== undefined) {
  const totals = () => {
    /** @type {Map<string, number>} */
    const counts = new Map();
    const coverage = ns.__stryker__?.mutantCoverage;
    if (coverage === undefined) return counts;
    for (const hits of [coverage.static, ...Object.values(coverage.perTest)]) {
      for (const [id, n] of Object.entries(hits)) counts.set(id, (counts.get(id) ?? 0) + n);
    }
    return counts;
  };
  const started = Date.now();
  const before = totals();
  /** @type {Set<string>} */
  const stacks = new Set();
  const ORIGINAL = Symbol.for("saas-platform.mutation.readFileSync");
  const store = /** @type {Record<symbol, typeof fs.readFileSync>} */ (/** @type {unknown} */ (fs));
  const original = (store[ORIGINAL] ??= fs.readFileSync);
  // test/helpers/synth.ts reads a cached stack with readFileSync("<cache>/<stack>.json").
  fs.readFileSync = /** @type {typeof fs.readFileSync} */ (
    function (path, ...rest) {
      if (typeof path === "string" && path.startsWith(cache + sep)) stacks.add(basename(path, ".json"));
      return original.call(this, path, ...rest);
    }
  );
  afterAll(() => {
    fs.readFileSync = original;
    const after = totals();
    const mutants = [...after].filter(([id, n]) => n > (before.get(id) ?? 0)).map(([id]) => id);
    fs.appendFileSync(
      join(__dirname, "..", "..", ".mutation", "files.jsonl"),
      JSON.stringify({ file: expect.getState().testPath, mutants, stacks: [...stacks], ms: Date.now() - started }) +
        "\n",
    );
  });
}
