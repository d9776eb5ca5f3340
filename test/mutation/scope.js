// @ts-check
// Which test files can observe Stryker's active mutant, and the cached test stacks they read (docs/mutation-testing.md).
//
// Stryker's jest runner runs every mutant in one long-lived process and activates a mutant through the environment
// variable below. `npm test`'s global setup synthesises the cached stacks once in that process, without the mutant
// (the tests reading them could not see it), and a second synthesis in that process fails. Here each synthesis runs
// in a child process (tsx, ./synth-child.ts) that inherits the active mutant, and the test files are cut down to those
// that can observe the mutant:
// - the dry run (no mutant) synthesises the baseline, notes which mutants the synthesis executes, and records for each
//   test file the mutants it executes itself and the cached stacks it reads (./record.js);
// - a mutant the synthesis executes gets its own synthesis; the stacks that differ from the baseline bring in every
//   test file that reads them;
// - a test file that executed the mutant in the dry run runs too; nothing else can observe it.
// This module loads no code under test: mutated code loaded into this process would ignore later mutants.
/* global __filename */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const { Worker } = require("node:worker_threads");

/** Stryker's variable (INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT_ENV_VARIABLE in @stryker-mutator/api). */
const ACTIVE_MUTANT_ENV = "__STRYKER_ACTIVE_MUTANT__";
/** As `SYNTH_CACHE_ENV` in test/helpers/synth.ts (not imported: see above); the child checks they agree. */
const SYNTH_CACHE_ENV = "SAAS_PLATFORM_SYNTH_CACHE";
const ROOT = join(__dirname, "..", "..");
/** Inside Stryker's sandbox: shared by its test-runner processes, gone with the sandbox. */
const STATE = join(ROOT, ".mutation");
const BASELINE = join(STATE, "baseline");
/** One JSON line per test file of the dry run: `{ file, mutants, stacks }`. */
const FILES = join(STATE, "files.jsonl");
/** One JSON line per mutant run: what was synthesised and how many test files ran. */
const LOG = join(STATE, "runs.jsonl");
const CHILD = join(__dirname, "synth-child.ts");
/**
 * Jest in one process keeps memory from run to run (each test file loads the Pulumi providers, outside the heap cap):
 * a test runner above this ends before its next run, and Stryker runs that mutant in a fresh one. Without it a runner
 * reached 24 GB and the kernel killed it.
 */
const RSS_LIMIT = 4 * 1024 ** 3;
/**
 * One run of the 24 test files that read the staging stack adds about 7 GB; on top of earlier runs a runner reached
 * 18 GB within one run. A thread outside jest's (possibly busy) event loop kills the process past this; Stryker
 * retries the mutant in a fresh runner (twice at most, then it reports an error).
 */
const RSS_KILL = 12 * 1024 ** 3;
if (process.env.SAAS_PLATFORM_MUTATION_WATCHDOG !== String(process.pid)) {
  process.env.SAAS_PLATFORM_MUTATION_WATCHDOG = String(process.pid);
  new Worker(
    `const { workerData } = require("node:worker_threads");
     setInterval(() => { if (process.memoryUsage.rss() > workerData) process.kill(process.pid, "SIGKILL"); }, 500);`,
    { eval: true, workerData: RSS_KILL },
  ).unref();
}

/**
 * Synthesises the cached stacks into `dir` in a child process with `mutant` active (none: the baseline).
 * @param {string | undefined} mutant
 * @param {string} dir
 * @param {number} timeoutMs
 * @returns {{ static: Record<string, number>, failed: string[] } | string} the child's report, or why it failed
 */
function synthInChild(mutant, dir, timeoutMs) {
  const report = join(dir, "report.json");
  const env = { ...process.env };
  delete env[ACTIVE_MUTANT_ENV];
  delete env[SYNTH_CACHE_ENV];
  if (mutant !== undefined) env[ACTIVE_MUTANT_ENV] = mutant;
  const run = spawnSync(process.execPath, ["--import", "tsx", CHILD, dir, report], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) return run.error?.message ?? `exit ${run.status ?? run.signal}: ${run.stderr.slice(-2000)}`;
  const parsed = JSON.parse(fs.readFileSync(report, "utf8"));
  if (parsed.cacheEnv !== SYNTH_CACHE_ENV) {
    throw new Error(`test/helpers/synth.ts reads ${parsed.cacheEnv}; update SYNTH_CACHE_ENV in ${__filename}`);
  }
  return parsed;
}

/**
 * The synthesis without mutant, made once per Stryker run and kept in the sandbox for every test-runner process.
 * @returns {{ dir: string, covered: Record<string, number>, stacks: string[], ms: number }}
 */
