import { NAME_LIMITS, physicalName } from "../components/naming";
import { STANDARD_TAG_KEYS, standardTags } from "../infra/tags";

const scope = { project: "saas-platform", stack: "production" };

describe("physicalName", () => {
  test("is project-stack-name when it fits", () => {
    expect(physicalName(scope, "api")).toBe("saas-platform-production-api");
  });

  test("lowercases and replaces characters providers reject", () => {
    expect(physicalName({ project: "Saas_Platform", stack: "PR 42" }, "Api.Service")).toBe(
      "saas-platform-pr-42-api-service",
    );
  });

  test.each(Object.entries(NAME_LIMITS))("a long name is cut to the %s limit (%i)", (kind, limit) => {
    const name = physicalName(scope, "x".repeat(600), kind as keyof typeof NAME_LIMITS);
    expect(name.length).toBeLessThanOrEqual(limit);
    expect(name).toMatch(/^([a-z-]+-)?production-x{12,}-[0-9a-f]{7}$/);
  });

  test("a tight limit keeps the stack and most of the name, dropping the project first", () => {
    expect(physicalName(scope, "api-load-balancer", "loadBalancer")).toMatch(/^production-api-load-bal-[0-9a-f]{7}$/);
    expect(physicalName({ project: "saas-platform", stack: "pr-42" }, "api-load-balancer", "loadBalancer")).toMatch(
      /^saas-pr-42-api-load-bal-[0-9a-f]{7}$/,
    );
  });

  test("cut names stay distinct and stable", () => {
    const a = physicalName(scope, "api-load-balancer-public", "loadBalancer");
    const b = physicalName(scope, "api-load-balancer-internal", "loadBalancer");
    expect(a.length).toBeLessThanOrEqual(32);
    expect(a).not.toBe(b);
    expect(physicalName(scope, "api-load-balancer-public", "loadBalancer")).toBe(a);
  });

  test("a cut name never ends the head with a hyphen", () => {
    const name = physicalName(scope, "ab-cdefgh", "loadBalancer");
    expect(name).not.toMatch(/--/);
  });
});

describe("tags", () => {
  test("the standard tags name the project, stack, environment and Pulumi", () => {
    expect(standardTags({ ...scope, environment: "production" })).toEqual({
      Project: "saas-platform",
      Stack: "production",
      Environment: "production",
      ManagedBy: "pulumi",
    });
    expect(Object.keys(standardTags({ ...scope, environment: "dev" }))).toEqual([...STANDARD_TAG_KEYS]);
  });
});
