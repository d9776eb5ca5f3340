import { withDefaults } from "../../components/defaults";
import { resolveRateLimits } from "../../components/dns-zone/plans";
import { awsApiServiceDefaults } from "../../components/api-service/aws-args";

test("an explicit undefined keeps the default; 0 and false still override", () => {
  const defaults = { latencyMs: 200, enabled: true, name: "x" };
  expect(withDefaults(defaults, { latencyMs: undefined, enabled: false })).toEqual({
    latencyMs: 200,
    enabled: false,
    name: "x",
  });
  expect(withDefaults(defaults, { latencyMs: 0 })).toMatchObject({ latencyMs: 0 });
  expect(withDefaults(defaults, undefined)).toEqual(defaults);
});

test("a rate limit given with an undefined period keeps the plan's period", () => {
  const limits = resolveRateLimits("free", { auth: { requests: 3, periodSeconds: undefined as unknown as number } });
  expect(limits.auth).toMatchObject({ requests: 3, periodSeconds: 10 });
});

describe("ApiService's documented defaults (docs/components/api-service.md), resolved from the smallest args", () => {
  test("every default a user relies on when leaving the key out", () => {
    const resolved = awsApiServiceDefaults({
      target: "aws",
      network: {} as never,
      certificateArn: "arn",
      image: { image: "nginx:1" },
    });
    expect(resolved).toMatchObject({
      containerPort: 8080,
      cpu: 512,
      memory: 1024,
      minTasks: 2,
      maxTasks: 4,
      healthCheckPath: "/health",
      capacity: "FARGATE",
      // Container Insights is billed as custom metrics: off unless asked for.
      containerInsights: false,
      publicIpv4: true,
      readonlyRootFilesystem: true,
      logRetentionDays: 30,
      accessLogRetentionDays: 90,
      scheduledScaling: false,
      cpuTargetPercent: 60,
      requestsPerTarget: 1000,
      keepImages: 30,
      protect: false,
    });
  });
});