function baseline() {
  const file = join(BASELINE, "baseline.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8"));
  fs.mkdirSync(STATE, { recursive: true });
  const dir = fs.mkdtempSync(join(STATE, "baseline-"));
  const started = Date.now();
  const report = synthInChild(undefined, dir, 10 * 60_000);
  if (typeof report === "string") throw new Error(`the synthesis of the test stacks without mutant failed: ${report}`);
  if (report.failed.length > 0) {
    throw new Error(`the synthesis of the test stacks without mutant failed: ${report.failed.join("; ")}`);
  }
  const stacks = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json") && f !== "report.json")
    .map((f) => f.slice(0, -".json".length));
  const result = { dir: BASELINE, covered: report.static, stacks, ms: Date.now() - started };
  fs.writeFileSync(join(dir, "baseline.json"), JSON.stringify(result));
  try {
    fs.renameSync(dir, BASELINE);
  } catch {
    fs.rmSync(dir, { recursive: true, force: true }); // another test-runner process was first
  }
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/**
 * The dry run's record of a test file: the mutants it executed, those it executed outside its tests (module load,
 * hooks), the tests that executed each of the others (by full name), the cached stacks it read, its time.
 * @typedef {{ mutants: Set<string>, outside: Set<string>, tests: Record<string, string[]>, stacks: string[],
 *   ms?: number }} FileRecord
 */

/** The dry run's records, read once per process after the dry run (they do not change during the mutant runs). */
let records = /** @type {Map<string, FileRecord> | undefined} */ (undefined);

/**
 * The dry run's record of each test file.
 * @returns {Map<string, FileRecord> | undefined} undefined before the dry run's records
 */
function dryRunFiles() {
  if (records !== undefined) return records;
  if (!fs.existsSync(FILES)) return undefined;
  const files = new Map();
  for (const line of fs.readFileSync(FILES, "utf8").split("\n")) {
    if (line === "") continue;
    const { file, mutants, outside, tests, stacks, ms } = JSON.parse(line);
    files.set(file, {
      mutants: new Set(mutants),
      outside: new Set(outside ?? mutants),
      tests: tests ?? {},
      stacks,
      ms,
    });
  }
  // Keep them only once the dry run is over (a mutant is active): during the dry run the file still grows.
  if (process.env[ACTIVE_MUTANT_ENV] !== undefined) records = files;
  return files;
}

/** The active mutant and the cached stacks it changed, set by the filter of this run. */
let current = /** @type {{ mutant: string, differing: string[] } | undefined} */ (undefined);

/**
 * Jest's `filter` (run before the global setup): synthesises the stacks for the active mutant when the synthesis
 * executes it, points the tests at them, and keeps the test files that can observe the mutant.
 * @param {string[]} testPaths
 */
async function filter(testPaths) {
  if (process.memoryUsage.rss() > RSS_LIMIT) process.exit(1);
  const all = { filtered: testPaths.map((test) => ({ test })) };
  const mutant = process.env[ACTIVE_MUTANT_ENV];
  const base = baseline();
  process.env[SYNTH_CACHE_ENV] = base.dir;
  if (mutant === undefined) return all;
  /** @type {string[]} */
  let differing = [];
  if (base.covered[mutant] !== undefined) {
    const dir = fs.mkdtempSync(join(tmpdir(), "saas-platform-mutation-"));
    // A mutant that loops forever is cut off; the stacks it did not write count as changed, and the tests that read
    // them synthesise them in their own run, under Stryker's hit limit.
    synthInChild(mutant, dir, Math.max(60_000, 5 * base.ms));
    differing = base.stacks.filter((stack) => {
      const file = join(dir, `${stack}.json`);
      return !fs.existsSync(file) || !fs.readFileSync(file).equals(fs.readFileSync(join(base.dir, `${stack}.json`)));
    });
    process.env[SYNTH_CACHE_ENV] = dir;
  }
  const files = dryRunFiles();
  const kept =
    files === undefined
      ? testPaths
      : testPaths.filter((path) => {
          const file = files.get(path);
          // A file the dry run did not see runs, to be safe.
          return file === undefined || file.mutants.has(mutant) || file.stacks.some((s) => differing.includes(s));
        });
  current = { mutant, differing };
  fs.appendFileSync(
    LOG,
    JSON.stringify({ mutant, synthesised: base.covered[mutant] !== undefined, differing, files: kept.length }) + "\n",
  );
  return { filtered: kept.map((test) => ({ test })) };
}

/**
 * The tests of a file to run under the active mutant: all of them (undefined) when the file executed the mutant
 * outside its tests, reads a stack the mutant changed or has no dry-run record; otherwise only those that executed
 * the mutant in the dry run. A test that did not reach the mutant's code then runs exactly as without it, the
 * assumption Stryker's own per-test coverage makes for a mutant no synthesis executes (its `testNamePattern`).
 * @param {string} testPath
 * @returns {Set<string> | undefined}
 */
function testsToRun(testPath) {
  const mutant = process.env[ACTIVE_MUTANT_ENV];
  if (mutant === undefined || current?.mutant !== mutant) return undefined;
  const file = dryRunFiles()?.get(testPath);
  if (file === undefined || file.outside.has(mutant)) return undefined;
  if (file.stacks.some((s) => current?.differing.includes(s))) return undefined;
  return new Set(file.tests[mutant] ?? []);
}

module.exports = filter;
module.exports.testsToRun = testsToRun;
module.exports.ACTIVE_MUTANT_ENV = ACTIVE_MUTANT_ENV;
module.exports.SYNTH_CACHE_ENV = SYNTH_CACHE_ENV;
module.exports.FILES = FILES;
module.exports.dryRunFiles = dryRunFiles;
module.exports.baseline = baseline;
