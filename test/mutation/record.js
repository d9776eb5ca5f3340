// @ts-check
// Runs before each test file under Stryker (setupFilesAfterEnv of jest.stryker.config.js). In the dry run it records
// which mutants the file executes (outside its tests, and in which of its tests), which cached stacks it reads and how
// long it takes, for ./scope.js, ./sequencer.js and ./bail-environment.js. Elsewhere it does nothing.
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
  /** @param {Record<string, number>[]} maps */
  const sum = (maps) => {
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const hits of maps) for (const [id, n] of Object.entries(hits)) counts.set(id, (counts.get(id) ?? 0) + n);
    return counts;
  };
  const totals = () => {
    const coverage = ns.__stryker__?.mutantCoverage;
    return coverage === undefined ? new Map() : sum([coverage.static, ...Object.values(coverage.perTest)]);
  };
  /** @param {Map<string, number>} after @param {Map<string, number>} before */
  const grown = (after, before) => [...after].filter(([id, n]) => n > (before.get(id) ?? 0)).map(([id]) => id);
  const coverage = () => ns.__stryker__?.mutantCoverage;
  const started = Date.now();
  const before = totals();
  // Outside any test (the module's load and the hooks, `beforeAll` syntheses among them), and per test: Stryker
  // counts a hit for the test running (by its full name) or, between tests, as static.
  const staticBefore = sum([coverage()?.static ?? {}]);
  const perTestBefore = new Map(Object.entries(coverage()?.perTest ?? {}).map(([test, hits]) => [test, sum([hits])]));
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
    const mutants = grown(totals(), before);
    const outside = grown(sum([coverage()?.static ?? {}]), staticBefore);
    /** @type {Record<string, string[]>} the tests of this file that executed each mutant (outside ones excluded) */
    const tests = {};
    const outsideSet = new Set(outside);
    for (const [test, hits] of Object.entries(coverage()?.perTest ?? {})) {
      for (const id of grown(sum([hits]), perTestBefore.get(test) ?? new Map())) {
        if (!outsideSet.has(id)) (tests[id] ??= []).push(test);
      }
    }
    fs.appendFileSync(
      join(__dirname, "..", "..", ".mutation", "files.jsonl"),
      JSON.stringify({
        file: expect.getState().testPath,
        mutants,
        outside,
        tests,
        stacks: [...stacks],
        ms: Date.now() - started,
      }) + "\n",
    );
  });
}
