import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assumptionsOf } from "../../synth/cost-assumptions";
import { FIXTURE_STACKS } from "../helpers/synth";
import { DEFAULT_ASSUMPTIONS, defaultAssumptions, environmentOf, estimateCost, renderCost } from "../../synth/cost";
import { rec, resultOf, urnOf } from "../policy/deployability-fixtures";
import { tempDir } from "../helpers/temp";

const provider = { ...rec("pulumi:providers:aws", "aws", { region: "eu-west-1" }) };
const withProvider = <T extends { provider?: string }>(r: T) => ({ ...r, provider: provider.urn });
const task = withProvider(
  rec("aws:ecs/taskDefinition:TaskDefinition", "api-task", {
    cpu: "256",
    memory: "512",
    runtimePlatform: { cpuArchitecture: "ARM64" },
  }),
);
const small = [
  provider,
  withProvider(
    rec("aws:rds/instance:Instance", "database", {
      instanceClass: "db.t4g.micro",
      multiAz: true,
      allocatedStorage: 20,
    }),
  ),
  withProvider(
    rec("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
      nodeType: "cache.t4g.micro",
      numCacheClusters: 2,
    }),
  ),
  task,
  withProvider(
    rec("aws:ecs/service:Service", "api", { desiredCount: 2 }, { inputsFrom: { taskDefinition: [task.urn] } }),
  ),
  withProvider(rec("aws:ec2/natGateway:NatGateway", "nat-1", {})),
  withProvider(rec("aws:ec2/vpc:Vpc", "vpc", {})),
  withProvider(rec("aws:sagemaker/domain:Domain", "unknown", {})),
];

describe("the estimate, against figures computed by hand from the price table (eu-west-1, 2026-11-25)", () => {
  const e = estimateCost(resultOf(small));
  const line = (name: string) => e.resources.find((r) => r.name === name)!.cost;

  test("a Multi-AZ db.t4g.micro with 20 GB: 0.017 × 2 × 730 + 20 × 0.127 × 2 = $29.90", () => {
    expect(line("database")).toMatchObject({ kind: "priced", monthly: 29.9 });
  });

  test("two cache.t4g.micro Valkey nodes: 0.0136 × 2 × 730 = $19.86", () => {
    expect(line("cache")).toMatchObject({ kind: "priced", monthly: 19.86 });
  });

  test("two ARM tasks of 0.25 vCPU / 0.5 GB: (0.25 × 0.03238 + 0.5 × 0.00356) × 2 × 730 = $14.42", () => {
    expect(line("api")).toMatchObject({ kind: "priced", monthly: 14.42 });
  });

  test("a NAT gateway with its public IPv4 and 10 GB: (0.048 + 0.005) × 730 + 10 × 0.048 = $39.17", () => {
    expect(line("nat-1")).toMatchObject({ kind: "priced", monthly: 39.17 });
  });

  test("free resources say why; unknown ones are listed as unpriced and never counted as zero", () => {
    expect(line("vpc")).toEqual({ kind: "free", basis: "no charge" });
    expect(line("api-task").kind).toBe("free");
    expect(line("unknown")).toEqual({ kind: "unpriced", basis: "not in the price table" });
    expect(e.unpriced.map((r) => r.name)).toEqual(["unknown"]);
    expect(e.monthly).toBe(103.35);
    expect(renderCost(e)).toContain(
      "Unpriced (not counted): 1\n  unknown (aws:sagemaker/domain:Domain): not in the price table",
    );
  });

  test("a stack file's usage assumptions change the usage-priced lines", () => {
    const more = estimateCost(resultOf(small), { ...DEFAULT_ASSUMPTIONS, natDataGb: 110 });
    expect(more.resources.find((r) => r.name === "nat-1")!.cost).toMatchObject({ monthly: 39.17 + 4.8 });
  });

  test("Fargate Spot is priced at its typical 70 % discount", () => {
    const spot = withProvider(
      rec(
        "aws:ecs/service:Service",
        "api",
        { desiredCount: 1, capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] },
        { inputsFrom: { taskDefinition: [task.urn] } },
      ),
    );
    const e2 = estimateCost(resultOf([provider, task, spot]));
    // 0.009875 × 730 × 0.3
    expect(e2.monthly).toBe(2.16);
  });

  test("resources in another region are priced with that provider's region", () => {
    const east = { ...rec("pulumi:providers:aws", "aws-us-east-1", { region: "us-east-1" }) };
    const key = { ...rec("aws:kms/key:Key", "alerts-us-east-1", {}), provider: east.urn };
    const e2 = estimateCost(resultOf([provider, east, key]));
    expect(e2.resources.find((r) => r.name === "alerts-us-east-1")!.region).toBe("us-east-1");
    expect(urnOf("x", "y")).toContain("production");
  });
});

