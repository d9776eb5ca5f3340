// @ts-check
// Stryker "Ignore" plugin for a sampled run (stryker.sample.config.mjs, docs/mutation-testing.md): a `--mutate` range
// also selects every mutant nested inside it (a sampled block statement brings all its statements), which more than
// tripled a sample's cost. This ignorer leaves only the sampled places: a node is ignored unless it is one of them or
// holds one (an ignored node's mutants, and its children's, are reported as "Ignored" and never run).
import fs from "node:fs";
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

/** @typedef {{ line: number, column: number }} Position  babel style: lines from 1, columns from 0 */

/**
 * The places to run: STRYKER_SAMPLE lists sample files (`node test/mutation/sample.mjs draw` or `survivors`),
 * comma-separated; `file.json#2+3` takes chunks 2 and 3 of that file, a file without `#` the chunks of
 * STRYKER_SAMPLE_CHUNKS (comma-separated, default 1). Columns count from 1 here, as in the reports.
 * @returns {{ file: string, start: Position, end: Position }[]}
 */
export function samplePlaces() {
  const defaultChunks = (process.env["STRYKER_SAMPLE_CHUNKS"] ?? "1").split(",").map(Number);
  return (process.env["STRYKER_SAMPLE"] ?? "")
    .split(",")
    .filter(Boolean)
    .flatMap((entry) => {
      const [file = "", chunkList] = entry.split("#");
      const chunks = chunkList === undefined ? defaultChunks : chunkList.split("+").map(Number);
      /** @type {{ sample: { file: string, chunk: number, start: Position, end: Position }[] }} */
      const drawn = JSON.parse(fs.readFileSync(file, "utf8"));
      return drawn.sample.filter((p) => chunks.includes(p.chunk));
    });
}

/** The same places as babel counts them: columns from 0. */
function sampledPlaces() {
  return samplePlaces().map((p) => ({
    start: { line: p.start.line, column: p.start.column - 1 },
    end: { line: p.end.line, column: p.end.column - 1 },
  }));
}

const before = (/** @type {Position} */ a, /** @type {Position} */ b) =>
  a.line < b.line || (a.line === b.line && a.column <= b.column);

export function createSampleIgnorer(places = sampledPlaces()) {
  return {
    /** @param {any} path a babel NodePath */
    shouldIgnore(path) {
      /** @type {{ start: Position, end: Position } | undefined} */
      const loc = path.node?.loc;
      if (loc === undefined || loc === null) return undefined;
      const holdsOne = places.some((p) => before(loc.start, p.start) && before(p.end, loc.end));
      return holdsOne ? undefined : "not in the sample";
    },
  };
}

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, "sample", createSampleIgnorer())];
