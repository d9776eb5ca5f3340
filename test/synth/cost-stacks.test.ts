// The test stacks' costs against the targets and budgets, from the estimator. The README's table prices the user's
// own stack files: test/examples.test.ts.
import { estimateCost, type CostEstimate } from "../../synth/cost";
import type { SynthResult } from "../../synth/synth";
import { CACHED_STACKS, ofType, resource, synthStack, type CachedStack } from "../helpers/synth";

const results = new Map<CachedStack, SynthResult>();
const estimates = new Map<CachedStack, CostEstimate>();
const budgets = new Map<CachedStack, number>();
beforeAll(async () => {
  for (const stack of CACHED_STACKS) {
    const result = await synthStack(stack);
    results.set(stack, result);
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
  const production = results.get("production")!;
  expect(resource(production, "aws:rds/instance:Instance", "database").inputs["multiAz"]).toBe(true);
  expect(resource(production, "aws:ecs/service:Service", "api").inputs["desiredCount"]).toBe(2);
  expect(ofType(production, "aws:backup/plan:Plan")).toHaveLength(1);
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
