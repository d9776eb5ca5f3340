import type { RecordedResource } from "../../synth/recorder";
import { evaluate, type AnyPolicy } from "../../policy/evaluate";

type Fixtures = Record<
  string,
  { readonly fail: Record<string, RecordedResource[]>; readonly pass: Record<string, RecordedResource[]> }
>;

/** One jest case per fixture: `[rule, "fails" | "passes", what, records]`. */
export const fixtureCases = (fixtures: Fixtures) =>
  Object.entries(fixtures).flatMap(([rule, { fail, pass }]) => [
    ...Object.entries(fail).map(([what, records]) => [rule, "fails", what, records] as const),
    ...Object.entries(pass).map(([what, records]) => [rule, "passes", what, records] as const),
  ]);

/**
 * A passing fixture yields no violation; a failing one breaks one condition, so it yields exactly one (a fixture
 * breaking two would let either check be deleted unnoticed), with the `name (type): problem` message shape.
 */
export async function expectVerdict(
  pack: readonly AnyPolicy[],
  name: string,
  verdict: "fails" | "passes",
  records: readonly RecordedResource[],
): Promise<void> {
  const rule = pack.find((p) => p.name === name)!;
  const violations = await evaluate(records, [rule]);
  if (verdict === "passes") {
    expect(violations).toEqual([]);
  } else {
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toMatch(/^\S+ \(.+\): .+/);
  }
}