describe("the cost diff a pull request gets", () => {
  test("a bigger database instance shows its delta and the new total", async () => {
    const { costDiff } = await import("../../tools/cost-diff");
    const base = estimateCost(resultOf(small));
    const bigger = small.map((r) =>
      r.name === "database" ? { ...r, inputs: { ...r.inputs, instanceClass: "db.t4g.small" } } : r,
    );
    const head = estimateCost(resultOf(bigger));
    // db.t4g.small Multi-AZ: (0.035 − 0.017) × 2 × 730 = +$26.28
    expect(costDiff(base, head)).toBe(
      [
        "### production: $103.35 → $129.63 a month (+$26.28)",
        "",
        "| resource | type | before | after | change |",
        "|---|---|---:|---:|---:|",
        "| database | `aws:rds/instance:Instance` | $29.90 | $56.18 | +$26.28 |",
      ].join("\n"),
    );
  });

  test("no change says so", async () => {
    const { costDiff } = await import("../../tools/cost-diff");
    const e = estimateCost(resultOf(small));
    expect(costDiff(e, e)).toBe("### production: $103.35 → $103.35 a month (+$0.00)\n\nNo change in cost.");
  });
});

describe("a stack file's costAssumptions", () => {
  test("override the defaults key by key for --format cost", () => {
    const dir = tempDir("cost-assumptions");
    copyFileSync(join(FIXTURE_STACKS, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    const staging = readFileSync(join(FIXTURE_STACKS, "Pulumi.staging.yaml"), "utf8");
    writeFileSync(join(dir, "Pulumi.staging.yaml"), `${staging}  saas-platform:costAssumptions:\n    natDataGb: 2\n`);
    // Staging's own default (a tenth of an LCU) stays unless the file sets it too.
    expect(assumptionsOf(dir, "staging")).toEqual({ ...DEFAULT_ASSUMPTIONS, loadBalancerLcu: 0.1, natDataGb: 2 });
    expect(assumptionsOf(FIXTURE_STACKS, "staging")).toEqual({ ...DEFAULT_ASSUMPTIONS, loadBalancerLcu: 0.1 });
    expect(assumptionsOf(FIXTURE_STACKS, "production")).toEqual(DEFAULT_ASSUMPTIONS);
  });

  test("default by environment, read from the stack's resources when no file is given", () => {
    expect(defaultAssumptions("staging").loadBalancerLcu).toBe(0.1);
    expect(defaultAssumptions("production")).toEqual(DEFAULT_ASSUMPTIONS);
    expect(defaultAssumptions(undefined)).toEqual(DEFAULT_ASSUMPTIONS);
    const tagged = (environment: string) =>
      ({
        urn: "urn:pulumi:s::p::pulumi:providers:aws::aws",
        type: "pulumi:providers:aws",
        name: "aws",
        custom: true,
        inputs: { defaultTags: JSON.stringify({ tags: { Environment: environment } }) },
        secretInputs: [],
        options: {},
        dependencies: [],
        propertyDependencies: {},
      }) as const;
    expect(environmentOf([tagged("staging")])).toBe("staging");
    expect(environmentOf([])).toBeUndefined();
  });
});
