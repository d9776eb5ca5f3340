import { deployabilityPolicies } from "../../policy/deployability";
import { DEPLOYABILITY_FIXTURES } from "./deployability-fixtures";
import { expectVerdict, fixtureCases } from "./fixture-cases";

const cases = fixtureCases(DEPLOYABILITY_FIXTURES);

test("every deployability rule has fixtures", () => {
  expect(Object.keys(DEPLOYABILITY_FIXTURES).sort()).toEqual(deployabilityPolicies.map((p) => p.name).sort());
});

test.each(cases)("%s %s: %s", (name, verdict, _what, records) =>
  expectVerdict(deployabilityPolicies, name, verdict, records),
);
