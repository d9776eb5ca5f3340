import { main } from "../../infra/synth/cli";
import { FORMATS } from "../../infra/synth/formats";
import { renderJson } from "../../infra/synth/formats";
import { physical, REPO, STACKS, synthStack } from "../helpers/synth";

describe.each(STACKS)("npm run synth -- %s", (stack) => {
  test("JSON is identical across two runs", async () => {
    const [a, b] = [renderJson(await synthStack(stack)), renderJson(await synthStack(stack))];
    expect(a).toBe(b);
    expect(JSON.parse(a).resources.length).toBeGreaterThan(3);
  });

  test.each(FORMATS)("prints the %s format and exits 0", async (format) => {
    const { code, out, err } = await main([stack, "--format", format], REPO);
    expect(err).toBe("");
    expect(code).toBe(0);
    if (format === "json") expect(JSON.parse(out).stack).toBe(stack);
    if (format === "tree") {
      expect(out.split("\n")[0]).toBe(`saas-platform-${stack} (pulumi:pulumi:Stack)`);
      expect(out).toMatch(/Resources by type:\n/);
      expect(out).toMatch(/└─ network \(saas-platform:components:Network\)/);
    }
    if (format === "mermaid") {
      expect(out.split("\n")[0]).toBe("flowchart LR");
      expect(out).toMatch(/\["Network: network<br\/>\d+ resources"\]/);
      expect(out).toMatch(/n\d+ --> n\d+/);
    }
  });
});

test("tree is the default format, and --format=json works too", async () => {
  expect((await main(["staging"], REPO)).out).toMatch(/^saas-platform-staging \(pulumi:pulumi:Stack\)/);
  expect(JSON.parse((await main(["staging", "--format=json"], REPO)).out).stack).toBe("staging");
});

test("the tree counts resources per type", async () => {
  const { out } = await main(["production"], REPO);
  expect(out).toContain("  6  aws:ec2/subnet:Subnet");
  expect(out).toContain("  3  aws:ec2/natGateway:NatGateway");
});

test("a stack without a stack file is named with the ones that exist", async () => {
  expect(await main(["qa"], REPO)).toEqual({
    code: 1,
    out: "",
    err: "error: no stack file Pulumi.qa.yaml (stacks here: dev, production, staging)\n",
  });
});

test("an unknown format or a missing stack prints the usage", async () => {
  const bad = await main(["dev", "--format", "yaml"], REPO);
  expect(bad.code).toBe(2);
  expect(bad.err).toContain('unknown format "yaml"; expected one of tree, json, mermaid');
  const none = await main([], REPO);
  expect(none.code).toBe(2);
  expect(none.err).toContain("usage: npm run synth -- <stack> [--format tree|json|mermaid]");
});

test("staging and production declare cloud resources only; dev declares Docker resources only", async () => {
  for (const stack of ["staging", "production"]) {
    const types = physical(await synthStack(stack)).map((r) => r.type.split(":")[0]);
    expect(new Set(types)).toEqual(new Set(["aws"]));
  }
  expect(new Set(physical(await synthStack("dev")).map((r) => r.type.split(":")[0]))).toEqual(new Set(["docker"]));
});
