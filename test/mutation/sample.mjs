// @ts-check
// A folder's mutation score when a whole run does not fit the machine time (docs/mutation-testing.md, "Sampling the
// rest of a folder"): the mutants already tested (incremental files of earlier runs) count exactly, and a random
// sample of the others estimates the rest, with a 95 % confidence interval.
//
// The sample is of *places* (a node of the source, file and range): Stryker's `--mutate file:l:c-l:c` selects every
// mutant at a place, so each sampled place brings all its untested mutants (1.25 to 1.5 on average here), and all of
// them count. That
// is cluster sampling; the score is a ratio estimate (detected over scored, summed over the places) and its interval
// comes from the spread between places. `stryker.sample.config.mjs` with `test/mutation/sample-ignorer.mjs` keeps a
// run to those places (a range alone also selects every mutant nested inside it).
//
//   node test/mutation/sample.mjs draw  --mutate <globs> --tested <a.json,...> --size <places> --seed <s>
//       --chunks <k> --out <sample.json>
//       writes the sampled places, each in one of k chunks. Each chunk is itself a random sample, so a session that
//       runs out of time scores the chunks it finished without bias (a chunk stopped half-way is not random).
//   node test/mutation/sample.mjs score --mutate <globs> --tested <a.json,...> --sample <sample.json>
//       --result <run.json,...> [--use-chunks <i,j,...>]  (default: every chunk)
//       prints the undetected mutants of the sample and the folder's score: exact part, estimate and interval
//   node test/mutation/sample.mjs survivors --mutate <globs> --tested <a.json,...> --out <places.json>
//       the places of every survivor in those files, to run again (a stale static survivor, see the docs) with the
//       same config; then score with `--retested <new result file>`: its results replace those of --tested
import { createInstrumenter } from "@stryker-mutator/instrumenter";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createInjector } from "typed-inject";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    mutate: { type: "string" },
    tested: { type: "string", default: "" },
    retested: { type: "string", default: "" },
    size: { type: "string", default: "100" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
    chunks: { type: "string", default: "1" },
    "use-chunks": { type: "string" },
    sample: { type: "string" },
    result: { type: "string" },
  },
});
const command = positionals[0];
if (!["draw", "score", "survivors"].includes(command ?? "") || values.mutate === undefined) {
  console.error(
    "usage: sample.mjs draw|score|survivors --mutate <globs> [--tested a.json,b.json] (see the file's header)",
  );
  process.exit(2);
}

/**
 * @typedef {{ line: number, column: number }} Position  report style: line and column both 1-based
 * @typedef {{ file: string, mutatorName: string, replacement: string, start: Position, end: Position }} MutantKey
 * @typedef {{ mutatorName: string, replacement: string, status: string,
 *   location: { start: Position, end: Position } }} ReportMutant
 */

/** The identity of a mutant across runs: its file, place and change (Stryker's incremental mode uses the same). */
const keyOf = (/** @type {MutantKey} */ m) =>
  `${m.file}|${m.start.line}:${m.start.column}-${m.end.line}:${m.end.column}|${m.mutatorName}|${m.replacement}`;

/** Every mutant Stryker makes today in the files the globs select (the instrumenter, no test run). */
async function allMutants(/** @type {string} */ globs) {
  const patterns = globs.split(",");
  const include = patterns.filter((p) => !p.startsWith("!"));
  const exclude = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  const files = [...new Set(include.flatMap((p) => fs.globSync(p)))]
    .filter((f) => f.endsWith(".ts") && !exclude.some((p) => path.matchesGlob(f, p)))
    .sort();
  const silent = () => {};
  const logger = {
    isDebugEnabled: () => false,
    isTraceEnabled: () => false,
    debug: silent,
    trace: silent,
    info: silent,
    warn: silent,
    error: silent,
    fatal: silent,
  };
  const instrumenter = createInstrumenter(createInjector().provideValue("logger", logger));
  const { mutants } = await instrumenter.instrument(
    files.map((name) => ({ name, mutate: true, content: fs.readFileSync(name, "utf8") })),
    { plugins: null, excludedMutations: [], ignorers: [], noHeader: false },
  );
  // The instrumenter counts lines and columns from 0, the reports from 1.
  return mutants.map(
    (m) =>
      /** @type {MutantKey} */ ({
        file: m.fileName,
        mutatorName: m.mutatorName,
        replacement: m.replacement,
        start: { line: m.location.start.line + 1, column: m.location.start.column + 1 },
        end: { line: m.location.end.line + 1, column: m.location.end.column + 1 },
      }),
  );
}

