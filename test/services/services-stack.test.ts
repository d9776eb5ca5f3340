import { join } from "node:path";
import type { SynthResult } from "../../synth/synth";
import { API_CONTEXT, ofType, resource, synthConfig, variant, previewConfig } from "../helpers/synth";

const T = {
  alb: "aws:lb/loadBalancer:LoadBalancer",
  cluster: "aws:ecs/cluster:Cluster",
  service: "aws:ecs/service:Service",
  rule: "aws:lb/listenerRule:ListenerRule",
  listenerCertificate: "aws:lb/listenerCertificate:ListenerCertificate",
  tg: "aws:lb/targetGroup:TargetGroup",
  taskDef: "aws:ecs/taskDefinition:TaskDefinition",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  record: "cloudflare:index/dnsRecord:DnsRecord",
  certificate: "aws:acm/certificate:Certificate",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  scheduledAction: "aws:appautoscaling/scheduledAction:ScheduledAction",
} as const;

const AI = {
  kind: "http",
  build: { context: API_CONTEXT },
  port: 8000,
  command: ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8000"],
  secrets: { DATABASE_URL: "database.url", OPENAI_API_KEY: "appSecrets.openai" },
};
const SECRET_VALUE = "sk-test-never-in-plain-text";

/** A stack file of the test app with a second HTTP service; `appSecrets` set as --secret would set it. */
function withAi(base: "staging" | "production", more: Record<string, unknown> = {}) {
  const file = variant(base, { services: { ai: AI, ...more }, appSecrets: { openai: SECRET_VALUE } });
  return { ...file, secretKeys: [...file.secretKeys, "saas-platform:appSecrets"] };
}

describe.each(["staging", "production"] as const)("a second HTTP service in %s", (stack) => {
  let before: SynthResult;
  let after: SynthResult;
  beforeAll(async () => {
    before = await synthConfig(variant(stack, {}));
    after = await synthConfig(withAi(stack));
  });

  test("adds no load balancer and no cluster, and one ECS service on the API's cluster", () => {
    expect(ofType(after, T.alb)).toHaveLength(ofType(before, T.alb).length);
    expect(ofType(after, T.cluster)).toHaveLength(ofType(before, T.cluster).length);
    expect(
      ofType(after, T.service)
        .map((s) => s.name)
        .sort(),
    ).toEqual(["ai", "api"]);
    const cluster = resource(after, T.cluster, "api-cluster");
    expect(resource(after, T.service, "ai").inputs["cluster"]).toBe(cluster.state!["arn"]);
  });

  test("a host-header rule on the API's HTTPS listener forwards its host to its own target group", () => {
    const host = stack === "production" ? "ai.acme-app.com" : "ai-staging.acme-app.com";
    const rule = resource(after, T.rule, "ai-route");
    const listener = resource(after, "aws:lb/listener:Listener", "api-https");
    expect(rule.inputs).toMatchObject({
      listenerArn: listener.state!["arn"],
      priority: 49991,
      conditions: [{ hostHeader: { values: [host] } }],
      actions: [{ type: "forward", targetGroupArn: resource(after, T.tg, "ai-tg").state!["arn"] }],
    });
    // The listener's own certificate covers the name: none is added, and the DNS zone's certificate lists it.
    expect(ofType(after, T.listenerCertificate)).toEqual([]);
    expect(resource(after, T.certificate, "dns-api-certificate").inputs["subjectAlternativeNames"]).toEqual([host]);
    expect(ofType(after, T.record).map((r) => r.inputs["name"])).toContain(host);
    expect(resource(after, T.tg, "ai-tg").inputs).toMatchObject({ port: 8000, healthCheck: { path: "/health" } });
  });

  test("its secrets come by reference: the database's URL secret and appSecrets.openai in Secrets Manager, never in plain text", () => {
    const definitions = JSON.parse(String(resource(after, T.taskDef, "ai-task").inputs["containerDefinitions"])) as [
      { secrets: { name: string; valueFrom: string }[]; command: string[]; environment: { name: string }[] },
    ];
    const [container] = definitions;
    const databaseSecret = ofType(after, T.secretVersion).find((v) => v.name === "database-url");
    const openai = resource(after, T.secretVersion, "app-secret-openai");
    expect(container.secrets).toEqual([
      { name: "DATABASE_URL", valueFrom: databaseSecret?.state?.["arn"] },
      { name: "OPENAI_API_KEY", valueFrom: openai.state!["arn"] },
    ]);
    expect(container.command).toEqual(AI.command);
    expect(resource(after, T.secret, "app-secret-openai").inputs["kmsKeyId"]).toBeDefined();
    expect(JSON.stringify(after.resources.filter((r) => r.name !== "app-secret-openai"))).not.toContain(SECRET_VALUE);
  });

  test("it reaches the database it reads, and not the cache it does not", () => {
    expect(ofType(after, T.ingress).map((r) => r.name)).toContain("ai-to-database-ingress");
    expect(ofType(after, T.ingress).map((r) => r.name)).not.toContain("ai-to-cache-ingress");
    expect(ofType(after, T.egress).map((r) => r.name)).toEqual(expect.arrayContaining(["ai-to-database"]));
  });

  test("it has the API's alarms under its own names", () => {
    const names = ofType(after, T.alarm).map((a) => a.name);
    for (const alarm of [
      "latency-p50",
      "latency-p99",
      "5xx-rate",
      "unhealthy-hosts",
      "healthy-tasks-below-minimum",
      "cpu",
      "memory",
    ]) {
      expect(names).toContain(`monitoring-ai-${alarm}`);
    }
  });

  test("the API keeps every resource it had", () => {
    const urns = (r: SynthResult) => r.resources.map((x) => `${x.type}::${x.name}`);
    const added = new Set(urns(after));
    expect(urns(before).filter((u) => !added.has(u))).toEqual([]);
  });
});

