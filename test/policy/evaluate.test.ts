import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { evaluate, formatVerdict } from "../../policy/evaluate";
import { rec, urn } from "./rules-fixtures";

const BUCKET = "aws:s3/bucket:Bucket";
const ABSENT = urn(BUCKET, "not-in-the-stack");

const stackPolicy = (
  validateStack: StackValidationPolicy["validateStack"],
  name = "stack-policy",
): StackValidationPolicy => ({ name, description: "d", enforcementLevel: "mandatory", validateStack });
const resourcePolicy = (
  validateResource: ResourceValidationPolicy["validateResource"],
  name = "resource-policy",
): ResourceValidationPolicy => ({ name, description: "d", enforcementLevel: "mandatory", validateResource });

/** The resources a stack policy sees. */
async function seen(records: Parameters<typeof evaluate>[0]): Promise<PolicyResource[]> {
  let resources: PolicyResource[] = [];
  await evaluate(records, [stackPolicy((args) => void (resources = [...args.resources]))]);
  return resources;
}

describe("evaluate: the resources the policies see", () => {
  test("links to resources outside the stack are left out", async () => {
    const [child] = await seen([
      {
        ...rec(BUCKET, "child", {}, { inputsFrom: { policy: [ABSENT] }, provider: ABSENT }),
        parent: ABSENT,
      },
    ]);
    expect(child!.dependencies).toEqual([]);
    expect(child!.propertyDependencies).toEqual({ policy: [] });
    expect("parent" in child!).toBe(false);
    expect("provider" in child!).toBe(false);
  });

  test("links to resources in the stack are resolved", async () => {
    const provider = rec("pulumi:providers:aws", "aws", {});
    const parent = rec(BUCKET, "parent", {});
    const child = {
      ...rec(BUCKET, "child", {}, { inputsFrom: { policy: [parent.urn] }, provider: provider.urn }),
      parent: parent.urn,
    };
    const resources = await seen([provider, parent, child]);
    const c = resources.find((r) => r.name === "child")!;
    expect(c.parent?.urn).toBe(parent.urn);
    expect(c.provider?.urn).toBe(provider.urn);
    expect(c.dependencies.map((d) => d.urn)).toEqual([parent.urn]);
    expect(c.propertyDependencies["policy"]!.map((d) => d.urn)).toEqual([parent.urn]);
  });

  test("policies get the stack tags, an empty config and notApplicable", async () => {
    const got: unknown[] = [];
    await evaluate(
      [rec(BUCKET, "b", {})],
      [
        resourcePolicy((args) => void got.push(args.getConfig(), args.stackTags.size)),
        stackPolicy((args) => void got.push(args.getConfig(), args.stackTags.size)),
      ],
    );
    expect(got).toEqual([{}, 0, {}, 0]);
  });
});

describe("evaluate: reports", () => {
  const records = [rec(BUCKET, "a", {}), rec(BUCKET, "b", {})];

  test("a resource policy's violation is on its resource unless it names another", async () => {
    const violations = await evaluate(records, [
      resourcePolicy((args, report) => (args.name === "a" ? report("on a") : report("elsewhere", ABSENT))),
    ]);
    expect(violations).toStrictEqual([
      { policy: "resource-policy", message: "on a", urn: records[0]!.urn },
      { policy: "resource-policy", message: "elsewhere", urn: ABSENT },
    ]);
  });

  test("a stack policy's violation has a URN only when it gives one", async () => {
    const violations = await evaluate(records, [
      stackPolicy((_args, report) => {
        report("whole stack");
        report("one resource", ABSENT);
      }),
    ]);
    expect(violations).toStrictEqual([
      { policy: "stack-policy", message: "whole stack" },
      { policy: "stack-policy", message: "one resource", urn: ABSENT },
    ]);
  });

  test("a policy without a resource validation reports nothing", async () => {
    const remediationOnly: ResourceValidationPolicy = { name: "r", description: "d", enforcementLevel: "mandatory" };
    expect(await evaluate(records, [remediationOnly])).toEqual([]);
  });

  test("notApplicable skips the resource (resource policy) or the policy (stack policy), not the rest", async () => {
    const violations = await evaluate(records, [
      resourcePolicy((args, report) => {
        if (args.name === "a") args.notApplicable("not for a");
        report("judged");
      }),
      stackPolicy((args, report) => {
        args.notApplicable();
        report("never");
      }),
      stackPolicy((_args, report) => report("after"), "next"),
    ]);
    expect(violations).toStrictEqual([
      { policy: "resource-policy", message: "judged", urn: records[1]!.urn },
      { policy: "next", message: "after" },
    ]);
  });

  test("a policy that throws fails the evaluation", async () => {
    const boom = () => {
      throw new Error("boom");
    };
    await expect(evaluate(records, [resourcePolicy(boom)])).rejects.toThrow("boom");
    await expect(evaluate(records, [stackPolicy(boom)])).rejects.toThrow("boom");
  });
});

describe("formatVerdict", () => {
  const v = (policy: string, message: string) => ({ policy, message });

  test("no violations", () => {
    expect(formatVerdict([], 5)).toBe("Policy pack: 5 rules, no violations\n");
  });

  test("one violation", () => {
    expect(formatVerdict([v("rds-encrypted", "db: encrypt it")], 5)).toBe(
      "Policy pack: 5 rules, 1 mandatory violation:\n  [rds-encrypted] db: encrypt it\n",
    );
  });

  test("two violations", () => {
    expect(formatVerdict([v("a", "one"), v("b", "two")], 5)).toBe(
      "Policy pack: 5 rules, 2 mandatory violations:\n  [a] one\n  [b] two\n",
    );
  });
});