/** Status of every mutant in Stryker's JSON report or incremental file, by key. */
function statuses(/** @type {string} */ reportPath) {
  /** @type {{ files: Record<string, { mutants: ReportMutant[] }> }} */
  const report = JSON.parse(fs.readFileSync(reportPath, "utf8"));
  /** @type {Map<string, string>} */
  const byKey = new Map();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      // A sampled run reports every mutant it left out as "Ignored": no result, so it must not hide an earlier one.
      if (m.status === "Ignored") continue;
      const key = keyOf({ file, mutatorName: m.mutatorName, replacement: m.replacement, ...m.location });
      byKey.set(key, m.status);
    }
  }
  return byKey;
}

/** Killed or timed out: detected; survived or not covered: not; errors and ignored mutants are not scored. */
const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

/** A small seeded generator (mulberry32), so a sample can be drawn again from its seed. */
function random(/** @type {number} */ seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Student-free 95 % interval (normal, z = 1.96) of a ratio estimate over clusters: `d` and `n` per place. */
function ratioInterval(/** @type {number[]} */ d, /** @type {number[]} */ n, /** @type {number} */ population) {
  const k = d.length;
  const sumD = d.reduce((a, b) => a + b, 0);
  const sumN = n.reduce((a, b) => a + b, 0);
  const r = sumD / sumN;
  const meanN = sumN / k;
  const residual = d.reduce((acc, di, i) => acc + (di - r * (n[i] ?? 0)) ** 2, 0) / (k - 1);
  const se = Math.sqrt(((1 - k / population) * residual) / (k * meanN * meanN));
  return { r, low: Math.max(0, r - 1.96 * se), high: Math.min(1, r + 1.96 * se) };
}

/** A place of the source: the cluster a sample draws. */
const placeOf = (/** @type {MutantKey} */ m) =>
  `${m.file}|${m.start.line}:${m.start.column}-${m.end.line}:${m.end.column}`;

const mutants = await allMutants(values.mutate);
/** @type {Map<string, string>} */
const tested = new Map();
for (const file of values.tested.split(",").filter(Boolean)) for (const [k, s] of statuses(file)) tested.set(k, s);
// A later run of a place already tested (`survivors`) replaces the result, but adds no mutant to the tested ones, so
// the sample's population stays the one it was drawn from.
for (const file of values.retested.split(",").filter(Boolean)) {
  for (const [k, s] of statuses(file)) if (tested.has(k)) tested.set(k, s);
}
const untested = mutants.filter((m) => !tested.has(keyOf(m)));

/** @type {Map<string, MutantKey[]>} the untested mutants by place */
const places = new Map();
for (const m of untested) places.set(placeOf(m), [...(places.get(placeOf(m)) ?? []), m]);

if (command === "survivors") {
  // Not a sample: every place where an earlier run left a survivor, to test again after new tests (an incremental
  // run keeps a static survivor's stale result, see the docs). Score with the new result file added to --tested.
  if (values.out === undefined) throw new Error("survivors needs --out <places.json>");
  const undetected = mutants.filter((m) => UNDETECTED.has(tested.get(keyOf(m)) ?? ""));
  /** @type {Map<string, MutantKey>} */
  const at = new Map(undetected.map((m) => [placeOf(m), m]));
  const sample = [...at.values()].map(({ file, start, end }) => ({ file, start, end, chunk: 1, mutants: 0 }));
  fs.writeFileSync(
    values.out,
    JSON.stringify({ mutate: values.mutate, survivors: undetected.length, sample }, null, 1) + "\n",
  );
  console.log(`${undetected.length} survivors at ${sample.length} places: ${values.out}`);
} else if (command === "draw") {
  if (values.out === undefined) throw new Error("draw needs --out <sample.json>");
  const all = [...places.keys()].sort();
  const size = Math.min(Number(values.size), all.length);
  const next = random(Number(values.seed));
  // Partial Fisher-Yates shuffle: a simple random sample of places without replacement.
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(next() * (all.length - i));
    [all[i], all[j]] = [/** @type {string} */ (all[j]), /** @type {string} */ (all[i])];
  }
  const chunks = Number(values.chunks);
  // Draw order decides the chunk: place i of the shuffle goes to chunk 1 + i mod k, each chunk a random sample.
  const sample = all.slice(0, size).map((place, i) => {
    const at = places.get(place) ?? [];
    const { file, start, end } = /** @type {MutantKey} */ (at[0]);
    return { file, start, end, chunk: 1 + (i % chunks), mutants: at.length };
  });
  const header = { mutate: values.mutate, seed: values.seed, untested: untested.length, places: places.size };
  fs.writeFileSync(values.out, JSON.stringify({ ...header, sample }, null, 1) + "\n");
  const perChunk = Array.from({ length: chunks }, (_, c) =>
    sample.filter((p) => p.chunk === c + 1).reduce((a, p) => a + p.mutants, 0),
  );
  console.log(
    `${mutants.length} mutants, ${mutants.length - untested.length} tested before, ${untested.length} untested at ` +
      `${places.size} places; sampled ${size} places, untested mutants per chunk: ${perChunk.join(", ")}`,
  );
} else {
  if (values.sample === undefined || values.result === undefined) throw new Error("score needs --sample and --result");
  /** @type {{ places: number, sample: { file: string, start: Position, end: Position, chunk: number }[] }} */
  const drawn = JSON.parse(fs.readFileSync(values.sample, "utf8"));
  if (drawn.places !== places.size) {
    throw new Error(
      `the sample was drawn from ${drawn.places} places, now ${places.size}: same --mutate and --tested?`,
    );
  }
  const use = values["use-chunks"]?.split(",").map(Number) ?? [...new Set(drawn.sample.map((p) => p.chunk))];
  const sample = drawn.sample.filter((p) => use.includes(p.chunk));
  /** @type {Map<string, string>} */
  const results = new Map();
  for (const file of values.result.split(",")) for (const [k, v] of statuses(file)) results.set(k, v);
  /** @type {Record<string, number>} */
  const counts = {};
  /** @type {number[]} */ const d = [];
  /** @type {number[]} */ const n = [];
  for (const p of sample) {
    let detected = 0;
    let scored = 0;
    for (const m of places.get(placeOf({ ...p, mutatorName: "", replacement: "" })) ?? []) {
      const status = results.get(keyOf(m)) ?? "NotRun";
      counts[status] = (counts[status] ?? 0) + 1;
      if (DETECTED.has(status)) detected++;
      if (DETECTED.has(status) || UNDETECTED.has(status)) scored++;
      if (!DETECTED.has(status)) console.log(`${status.padEnd(12)} ${keyOf(m)}`);
    }
    d.push(detected);
    n.push(scored);
  }
  if (counts["NotRun"] !== undefined) {
    // A place without a result is not "no mutant scored": the chunk was not finished and the estimate below is biased.
    console.log(`WARNING: ${counts["NotRun"]} sampled mutants have no result; score only finished chunks`);
  }
  let exactDetected = 0;
  let exactScored = 0;
  for (const m of mutants) {
    const status = tested.get(keyOf(m));
    if (status === undefined) continue;
    if (DETECTED.has(status)) exactDetected++;
    if (DETECTED.has(status) || UNDETECTED.has(status)) exactScored++;
  }
  const sumN = n.reduce((a, b) => a + b, 0);
  const { r, low, high } = ratioInterval(d, n, places.size);
  // The untested mutants that would be scored, estimated from the sample's share of scored ones.
  const sampledMutants = Object.values(counts).reduce((a, b) => a + b, 0);
  const rest = untested.length * (sumN / sampledMutants);
  const share = (/** @type {number} */ x) => (exactDetected + x * rest) / (exactScored + rest);
  const pct = (/** @type {number} */ x) => `${(100 * x).toFixed(2)} %`;
  console.log(
    `sample (chunks ${use.join(", ")}): ${sample.length} of ${places.size} places, ${sampledMutants} of ` +
      `${untested.length} untested mutants: ${JSON.stringify(counts)}`,
  );
  console.log(
    `  detected ${d.reduce((a, b) => a + b, 0)} of ${sumN} scored: ${pct(r)} (95 % ${pct(low)} to ${pct(high)})`,
  );
  console.log(`tested before: ${exactDetected} of ${exactScored} scored: ${pct(exactDetected / exactScored)}`);
  console.log(
    `folder, ${mutants.length} mutants: estimate ${pct(share(r))} (95 % ${pct(share(low))} to ${pct(share(high))})`,
  );
}