test("production checks the service's public health URL from Route 53", async () => {
  const result = await synthConfig(withAi("production"));
  expect(resource(result, T.healthCheck, "monitoring-uptime-ai").inputs).toMatchObject({
    fqdn: "ai.acme-app.com",
    resourcePath: "/health",
  });
});

test("staging's office hours put the second service to sleep with the API", async () => {
  const result = await synthConfig(withAi("staging"));
  expect(ofType(result, T.scheduledAction).map((a) => a.name)).toEqual(
    expect.arrayContaining(["office-hours-ai-sleep", "office-hours-ai-wake"]),
  );
});

test("a preview's second service joins staging's listener with its own host and priority, adding no certificate", async () => {
  const result = await synthConfig({
    ...previewConfig(42, { services: { ai: { ...AI, secrets: { DATABASE_URL: "database.url" } } } }),
  });
  const rule = resource(result, T.rule, "ai-route");
  expect(rule.inputs).toMatchObject({
    priority: 30000 + 41 * 9 + 1,
    conditions: [{ hostHeader: { values: ["ai-pr-42.acme-app.com"] } }],
  });
  expect(ofType(result, T.listenerCertificate).map((c) => c.name)).toEqual(["api-certificate"]);
  expect(resource(result, T.rule, "api-route").inputs["priority"]).toBe(42);
  expect(ofType(result, T.alb)).toEqual([]);
  expect(ofType(result, T.cluster)).toEqual([]);
});

test("production's dashboard gets a row for the service after the API's and the data tiers' widgets", async () => {
  const before = await synthConfig(variant("production", {}));
  const after = await synthConfig(withAi("production"));
  const body = (r: SynthResult) =>
    JSON.parse(
      String(resource(r, "aws:cloudwatch/dashboard:Dashboard", "monitoring-dashboard").inputs["dashboardBody"]),
    ) as {
      widgets: { properties: { title: string } }[];
    };
  const titles = body(after).widgets.map((w) => w.properties.title);
  const kept = body(before).widgets.map((w) => w.properties.title);
  expect(titles.slice(0, kept.length)).toEqual(kept);
  expect(titles.slice(kept.length)).toEqual(["ai latency (s)", "ai 5xx rate (%)", "ai CPU / memory (%)"]);
});

