// Physical names: the scope they start with, the limits they are cut to, and the exact names a cut produces (a change
// to any of them renames, i.e. replaces, every deployed resource whose name went through it).
import {
  localName,
  NAME_LIMITS,
  namingScope,
  physicalName,
  useNamePrefix,
  type NameKind,
} from "../../components/naming";
import { recordProgram } from "../../synth/synth";

const TEST_STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };

describe("the naming scope", () => {
  afterEach(() => useNamePrefix(undefined));

  test("names start with the app's prefix once set, and with the Pulumi project again after undefined", async () => {
    const seen: Record<string, unknown> = {};
    await recordProgram(TEST_STACK, async () => {
      seen["before"] = namingScope();
      seen["localBefore"] = localName("db");
      useNamePrefix("acme");
      seen["with"] = namingScope();
      seen["localWith"] = localName("db");
      useNamePrefix(undefined);
      seen["after"] = namingScope();
      return {};
    });
    expect(seen).toEqual({
      before: { project: "saas-platform", stack: "test" },
      localBefore: "saas-platform-test-db",
      with: { project: "acme", stack: "test" },
      localWith: "acme-test-db",
      after: { project: "saas-platform", stack: "test" },
    });
  });
});

describe("NAME_LIMITS", () => {
  // The longest name each API accepts:
  // ELBv2 CreateLoadBalancer / CreateTargetGroup / CreateTrustStore `Name`: at most 32 characters;
  // RDS DBInstanceIdentifier 1-63; DBParameterGroupName 1-255; ElastiCache ReplicationGroupId 1-40;
  // S3 bucket names 3-63; IAM RoleName 1-64; CloudWatch Logs logGroupName 1-512; ECR repositoryName 2-256;
  // ECS clusterName up to 255; EventBridge Scheduler group and schedule names 1-64; Step Functions CreateStateMachine
  // `name` 1-80 (cited in components/naming.ts).
  test("hold each AWS API's documented maximum name length", () => {
    expect(NAME_LIMITS).toEqual({
      loadBalancer: 32,
      targetGroup: 32,
      trustStore: 32,
      rdsInstance: 63,
      rdsParameterGroup: 255,
      elasticacheReplicationGroup: 40,
      s3Bucket: 63,
      iamRole: 64,
      logGroup: 512,
      ecrRepository: 256,
      ecsCluster: 255,
      schedulerGroup: 64,
      schedulerSchedule: 64,
      stateMachine: 80,
      generic: 255,
    });
  });

  // "acme-prod-" is 10 characters: a name of `limit - 10` makes the full name exactly the limit.
  const scope = { project: "acme", stack: "prod" };
  test.each(Object.entries(NAME_LIMITS))(
    "%s: a name exactly at the limit (%i) is kept whole, one character more is cut to the limit with a hash",
    (kind, limit) => {
      const fits = physicalName(scope, "x".repeat(limit - 10), kind as NameKind);
      expect(fits).toBe(`acme-prod-${"x".repeat(limit - 10)}`);
      expect(fits).toHaveLength(limit);

      const cut = physicalName(scope, "x".repeat(limit - 9), kind as NameKind);
      expect(cut).toHaveLength(limit);
      expect(cut).toMatch(/^acme-prod-x+-[0-9a-f]{7}$/);
    },
  );

  test("without a kind, the generic limit of 255 applies", () => {
    expect(physicalName(scope, "x".repeat(245))).toBe(`acme-prod-${"x".repeat(245)}`);
    expect(physicalName(scope, "x".repeat(246))).toMatch(/^acme-prod-x{237}-[0-9a-f]{7}$/);
  });
});

describe("physicalName when the full name fits", () => {
  const scope = { project: "saas-platform", stack: "production" };

  test("is project-stack-name, unchanged and without a hash", () => {
    expect(physicalName(scope, "api-load-balancer", "generic")).toBe("saas-platform-production-api-load-balancer");
  });

  test("lowercases, turns every run of other characters into one hyphen, and trims hyphens at the ends", () => {
    expect(physicalName(scope, "Api -Service_")).toBe("saas-platform-production-api-service");
    expect(physicalName(scope, "_api_")).toBe("saas-platform-production-api");
    expect(physicalName({ project: "Saas.Platform", stack: "PR_42" }, "a--b")).toBe("saas-platform-pr-42-a-b");
  });

  test("a part that sanitises to nothing leaves no stray hyphen", () => {
    expect(physicalName(scope, "__")).toBe("saas-platform-production");
    expect(physicalName({ project: "", stack: "production" }, "api")).toBe("production-api");
  });
});

describe("physicalName when the full name is too long", () => {
  test.each<[string, { project: string; stack: string }, string, string]>([
    // The stack and at least half the room for the name; the project goes first.
    [
      "the project is dropped",
      { project: "saas-platform", stack: "production" },
      "api-load-balancer",
      "production-api-load-bal-d74dab5",
    ],
    // The project keeps what is left, without the hyphen its cut ended on ("saas-").
    [
      "the project is cut",
      { project: "saas-platform", stack: "pr-42" },
      "api-load-balancer",
      "saas-pr-42-api-load-bal-ed984cd",
    ],
    // Short scope: the name takes all the room the project and stack leave, more than half.
    [
      "the name takes the free room",
      { project: "acme", stack: "dev" },
      "api-load-balancer-public",
      "acme-dev-api-load-balanc-afd290a",
    ],
    // The stack itself is cut ("production-"), so nothing is left for the project.
    [
      "the stack is cut",
      { project: "saas-platform", stack: "production-eu" },
      "api-load-balancer-public-facing",
      "production-api-load-bal-e48c1d8",
    ],
    // An empty stack takes no separator: the project gets that character.
    [
      "the stack is empty",
      { project: "saas-platform", stack: "" },
      "api-load-balancer-public-facing",
      "saas-platfo-api-load-bal-1a78c37",
    ],
  ])("%s: the load balancer's name is exactly as before (no rename)", (_what, scope, name, expected) => {
    expect(physicalName(scope, name, "loadBalancer")).toBe(expected);
  });

  test("never exceeds the limit, never doubles or ends a part with a hyphen", () => {
    for (const stack of ["production", "pr-42", "pr-12345", "staging-eu-west-1"]) {
      for (const name of ["api-load-balancer", "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p", "worker-" + "x".repeat(40)]) {
        const cut = physicalName({ project: "saas-platform", stack }, name, "loadBalancer");
        expect(cut.length).toBeLessThanOrEqual(32);
        expect(cut).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*-[0-9a-f]{7}$/);
      }
    }
  });

  test("the hash is of the sanitised full name: spellings that sanitise alike get one name", () => {
    const scope = { project: "saas-platform", stack: "production" };
    expect(physicalName(scope, "API_Load_Balancer", "loadBalancer")).toBe("production-api-load-bal-d74dab5");
  });
});
