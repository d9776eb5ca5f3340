// @ts-check
// Stryker "Ignore" plugin for a sampled run (stryker.sample.config.mjs, docs/mutation-testing.md): a `--mutate` range
// also selects every mutant nested inside it (a sampled block statement brings all its statements), which more than
// tripled a sample's cost. This ignorer leaves only the sampled places: a node is ignored unless it is one of them or
// holds one (an ignored node's mutants, and its children's, are reported as "Ignored" and never run).
import fs from "node:fs";
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

/** @typedef {{ line: number, column: number }} Position  babel style: lines from 1, columns from 0 */

/** The sampled places of the chunks in STRYKER_SAMPLE_CHUNKS, from the sample file in STRYKER_SAMPLE. */
function sampledPlaces() {
  /** @type {{ start: Position, end: Position }[]} */
  const places = [];
  for (const file of (process.env["STRYKER_SAMPLE"] ?? "").split(",").filter(Boolean)) {
    /** @type {{ sample: { chunk: number, start: Position, end: Position }[] }} */
    const drawn = JSON.parse(fs.readFileSync(file, "utf8"));
    const chunks = (process.env["STRYKER_SAMPLE_CHUNKS"] ?? "1").split(",").map(Number);
    for (const m of drawn.sample.filter((s) => chunks.includes(s.chunk))) {
      // The sample file counts columns from 1 (the reports' way).
      places.push({
        start: { line: m.start.line, column: m.start.column - 1 },
        end: { line: m.end.line, column: m.end.column - 1 },
      });
    }
  }
  return places;
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
