/**
 * The README's cost table, generated from the estimator (`npm run docs:cost` rewrites it; a test fails when the README
 * is stale), so the figures are never typed by hand.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { estimateCost, largestItems, type CostEstimate } from "../synth/cost";
import { synthesize, synthesizeConfig } from "../synth/synth";
import { readStackFile } from "../infra/stack-file";

export const COST_START = "<!-- cost-table:start -->";
export const COST_END = "<!-- cost-table:end -->";

/** The rows: each example stack (and production's large size) with its month, day and three biggest lines. */
export function costTable(rows: ReadonlyArray<{ label: string; estimate: CostEstimate }>): string {
  const money = (v: number) => `$${v.toFixed(2)}`;
  return [
    "| stack | per month | per day | largest items |",
    "|---|---:|---:|---|",
    ...rows.map(({ label, estimate }) => {
      const top = largestItems(estimate, 3)
        .map((r) => `${r.name} ${money(r.monthly)}`)
        .join(", ");
      return `| ${label} | ${money(estimate.monthly)} | ${money(estimate.monthly / 30)} | ${top || "—"} |`;
    }),
  ].join("\n");
}

export function withCostTable(readme: string, table: string): string {
  const start = readme.indexOf(COST_START);
  const end = readme.indexOf(COST_END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${COST_START} and ${COST_END}`);
  return `${readme.slice(0, start + COST_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

/** The stacks the table shows, in order. */
export const COST_ROWS = ["dev", "staging", "production", "production (size: large)", "pr-42"] as const;

if (require.main === module) {
  const dir = join(__dirname, "..");
  void (async () => {
    const rows = [];
    for (const label of COST_ROWS) {
      const result =
        label === "production (size: large)"
          ? await (async () => {
              const file = readStackFile(dir, "production");
              return synthesizeConfig({ ...file, config: { ...file.config, [`${file.project}:size`]: "large" } });
            })()
          : await synthesize(dir, label);
      rows.push({ label, estimate: estimateCost(result) });
    }
    const file = join(dir, "README.md");
    writeFileSync(file, withCostTable(readFileSync(file, "utf8"), costTable(rows)));
  })();
}
