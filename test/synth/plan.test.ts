import { deployPlan, renderPlan, CRITICAL_PATH_ALLOWANCE } from "../../synth/plan";
import { creationTime } from "../../synth/creation-times";
import { CACHED_STACKS, synthStack } from "../helpers/synth";
import { rec, resultOf } from "../policy/deployability-fixtures";

describe.each(CACHED_STACKS)("the deploy plan of %s", (stack) => {
  test("passes every readiness check and keeps the critical path within 10 % of the mandatory chain", async () => {
    const plan = await deployPlan(await synthStack(stack));
    expect(plan.readiness.violations).toEqual([]);
    expect(plan.readiness.rules).toHaveLength(5);
    if (plan.mandatoryChain !== undefined) {
      expect(plan.criticalMinutes).toBeLessThanOrEqual(plan.mandatoryChain.minutes * CRITICAL_PATH_ALLOWANCE);
    }
    // Nothing starts before what it waits for has been created.
    const end = new Map(plan.schedule.map((s) => [s.urn, s.end]));
    const result = await synthStack(stack);
    for (const s of plan.schedule) {
      const r = result.resources.find((x) => x.urn === s.urn)!;
      for (const d of r.dependencies) if (end.has(d)) expect(s.start).toBeGreaterThanOrEqual(end.get(d)!);
    }
  });
});

describe("production's plan", () => {
  let plan: Awaited<ReturnType<typeof deployPlan>>;
  const at = (name: string, type: string) => plan.schedule.find((s) => s.name === name && s.type === type)!;
  beforeAll(async () => {
    plan = await deployPlan(await synthStack("production"));
  });

  test("the mandatory chain runs from the VPC through the Multi-AZ database to the service: 19.5 min by hand", () => {
    // VPC 0.3 + subnet 0.05 + subnet group 0.05 + RDS Multi-AZ 15 + secret version 0.05 + task definition 0.05 +
    // service steady state 4 = 19.5 minutes.
    expect(plan.mandatoryChain!.path.map((s) => s.type)).toEqual([
      "aws:ec2/vpc:Vpc",
      "aws:ec2/subnet:Subnet",
      "aws:rds/subnetGroup:SubnetGroup",
      "aws:rds/instance:Instance",
      "aws:secretsmanager/secretVersion:SecretVersion",
      "aws:ecs/taskDefinition:TaskDefinition",
      "aws:ecs/service:Service",
    ]);
    expect(plan.mandatoryChain!.minutes).toBeCloseTo(19.5, 5);
    expect(plan.criticalMinutes).toBeCloseTo(19.6, 5);
  });

  test("the task definition starts only once both URL secrets have their values", () => {
    const task = at("api-task", "aws:ecs/taskDefinition:TaskDefinition");
    for (const name of ["database-url", "cache-url"]) {
      expect(task.start).toBeGreaterThanOrEqual(at(name, "aws:secretsmanager/secretVersion:SecretVersion").end);
    }
    expect(task.start).toBeGreaterThanOrEqual(at("database", "aws:rds/instance:Instance").end);
  });

  test("the service starts only once its subnets' NAT routes exist", () => {
    const service = at("api", "aws:ecs/service:Service");
    for (const i of [1, 2]) {
      expect(service.start).toBeGreaterThanOrEqual(at(`network-private-default-${i}`, "aws:ec2/route:Route").end);
    }
  });

  test("the text names the chain, the critical path and the readiness checks", () => {
    const text = renderPlan(plan);
    expect(text).toContain("Critical path: 19.6 min");
    expect(text).toContain(
      "network-vpc → network-private-1 → database-subnets → database → database-url → api-task → api",
    );
    expect(text).toContain("the critical path is within 10 % of it (19.6 ≤ 21.5 min)");
    expect(text).toContain("Readiness checks: 5 passed");
  });
});

describe("on graphs built by hand", () => {
  const db = rec("aws:rds/instance:Instance", "db", { multiAz: false });
  const dbUrl = rec("aws:secretsmanager/secretVersion:SecretVersion", "db-url", {}, { deps: [db.urn] });
  const secret = rec("aws:secretsmanager/secret:Secret", "cache-url", {});

  test("a reader of a secret that does not wait for its value fails the readiness checks", async () => {
    const version = rec(
      "aws:secretsmanager/secretVersion:SecretVersion",
      "cache-url",
      {},
      {
        inputsFrom: { secretId: [secret.urn] },
      },
    );
    const task = rec(
      "aws:ecs/taskDefinition:TaskDefinition",
      "api",
      {},
      {
        inputsFrom: { containerDefinitions: [secret.urn] },
      },
    );
    const plan = await deployPlan(resultOf([secret, version, task]));
    expect(plan.readiness.violations.map((v) => v.policy)).toEqual(["secret-readers-wait-for-value"]);
    expect(renderPlan(plan)).toContain("Readiness checks: 1 failed");
  });

  test("a service held up by something slower than its database is reported as beyond the chain", async () => {
    const cache = rec("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { numCacheClusters: 2 });
    const task = rec("aws:ecs/taskDefinition:TaskDefinition", "api", {}, { deps: [dbUrl.urn, cache.urn] });
    const service = rec("aws:ecs/service:Service", "api", { waitForSteadyState: true }, { deps: [task.urn] });
    const plan = await deployPlan(resultOf([db, dbUrl, cache, task, service]));
    // Chain: RDS 6 + version 0.05 + task 0.05 + service 4; critical: cache 9 + task 0.05 + service 4.
    expect(plan.mandatoryChain!.minutes).toBeCloseTo(10.1, 5);
    expect(plan.criticalMinutes).toBeCloseTo(13.05, 5);
    expect(plan.criticalPath.map((s) => s.name)).toEqual(["cache", "api", "api"]);
    expect(renderPlan(plan)).toContain("the critical path exceeds it by more than 10 % (13.1 > 11.1 min)");
  });

  test("a component's dependency stands for everything inside it", async () => {
    const component = { ...rec("saas-platform:components:X", "x", {}), custom: false };
    const child = { ...rec("aws:rds/instance:Instance", "inner", { multiAz: true }), parent: component.urn };
    const after = rec("aws:ecs/taskDefinition:TaskDefinition", "after", {}, { deps: [component.urn] });
    const plan = await deployPlan(resultOf([component, child, after]));
    expect(plan.schedule.find((s) => s.name === "after")!.start).toBe(15);
  });

  test("creation times: Multi-AZ and restores take longer, and every row cites a source", () => {
    expect(creationTime(rec("aws:rds/instance:Instance", "a", { multiAz: true })).minutes).toBe(15);
    expect(creationTime(rec("aws:rds/instance:Instance", "a", {})).minutes).toBe(6);
    expect(creationTime(rec("aws:rds/instance:Instance", "a", { snapshotIdentifier: "s" })).minutes).toBe(12);
    expect(creationTime(rec("aws:ecs/service:Service", "s", {})).minutes).toBe(0.05);
    expect(creationTime(rec("aws:ecs/service:Service", "s", { waitForSteadyState: true })).source).toContain(
      "ecs/service.go",
    );
  });
});
