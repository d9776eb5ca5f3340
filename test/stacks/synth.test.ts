import { main } from "../../synth/cli";
import { policies } from "../../policy/rules";
import { deployPlan, renderPlan } from "../../synth/plan";
import { FORMATS, render, renderJson } from "../../synth/formats";
import type { SynthResult } from "../../synth/synth";
import { FIXTURE_STACKS, physical, STACKS, synthFresh, synthStack } from "../helpers/synth";

const runs: Record<string, [SynthResult, SynthResult]> = {};
beforeAll(async () => {
  // One run from the global setup (another process) and one here: the JSON must not depend on the process either.
  for (const stack of STACKS) runs[stack] = [await synthStack(stack), await synthFresh(stack)];
});

describe.each(STACKS)("the %s stack", (stack) => {
  test("synthesises, and its JSON is identical across two runs in two processes", () => {
    const [a, b] = runs[stack]!.map(renderJson);
    expect(a).toBe(b);
    expect(JSON.parse(a!).resources.length).toBeGreaterThan(3);
  });

  test("renders a tree indented by parent with a count per type", () => {
    const out = render(runs[stack]![0], "tree");
    expect(out.split("\n")[0]).toBe(`saas-platform-${stack} (pulumi:pulumi:Stack)`);
    expect(out).toMatch(/(├|└)─ network \(saas-platform:components:Network\)\n(│| ) {2}(├|└)─ network-/);
    expect(out).toMatch(/Resources by type:\n/);
  });

  test("renders a Mermaid flowchart of its components and their dependencies", () => {
    const out = render(runs[stack]![0], "mermaid");
    expect(out.split("\n")[0]).toBe("flowchart LR");
    expect(out).toMatch(/n(\d+)\["Network: network<br\/>\d+ resources?"\][\s\S]*n\1 <?--> n\d+/);
  });
});

describe("the CLI", () => {
  test.each(FORMATS)("prints the %s format of a stack and its policy verdict, and exits 0", async (format) => {
    const { code, out, err } = await main(["dev", "--format", format], FIXTURE_STACKS);
    expect(code).toBe(0);
    const verdict = `Policy pack: ${policies.length} rules, no violations\n`;
    if (format === "tree") {
      expect(out).toBe(`${render(runs["dev"]![0], format)}\n${verdict}`);
      expect(err).toBe("");
    } else if (format === "plan") {
      expect(out).toBe(renderPlan(await deployPlan(runs["dev"]![0])));
      expect(err).toBe(verdict);
    } else if (format === "cost" || format === "cost-json") {
      expect(out).toContain(format === "cost" ? "Monthly cost of dev" : '"stack": "dev"');
      expect(err).toBe(verdict);
    } else {
      // json and mermaid stay machine-readable on stdout; the verdict goes to stderr.
      expect(out).toBe(render(runs["dev"]![0], format));
      expect(err).toBe(verdict);
    }
  });

  test("tree is the default format, and --format=json works too", async () => {
    expect((await main(["dev"], FIXTURE_STACKS)).out.startsWith(render(runs["dev"]![0], "tree"))).toBe(true);
    expect(JSON.parse((await main(["dev", "--format=json"], FIXTURE_STACKS)).out).stack).toBe("dev");
  });

  test("a stack without a stack file is named with the ones that exist", async () => {
    expect(await main(["qa"], FIXTURE_STACKS)).toEqual({
      code: 1,
      out: "",
      err: "error: no stack file Pulumi.qa.yaml (stacks here: dev, production, staging, pr-<n>)\n",
    });
  });

  test("an unknown format or a missing stack prints the usage", async () => {
    const bad = await main(["dev", "--format", "yaml"], FIXTURE_STACKS);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown format "yaml"; expected one of tree, json, mermaid');
    const none = await main([], FIXTURE_STACKS);
    expect(none.code).toBe(2);
    expect(none.err).toContain("usage: npm run synth -- <stack> [--format tree|json|mermaid|plan|cost|cost-json]");
  });
});

test("--help prints the usage, every stack (pr-<n> too) and format on stdout, and exits 0", async () => {
  const { code, out, err } = await main(["--help"], FIXTURE_STACKS);
  expect(code).toBe(0);
  expect(err).toBe("");
  expect(out).toContain("usage: npm run synth -- <stack> [--format tree|json|mermaid|plan|cost|cost-json]");
  for (const line of ["  dev", "  staging", "  production", "  pr-<n>", "  plan", "  cost-json"]) {
    expect(out).toContain(line);
  }
});

test("a misspelt stack gets a did-you-mean", async () => {
  expect((await main(["stagng"], FIXTURE_STACKS)).err).toBe(
    'error: no stack file Pulumi.stagng.yaml (stacks here: dev, production, staging, pr-<n>); did you mean "staging"?\n',
  );
});

test("the production tree counts resources per type", () => {
  const out = render(runs["production"]![0], "tree");
  // The small size: two zones and one NAT instance.
  expect(out).toContain("  4  aws:ec2/subnet:Subnet");
  expect(out).toContain("  1  aws:ec2/instance:Instance");
  expect(out).not.toContain("aws:ec2/natGateway:NatGateway");
});

test("staging and production declare AWS, Cloudflare and Vercel resources (and the image build, the one-off task run; production the origin-pull certificates), dev Docker only", () => {
  const packages = (stack: string) => new Set(physical(runs[stack]![0]).map((r) => r.type.split(":")[0]));
  expect(packages("staging")).toEqual(new Set(["aws", "cloudflare", "docker", "pulumi-nodejs", "random", "vercel"]));
  expect(packages("production")).toEqual(
    new Set(["aws", "cloudflare", "docker", "pulumi-nodejs", "random", "sentry", "tls", "vercel"]),
  );
  for (const stack of ["staging", "production"]) {
    expect(
      physical(runs[stack]![0])
        .filter((r) => r.type.startsWith("docker:"))
        .map((r) => r.type),
    ).toEqual(["docker:index/image:Image"]);
  }
  expect(packages("dev")).toEqual(new Set(["docker", "random"]));
});