test("dev runs the second service as a container on the dev network, on a host port of its own, with the local URLs", async () => {
  const file = variant("dev", {
    services: { ai: { ...AI, port: 8080 } },
    appSecrets: { openai: SECRET_VALUE },
  });
  const result = await synthConfig({ ...file, secretKeys: [...file.secretKeys, "saas-platform:appSecrets"] });
  const container = resource(result, "docker:index/container:Container", "ai");
  expect(container.inputs).toMatchObject({
    ports: [{ internal: 8080, external: 8081, ip: "127.0.0.1" }],
    networksAdvanced: [{ aliases: ["ai"] }],
    command: AI.command,
  });
  expect(result.outputs["services"]).toMatchObject({
    ai: { kind: "http", url: "http://127.0.0.1:8081", healthUrl: "http://127.0.0.1:8081/health" },
  });
  // The local URLs and the app secret are passed as secrets: the record shows them only as such.
  expect(container.inputs["envs"]).toEqual(["ENV=dev", "PORT=8080", "[secret]", "[secret]"]);
  expect(JSON.stringify(result.resources)).not.toContain(SECRET_VALUE);
});

describe("the reference shape: the API, a second HTTP service, a worker and a nightly job", () => {
  const services = {
    ai: { ...AI, migration: { command: ["alembic", "upgrade", "head"] } },
    worker: {
      kind: "worker",
      build: { context: API_CONTEXT },
      command: ["node", "worker.js"],
      secrets: { REDIS_URL: "cache.url" },
    },
    nightly: {
      kind: "cron",
      build: { context: API_CONTEXT },
      command: ["node", "nightly.js"],
      schedule: "cron(30 8 ? * MON-FRI *)",
      secrets: { DATABASE_URL: "database.url" },
    },
  };
  test.each(["staging", "production"] as const)(
    "%s: one load balancer and cluster, a rule per HTTP host, alarms, schedule, gates",
    async (stack) => {
      const file = variant(stack, { services, appSecrets: { openai: SECRET_VALUE } });
      const result = await synthConfig({ ...file, secretKeys: [...file.secretKeys, "saas-platform:appSecrets"] });
      expect(ofType(result, T.alb)).toHaveLength(1);
      expect(ofType(result, T.cluster)).toHaveLength(1);
      expect(ofType(result, T.rule).map((r) => r.name)).toEqual(["ai-route"]);
      expect(
        ofType(result, T.service)
          .map((s) => s.name)
          .sort(),
      ).toEqual(["ai", "api", "worker"]);
      const alarms = ofType(result, T.alarm).map((a) => a.name);
      expect(alarms).toEqual(
        expect.arrayContaining([
          "monitoring-api-5xx-rate",
          "monitoring-ai-5xx-rate",
          "monitoring-worker-cpu",
          "nightly-failed",
        ]),
      );
      expect(resource(result, "aws:scheduler/schedule:Schedule", "nightly-schedule").inputs).toMatchObject({
        scheduleExpression: "cron(30 8 ? * MON-FRI *)",
      });
      const dynamic = ofType(result, "pulumi-nodejs:dynamic:Resource")
        .map((x) => x.name)
        .sort();
      expect(dynamic).toEqual(["ai-migration", "ai-release", "api-database-iam-user", "api-release", "worker-release"]);
      // The second service's release waits for its migration.
      const migration = resource(result, "pulumi-nodejs:dynamic:Resource", "ai-migration");
      expect(resource(result, T.service, "ai").dependencies).toContain(migration.urn);
    },
  );

  test("dev: a container per service, the cron's created but not started", async () => {
    // A migration gates cloud releases only (dev refuses it).
    const file = variant("dev", { services: { ...services, ai: AI }, appSecrets: { openai: SECRET_VALUE } });
    const result = await synthConfig({ ...file, secretKeys: [...file.secretKeys, "saas-platform:appSecrets"] });
    const containers = ofType(result, "docker:index/container:Container");
    expect(containers.map((c) => c.name).sort()).toEqual(["ai", "api", "cache", "database", "nightly", "worker"]);
    expect(resource(result, "docker:index/container:Container", "nightly").inputs["start"]).toBe(false);
  });
});

