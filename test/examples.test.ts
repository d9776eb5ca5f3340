// The repository's own Pulumi.<stack>.yaml are examples that belong to the user: a team edits them for its own app
// (name, domain, API port and health path, region, sizes). Every other test reads the test stacks in
// test/fixtures/stacks; these check only what holds for any valid edit, so `npm test` stays green after one
// (`npm run test:user-edit` runs the whole suite against an edited copy to prove it).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { estimateCost, type CostEstimate } from "../synth/cost";
import { listStacks, readProjectName, readStackFile } from "../infra/stack-file";
import { synthesize, synthesizeConfig, type SynthResult } from "../synth/synth";
import { evaluate } from "../policy/evaluate";
import { COST_END, COST_ROWS, COST_START, costTable } from "../tools/cost-table";
import { REPO } from "./helpers/synth";

const EXAMPLES = listStacks(REPO);
const PROJECT = readProjectName(REPO);
const results = new Map<string, SynthResult>();
/** Synthesises an example stack once for this file: a stack file's name, `pr-42` or `production (size: large)`. */
async function example(stack: string): Promise<SynthResult> {
  const cached = results.get(stack);
  if (cached) return cached;
  let result: SynthResult;
  if (stack === "production (size: large)") {
    const file = readStackFile(REPO, "production");
    result = await synthesizeConfig({ ...file, config: { ...file.config, [`${PROJECT}:size`]: "large" } });
  } else {
    result = await synthesize(REPO, stack);
  }
  results.set(stack, result);
  return result;
}

test.each(EXAMPLES)("your Pulumi.%s.yaml passes the config check and the policy pack", async (stack) => {
  const result = await example(stack);
  expect(result.stack).toBe(stack);
  expect(await evaluate(result.resources)).toEqual([]);
});

test("a pr-<n> preview, which has no file, derives from your staging file and passes the policy pack", async () => {
  // Run as the CLI does (no environment set), so the preview's config really comes from Pulumi.staging.yaml.
  const preview = await example("pr-42");
  const stagingDomain = readStackFile(REPO, "staging").config[`${PROJECT}:domain`]!;
  const apex = stagingDomain.slice(stagingDomain.indexOf(".") + 1);
  expect(preview.outputs["environment"]).toBe("preview");
  expect(preview.outputs["apiUrl"]).toBe(`https://api-pr-42.${apex}`);
  expect(await evaluate(preview.resources)).toEqual([]);
});

test("the README's cost table is the estimate of your stack files (npm run docs:cost rewrites it)", async () => {
  const estimates: Array<{ label: string; estimate: CostEstimate }> = [];
  for (const label of COST_ROWS) estimates.push({ label, estimate: estimateCost(await example(label)) });
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(COST_START) + COST_START.length, readme.indexOf(COST_END));
  // Compare cell by cell: prettier pads the table, the generator does not.
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
  expect(cells(section)).toEqual(cells(costTable(estimates)));
});
