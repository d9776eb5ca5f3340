import { evaluate } from "../../policy/evaluate";
import { deployabilityPolicies } from "../../policy/deployability";
import { DEPLOYABILITY_FIXTURES } from "./deployability-fixtures";

const cases = Object.entries(DEPLOYABILITY_FIXTURES).flatMap(([rule, { fail, pass }]) => [
  ...Object.entries(fail).map(([what, records]) => [rule, "fails", what, records] as const),
  ...Object.entries(pass).map(([what, records]) => [rule, "passes", what, records] as const),
]);

test("every deployability rule has fixtures", () => {
  expect(Object.keys(DEPLOYABILITY_FIXTURES).sort()).toEqual(deployabilityPolicies.map((p) => p.name).sort());
});

test.each(cases)("%s %s: %s", async (name, verdict, _what, records) => {
  const rule = deployabilityPolicies.find((p) => p.name === name)!;
  const violations = await evaluate(records, [rule]);
  if (verdict === "passes") {
    expect(violations).toEqual([]);
  } else {
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toMatch(/^\S+ \(.+\): .+/);
  }
});