test("on a plan that tests the host, production's rate limits cover the second service's names too", async () => {
  const dns = JSON.parse(variant("production", {}).config["saas-platform:dns"]!) as object;
  const file = withAi("production");
  const result = await synthConfig({
    ...file,
    config: { ...file.config, "saas-platform:dns": JSON.stringify({ ...dns, plan: "pro" }) },
  });
  const ruleset = resource(result, "cloudflare:index/ruleset:Ruleset", "dns-rate-limits");
  const expressions = (ruleset.inputs["rules"] as { expression: string }[]).map((r) => r.expression);
  for (const expression of expressions) {
    expect(expression).toContain('starts_with(http.host, "api.") or starts_with(http.host, "api-")');
    expect(expression).toContain('starts_with(http.host, "ai.") or starts_with(http.host, "ai-")');
  }
});

test("dev hot reload: the service's sources bind-mounted read-only at an absolute host path, with its own command", async () => {
  const result = await synthConfig(
    variant("dev", {
      services: {
        ai: {
          kind: "http",
          build: { context: API_CONTEXT },
          port: 8000,
          command: ["uvicorn", "main:app", "--reload"],
          mount: { hostPath: API_CONTEXT, containerPath: "/app" },
        },
      },
    }),
  );
  expect(resource(result, "docker:index/container:Container", "ai").inputs).toMatchObject({
    command: ["uvicorn", "main:app", "--reload"],
    volumes: [{ hostPath: join(process.cwd(), API_CONTEXT), containerPath: "/app", readOnly: true }],
  });
});

test("a worker scaling on a queue may consume that queue, and only that one", async () => {
  const result = await synthConfig(
    variant("staging", {
      monitoring: { containerInsights: true },
      services: {
        worker: {
          kind: "worker",
          build: { context: API_CONTEXT },
          maxTasks: 4,
          queue: { name: "acme-jobs", messagesPerTask: 50 },
        },
      },
    }),
  );
  const policy = JSON.parse(
    String(resource(result, "aws:iam/rolePolicy:RolePolicy", "worker-task").inputs["policy"]),
  ) as {
    Statement: { Action: string[]; Resource: string[] }[];
  };
  expect(policy.Statement).toEqual([
    {
      Effect: "Allow",
      Action: [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
      ],
      Resource: ["arn:aws:sqs:eu-west-1:123456789012:acme-jobs"],
    },
  ]);
  expect(ofType(result, "aws:appautoscaling/policy:Policy").map((p) => p.name)).toContain("worker-queue");
});

describe("readiness of workers and scheduled jobs", () => {
  let result: SynthResult;
  beforeAll(async () => {
    result = await synthConfig(
      variant("staging", {
        services: {
          worker: { kind: "worker", build: { context: API_CONTEXT }, secrets: { REDIS_URL: "cache.url" } },
          nightly: {
            kind: "cron",
            build: { context: API_CONTEXT },
            schedule: "cron(30 8 ? * MON-FRI *)",
            secrets: { DATABASE_URL: "database.url" },
          },
        },
      }),
    );
  });
  const urn = (type: string, name: string) => resource(result, type, name).urn;

  test("a worker's tasks start after its HTTPS egress and both rules of its path to the cache", () => {
    expect(resource(result, T.service, "worker").dependencies).toEqual(
      expect.arrayContaining([
        urn(T.egress, "worker-service-https"),
        urn(T.egress, "worker-to-cache"),
        urn(T.ingress, "worker-to-cache-ingress"),
      ]),
    );
  });

  test("a job's schedule starts after its HTTPS egress and both rules of its path to the database", () => {
    expect(resource(result, "aws:scheduler/schedule:Schedule", "nightly-schedule").dependencies).toEqual(
      expect.arrayContaining([
        urn(T.egress, "nightly-https"),
        urn(T.egress, "nightly-to-database"),
        urn(T.ingress, "nightly-to-database-ingress"),
      ]),
    );
  });

  test("office hours switch the job's failure alarm with the others, and an up at night leaves it alone", () => {
    expect(resource(result, T.alarm, "nightly-failed").options.ignoreChanges).toEqual(["actionsEnabled"]);
    const alarmsOff = resource(result, "aws:scheduler/schedule:Schedule", "office-hours-alarms-off");
    expect(JSON.stringify(alarmsOff.inputs)).toContain("nightly-failed");
  });
});
