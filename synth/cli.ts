/**
 * `npm run synth -- <stack> [--format <format>]`: runs the real program for one stack offline, under Pulumi's mocks,
 * and prints what it declares. No CLI, credentials or network needed. `--help` says what it takes.
 */
import { evaluate, formatVerdict } from "../policy/evaluate";
import { FORMATS, render, type Format } from "./formats";
import { deployPlan, renderPlan } from "./plan";
import { estimateCost, renderCost } from "./cost";
import { assumptionsOf } from "./cost-assumptions";
import { listStacks, SynthInputError } from "../infra/stack-file";
import { synthesize, SynthError } from "./synth";

const USAGE = `usage: npm run synth -- <stack> [--format ${FORMATS.join("|")}]`;

/** What each format prints. */
const FORMAT_HELP: Readonly<Record<Format, string>> = {
  tree: "resources under their parents, with the options that matter, and a count per type (default)",
  json: "every resource with its inputs, options and dependencies, sorted: diff it or keep it as a golden file",
  mermaid: "a flowchart of the components and their dependencies",
  plan: "the deploy plan: creation order, critical path and readiness checks of a first `pulumi up`",
  cost: "the monthly cost at list prices, per resource and component",
  "cost-json": "the cost estimate as JSON (for `npm run cost:diff`)",
};

function help(dir: string): string {
  return [
    USAGE,
    "",
    "Runs the program for a stack under Pulumi's mocks and prints what it would declare, then the policy verdict.",
    "Use `npm run --silent synth -- ...` to keep npm's banner out of machine-readable output.",
    "",
    "stacks:",
    ...listStacks(dir).map((s) => `  ${s}`),
    "  pr-<n>      a PR preview: no stack file, derived from staging's",
    "",
    "formats:",
    ...FORMATS.map((f) => `  ${f.padEnd(10)}  ${FORMAT_HELP[f]}`),
    "",
  ].join("\n");
}

export async function main(argv: readonly string[], dir: string): Promise<{ code: number; out: string; err: string }> {
  if (argv.includes("--help") || argv.includes("-h")) return { code: 0, out: help(dir), err: "" };
  const args = [...argv];
  let format: Format = "tree";
  const formatAt = args.findIndex((a) => a === "--format" || a.startsWith("--format="));
  if (formatAt >= 0) {
    const arg = args[formatAt]!;
    const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[formatAt + 1];
    args.splice(formatAt, arg.includes("=") ? 1 : 2);
    if (!FORMATS.includes(value as Format)) {
      return {
        code: 2,
        out: "",
        err: `unknown format "${value ?? ""}"; expected one of ${FORMATS.join(", ")}\n${USAGE}\n`,
      };
    }
    format = value as Format;
  }
  if (args.length !== 1 || args[0]!.startsWith("-")) {
    return { code: 2, out: "", err: `${USAGE}\nstacks: ${[...listStacks(dir), "pr-<n>"].join(", ")}\n` };
  }
  try {
    const result = await synthesize(dir, args[0]!);
    // The verdict follows the tree; with json or mermaid it goes to stderr so stdout stays machine-readable.
    const violations = await evaluate(result.resources);
    const verdict = formatVerdict(violations);
    const code = violations.length > 0 ? 1 : 0;
    if (format === "cost") {
      return { code, out: renderCost(estimateCost(result, assumptionsOf(dir, args[0]!))), err: verdict };
    }
    if (format === "cost-json") {
      return {
        code,
        out: `${JSON.stringify(estimateCost(result, assumptionsOf(dir, args[0]!)), null, 2)}\n`,
        err: verdict,
      };
    }
    if (format === "plan") {
      // The readiness checks fail the plan as the pack fails the synth: with the verdict on stderr.
      return { code, out: renderPlan(await deployPlan(result)), err: verdict };
    }
    return format === "tree"
      ? { code, out: `${render(result, format)}\n${verdict}`, err: "" }
      : { code, out: render(result, format), err: verdict };
  } catch (e) {
    if (e instanceof SynthError || e instanceof SynthInputError)
      return { code: 1, out: "", err: `error: ${e.message}\n` };
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.cwd()).then(
    ({ code, out, err }) => {
      process.stdout.write(out);
      process.stderr.write(err);
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`synth failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
