// @ts-check
/**
 * Mutation testing of a random sample of places (docs/mutation-testing.md, "Sampling the rest of a folder"): the
 * settings of stryker.config.mjs, with `mutate` set to the places of the sample files in STRYKER_SAMPLE (see
 * `samplePlaces` in test/mutation/sample-ignorer.mjs: `file.json#2+3` for chunks 2 and 3), and the ignorer that
 * leaves out the mutants nested inside a place. Example:
 *   STRYKER_SAMPLE=reports/mutation/infra-sample.json STRYKER_SAMPLE_CHUNKS=1 npx stryker run stryker.sample.config.mjs \
 *     --concurrency 2 --incremental --incrementalFile reports/mutation/infra-sample.incremental.json
 */
import base from "./stryker.config.mjs";
import { samplePlaces } from "./test/mutation/sample-ignorer.mjs";

const places = samplePlaces();
if (places.length === 0) throw new Error("STRYKER_SAMPLE names no sample file with places in the chunks asked for");

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  // Stryker's `file:line:column-line:column`: lines from 1, columns from 0; the sample counts columns from 1.
  mutate: places.map((p) => `${p.file}:${p.start.line}:${p.start.column - 1}-${p.end.line}:${p.end.column - 1}`),
  plugins: ["@stryker-mutator/*", "./test/mutation/sample-ignorer.mjs"],
  ignorers: ["sample"],
};
