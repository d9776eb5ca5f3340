// The example stacks' costs: the targets, the budgets and the README table, all from the estimator.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { estimateCost, type CostEstimate } from "../../infra/synth/cost";
import { COST_END, COST_ROWS, COST_START, costTable } from "../../tools/cost-table";
import { REPO, resource, synthStack, type CachedStack } from "../helpers/synth";

const STACK_OF_ROW: Record<(typeof COST_ROWS)[number], CachedStack> = {
  dev: "dev",
  staging: "staging",
  production: "production",
  "production (size: large)": "production-large",
  "pr-42": "pr-42",
};
const estimates = new Map<CachedStack, CostEstimate>();
const budgets = new Map<CachedStack, number>();
beforeAll(async () => {
  for (const stack of Object.values(STACK_OF_ROW)) {
    const result = await synthStack(stack);
    estimates.set(stack, estimateCost(result));
    if (stack !== "dev") {
      budgets.set(
        stack,
        Number(resource(result, "aws:budgets/budget:Budget", "monitoring-budget").inputs["limitAmount"]),
      );
    }
  }
});

test("production (small) stays within $150 a month with a Multi-AZ database, two tasks and its backups", () => {
  expect(estimates.get("production")!.monthly).toBeLessThanOrEqual(150);
});

test("dev costs nothing in the cloud", () => {
  expect(estimates.get("dev")!.monthly).toBe(0);
});

test.each(["staging", "production", "production-large", "pr-42"] as const)(
  "the %s budget is its estimate plus a margin (10 % to 40 %)",
  (stack) => {
    const estimate = estimates.get(stack)!.monthly;
    expect(budgets.get(stack)!).toBeGreaterThanOrEqual(estimate * 1.1);
    expect(budgets.get(stack)!).toBeLessThanOrEqual(estimate * 1.4);
  },
);

test("the README's cost table is the estimator's (npm run docs:cost)", () => {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(COST_START) + COST_START.length, readme.indexOf(COST_END));
  const cells = (text: string) =>
    text
      .split("\n")
      .filter((line) => line.startsWith("|") && !/^\|[-:\s|]+\|$/.test(line))
      .map((line) =>
        line
          .split("|")
          .slice(1, -1)
          .map((c) => c.trim()),
      );
  const table = costTable(COST_ROWS.map((label) => ({ label, estimate: estimates.get(STACK_OF_ROW[label])! })));
  expect(cells(section)).toEqual(cells(table));
});
