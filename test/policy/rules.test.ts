import { evaluate } from "../../policy/evaluate";
import { policies } from "../../policy/rules";
import { RULE_FIXTURES } from "./rules-fixtures";

const cases = Object.entries(RULE_FIXTURES).flatMap(([rule, { fail, pass }]) => [
  ...Object.entries(fail).map(([what, records]) => [rule, "fails", what, records] as const),
  ...Object.entries(pass).map(([what, records]) => [rule, "passes", what, records] as const),
]);

// Each failing fixture breaks one condition, so it yields one violation: a fixture breaking two would let either
// check be deleted unnoticed.
test.each(cases)("%s %s: %s", async (name, verdict, _what, records) => {
  const rule = policies.find((p) => p.name === name)!;
  const violations = await evaluate(records, [rule]);
  if (verdict === "passes") {
    expect(violations).toEqual([]);
  } else {
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toMatch(/^\S+ \(.+\): .+/);
  }
});
