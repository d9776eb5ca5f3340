import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SynthResult } from "../../synth/synth";
import { FIXTURE_STACKS, physical, stackFile, synthConfig, variant } from "../helpers/synth";

/** The name inputs recorded before physical names followed the app (test/fixtures/stacks/names-before-app-prefix.json). */
const BEFORE = JSON.parse(readFileSync(join(FIXTURE_STACKS, "names-before-app-prefix.json"), "utf8")) as Record<
  string,
  Record<string, Record<string, unknown>>
>;
const KEYS = [
  ...new Set(Object.values(BEFORE).flatMap((stack) => Object.values(stack).flatMap((names) => Object.keys(names)))),
];

function namesOf(result: SynthResult): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    result.resources.map((r) => [
      r.urn,
      Object.fromEntries(KEYS.filter((k) => typeof r.inputs?.[k] === "string").map((k) => [k, r.inputs[k]])),
    ]),
  );
}

describe.each(["staging", "production"] as const)("%s with its prefix pinned", (stack) => {
  test("keeps every URN and every physical name it was deployed with", async () => {
    const file = stackFile(stack);
    expect(file.config["saas-platform:namePrefix"]).toBe("saas-platform");
    expect(namesOf(await synthConfig(file))).toEqual(BEFORE[stack]);
  });
});

test("without a pin, physical names start with the app's name, so two apps in one account share none", async () => {
  const app = (appName: string) => synthConfig(variant("staging", { namePrefix: undefined, appName }));
  const [first, second] = [await app("acme-app"), await app("zenith-crm")];
  const names = (r: SynthResult) =>
    physical(r)
      .flatMap((x) => Object.values(namesOf({ ...r, resources: [x] })[x.urn] ?? {}))
      .map(String);
  expect(names(first).filter((n) => n.includes("saas-platform"))).toEqual([]);
  expect(names(first)).toContain("acme-app-staging-database");
  const shared = names(first).filter((n) => names(second).includes(n));
  // DNS names are the stack file's domain (the same here); every AWS name differs.
  expect(shared.filter((n) => n.includes("staging") && !n.includes("."))).toEqual([]);
});
