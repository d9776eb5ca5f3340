// @ts-check
// How many mutants Stryker makes, per file and per folder, without running a test (seconds): the size of a run
// before starting it (docs/mutation-testing.md).
// Usage: node test/mutation/count.mjs [glob,!exclusion,...]   (default: the `mutate` list of stryker.config.mjs)
import { createInstrumenter } from "@stryker-mutator/instrumenter";
import fs from "node:fs";
import path from "node:path";
import { createInjector } from "typed-inject";
import config from "../../stryker.config.mjs";

const patterns = process.argv[2]?.split(",") ?? /** @type {string[]} */ (config.mutate);
const include = patterns.filter((p) => !p.startsWith("!"));
const exclude = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
const files = [...new Set(include.flatMap((p) => fs.globSync(p)))]
  .filter((f) => f.endsWith(".ts") && !exclude.some((p) => path.matchesGlob(f, p)))
  .sort();

/** @type {Map<string, number>} */
const perFile = new Map();
const logger = {
  isDebugEnabled: () => true,
  /** @param {string} message */
  debug(message) {
    const m = /^Instrumented (.+) \((\d+) mutant/.exec(message);
    if (m?.[1] !== undefined) perFile.set(m[1], Number(m[2]));
  },
  isTraceEnabled: () => false,
  trace() {},
  info() {},
  warn() {},
  error() {},
  fatal() {},
};
const instrumenter = createInstrumenter(createInjector().provideValue("logger", logger));
await instrumenter.instrument(
  files.map((name) => ({ name, mutate: true, content: fs.readFileSync(name, "utf8") })),
  { plugins: null, excludedMutations: [], ignorers: [], noHeader: false },
);

/** A file's folder as the score table counts it: the top folder and, under components/, the component. */
const folderOf = (/** @type {string} */ f) => {
  const parts = f.split("/");
  return parts[0] === "components" && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
};
/** @type {Map<string, { files: number, mutants: number }>} */
const perFolder = new Map();
for (const [file, n] of perFile) {
  for (const folder of new Set([file.split("/")[0] ?? file, folderOf(file)])) {
    const f = perFolder.get(folder) ?? { files: 0, mutants: 0 };
    perFolder.set(folder, { files: f.files + 1, mutants: f.mutants + n });
  }
}
const total = [...perFile.values()].reduce((a, b) => a + b, 0);
for (const [file, n] of [...perFile].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(6)}  ${file}`);
console.log("");
for (const [folder, { files: n, mutants }] of [...perFolder].sort()) {
  console.log(`${String(mutants).padStart(6)}  ${folder}/ (${n} files)`);
}
console.log(`${String(total).padStart(6)}  total (${perFile.size} files)`);
