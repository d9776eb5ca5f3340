// @ts-check
/**
 * Mutation testing of a random sample of places (docs/mutation-testing.md, "Sampling the rest of a folder"): the
 * settings of stryker.config.mjs, with `mutate` set to the places of the sample files in STRYKER_SAMPLE
 * (comma-separated, from `node test/mutation/sample.mjs draw`) and chunks STRYKER_SAMPLE_CHUNKS (default 1), and the
 * ignorer that leaves out the mutants nested inside a place. Example:
 *   STRYKER_SAMPLE=reports/mutation/infra-sample.json STRYKER_SAMPLE_CHUNKS=1 npx stryker run stryker.sample.config.mjs \
 *     --concurrency 2 --incremental --incrementalFile reports/mutation/infra-sample.incremental.json
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import fs from "node:fs";
import base from "./stryker.config.mjs";

const chunks = (process.env["STRYKER_SAMPLE_CHUNKS"] ?? "1").split(",").map(Number);
/** @type {{ file: string, start: { line: number, column: number }, end: { line: number, column: number }, chunk: number }[]} */
const places = (process.env["STRYKER_SAMPLE"] ?? "")
  .split(",")
  .filter(Boolean)
  .flatMap((file) => JSON.parse(fs.readFileSync(file, "utf8")).sample)
  .filter((p) => chunks.includes(p.chunk));
if (places.length === 0) throw new Error("STRYKER_SAMPLE names no sample file with places in STRYKER_SAMPLE_CHUNKS");

export default {
  ...base,
  // Stryker's `file:line:column-line:column`: lines from 1, columns from 0; the sample counts columns from 1.
  mutate: places.map((p) => `${p.file}:${p.start.line}:${p.start.column - 1}-${p.end.line}:${p.end.column - 1}`),
  plugins: ["@stryker-mutator/*", "./test/mutation/sample-ignorer.mjs"],
  ignorers: ["sample"],
};
