import { renderMermaid } from "../../synth/formats";
import type { SynthResult } from "../../synth/synth";
import { synthStack } from "../helpers/synth";

test("one arrow per pair of nodes (a double arrow when each depends on the other), and a legend", async () => {
  const out = renderMermaid(await synthStack("staging"));
  expect(out).toContain("%% Legend:");
  const arrows = out.split("\n").filter((l) => /-->/.test(l));
  const pairs = arrows.map((l) =>
    l
      .trim()
      .split(/\s+<?-->\s+/)
      .sort()
      .join(" "),
  );
  expect(new Set(pairs).size).toBe(pairs.length);
  // The API reads the database's secret; the database admits the API's security group: one double arrow.
  expect(arrows.some((l) => l.includes("<-->"))).toBe(true);
});

test("a provider nothing uses is left out", () => {
  const stack = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s";
  const base = { secretInputs: [], options: {}, inputs: {}, propertyDependencies: {} };
  const result: SynthResult = {
    project: "p",
    stack: "s",
    outputs: {},
    secretOutputs: [],
    stackReferences: [],
    resources: [
      { ...base, urn: stack, type: "pulumi:pulumi:Stack", name: "p-s", custom: false, dependencies: [] },
      {
        ...base,
        urn: "urn:pulumi:s::p::pulumi:providers:aws::used",
        type: "pulumi:providers:aws",
        name: "used",
        custom: true,
        parent: stack,
        dependencies: [],
      },
      {
        ...base,
        urn: "urn:pulumi:s::p::pulumi:providers:aws::unused",
        type: "pulumi:providers:aws",
        name: "unused",
        custom: true,
        parent: stack,
        dependencies: [],
      },
      {
        ...base,
        urn: "urn:pulumi:s::p::aws:s3/bucket:Bucket::b",
        type: "aws:s3/bucket:Bucket",
        name: "b",
        custom: true,
        parent: stack,
        provider: "urn:pulumi:s::p::pulumi:providers:aws::used",
        dependencies: [],
      },
    ],
  };
  const out = renderMermaid(result);
  expect(out).toContain("aws: used");
  expect(out).not.toContain("aws: unused");
});
