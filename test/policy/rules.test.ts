import { policies } from "../../policy/rules";
import { RULE_FIXTURES } from "./rules-fixtures";
import { expectVerdict, fixtureCases } from "./fixture-cases";

const cases = fixtureCases(RULE_FIXTURES);

// Each failing fixture breaks one condition, so it yields one violation: a fixture breaking two would let either
// check be deleted unnoticed.
test.each(cases)("%s %s: %s", (name, verdict, _what, records) => expectVerdict(policies, name, verdict, records));
