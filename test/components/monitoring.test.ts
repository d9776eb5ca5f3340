import { maxConnections, validateMonitoringArgs } from "../../components/monitoring";
import type { RecordedResource } from "../../synth/recorder";
import type { SynthResult } from "../../synth/synth";
import { ofType, resource, synthConfig, useStacks, variant } from "../helpers/synth";

const T = {
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  key: "aws:kms/key:Key",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  budget: "aws:budgets/budget:Budget",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  slack: "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
} as const;

const r = useStacks();
const alarm = (env: string, name: string) => resource(r(env), T.alarm, `monitoring-${name}`);
const topicArn = (env: string, name: string) => String(resource(r(env), T.topic, `monitoring-${name}`).state!["arn"]);

/** What each watched resource must be alarmed on: metric, statistic, threshold, period and priority. */
const EXPECTED: Array<[string, Record<string, unknown>, string]> = [
  [
    "api-latency-p50",
    {
      namespace: "AWS/ApplicationELB",
      metricName: "TargetResponseTime",
      extendedStatistic: "p50",
      threshold: 0.2,
      period: 60,
      comparisonOperator: "GreaterThanThreshold",
    },
    "P2",
  ],
  [
    "api-latency-p99",
    {
      namespace: "AWS/ApplicationELB",
      metricName: "TargetResponseTime",
      extendedStatistic: "p99",
      threshold: 1,
      period: 60,
    },
    "P1",
  ],
  [
    "api-5xx-rate",
    { threshold: 1, comparisonOperator: "GreaterThanThreshold", treatMissingData: "notBreaching" },
    "P0",
  ],
  [
    "api-unhealthy-hosts",
    {
      metricName: "UnHealthyHostCount",
      statistic: "Maximum",
      threshold: 0,
      period: 60,
      comparisonOperator: "GreaterThanThreshold",
    },
    "P1",
  ],
  [
    "api-healthy-tasks-below-minimum",
    {
      // Free with the load balancer; Container Insights' task counts would cost ~$6 a month.
      namespace: "AWS/ApplicationELB",
      metricName: "HealthyHostCount",
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    },
    "P0",
  ],
  [
    "api-cpu",
    { namespace: "AWS/ECS", metricName: "CPUUtilization", statistic: "Average", threshold: 80, period: 300 },
    "P2",
  ],
  [
    "api-memory",
    { namespace: "AWS/ECS", metricName: "MemoryUtilization", statistic: "Average", threshold: 80, period: 300 },
    "P2",
  ],
  [
    "db-cpu",
    { namespace: "AWS/RDS", metricName: "CPUUtilization", statistic: "Average", threshold: 80, period: 300 },
    "P2",
  ],
  [
    "db-free-storage",
    {
      namespace: "AWS/RDS",
      metricName: "FreeStorageSpace",
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
    },
    "P1",
  ],
  [
    "db-freeable-memory",
    {
      metricName: "FreeableMemory",
      statistic: "Minimum",
      threshold: 256 * 1024 ** 2,
      comparisonOperator: "LessThanThreshold",
    },
    "P2",
  ],
  [
    "db-connections",
    { metricName: "DatabaseConnections", statistic: "Maximum", comparisonOperator: "GreaterThanThreshold" },
    "P1",
  ],
  ["cache-1-cpu", { namespace: "AWS/ElastiCache", metricName: "EngineCPUUtilization", threshold: 80 }, "P2"],
  [
    "cache-1-memory",
    { namespace: "AWS/ElastiCache", metricName: "DatabaseMemoryUsagePercentage", threshold: 80 },
    "P2",
  ],
  [
    "cache-1-evictions",
    { namespace: "AWS/ElastiCache", metricName: "Evictions", statistic: "Sum", threshold: 0 },
    "P3",
  ],
  [
    "uptime-api",
    {
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      statistic: "Minimum",
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    },
    "P0",
  ],
  ["uptime-web", { namespace: "AWS/Route53", metricName: "HealthCheckStatus", treatMissingData: "breaching" }, "P0"],
];

/** Uptime checks are in production (both sizes) and staging's large size only: ~$2.75 a month each. */
const envsOf = (name: string) =>
  name.startsWith("uptime-") ? ["production", "production-large"] : ["production", "staging"];

describe.each(EXPECTED)("the %s alarm", (name, properties, priority) => {
  test.each(envsOf(name))(`exists in %s with its metric, statistic and threshold (${priority})`, (env) => {
    const a = alarm(env, name);
    expect(a.inputs).toMatchObject(properties);
    expect((a.inputs["tags"] as Record<string, string>)["Priority"]).toBe(priority);
    expect(String(a.inputs["alarmDescription"])).toMatch(
      new RegExp(`^\\[${priority}\\] .*runbook: docs/runbooks/incident-response.md#monitoring-${name}\\)$`),
    );
  });

  test("production pages for P0/P1 and notifies otherwise; staging only notifies; OK actions match", () => {
    const suffix = name.startsWith("uptime-") ? "-us-east-1" : "";
    const paging = priority === "P0" || priority === "P1";
    const prod = alarm("production", name);
    const expected = [topicArn("production", `${paging ? "page" : "notify"}${suffix}`)];
    expect(prod.inputs["alarmActions"]).toEqual(expected);
    expect(prod.inputs["okActions"]).toEqual(expected);
    if (!envsOf(name).includes("staging")) {
      expect(ofType(r("staging"), T.alarm).filter((a) => a.name === `monitoring-${name}`)).toEqual([]);
      return;
    }
    const staging = alarm("staging", name);
    expect(staging.inputs["alarmActions"]).toEqual([topicArn("staging", `notify${suffix}`)]);
    expect(staging.inputs["okActions"]).toEqual([topicArn("staging", `notify${suffix}`)]);
  });
});

describe("alarms are derived from the watched components", () => {
  test("the API alarms use the load balancer's and target group's dimensions, and the service's", () => {
    const alb = resource(r("production"), "aws:lb/loadBalancer:LoadBalancer", "api-alb").state!;
    const tg = resource(r("production"), "aws:lb/targetGroup:TargetGroup", "api-tg").state!;
    expect(alarm("production", "api-latency-p99").inputs["dimensions"]).toEqual({
      LoadBalancer: alb["arnSuffix"],
      TargetGroup: tg["arnSuffix"],
    });
    expect(alarm("production", "api-cpu").inputs["dimensions"]).toEqual({
      ClusterName: r("production").outputs["apiClusterName"],
      ServiceName: r("production").outputs["apiServiceName"],
    });
  });

  test("the 5xx rate is metric math over target and ELB 5xx and the request count", () => {
    const queries = alarm("production", "api-5xx-rate").inputs["metricQueries"] as Array<{
      id: string;
      expression?: string;
      metric?: { metricName: string; stat: string };
    }>;
    expect(queries.map((q) => q.metric?.metricName ?? q.expression)).toEqual([
      "HTTPCode_Target_5XX_Count",
      "HTTPCode_ELB_5XX_Count",
      "RequestCount",
      "IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)",
    ]);
    for (const q of queries.slice(0, 3)) expect(q.metric!.stat).toBe("Sum");
  });

  test("database thresholds follow its size: 10 % of allocated storage, 80 % of max_connections", () => {
    expect(alarm("production-large", "db-free-storage").inputs["threshold"]).toBe(Math.round(100 * 1024 ** 3 * 0.1));
    expect(alarm("production", "db-free-storage").inputs["threshold"]).toBe(Math.round(20 * 1024 ** 3 * 0.1));
    expect(alarm("production-large", "db-connections").inputs["threshold"]).toBe(
      Math.floor(maxConnections("db.m7g.large")! * 0.8),
    );
    expect(alarm("staging", "db-connections").inputs["threshold"]).toBe(
      Math.floor(maxConnections("db.t4g.micro")! * 0.8),
    );
    expect(alarm("production", "db-cpu").inputs["dimensions"]).toEqual({
      DBInstanceIdentifier: "saas-platform-production-database",
    });
  });

  test("every cache node has its alarms: two in production (primary + replica), one in staging", () => {
    const cacheAlarms = (env: string) =>
      ofType(r(env), T.alarm).filter((a) => a.name.startsWith("monitoring-cache-")).length;
    expect(cacheAlarms("production")).toBe(6);
    expect(cacheAlarms("staging")).toBe(3);
    expect(alarm("production", "cache-2-cpu").inputs["dimensions"]).toEqual({
      CacheClusterId: "saas-platform-production-cache-002",
    });
  });
});

describe("uptime", () => {
  test("checks /health of the API and the web app over HTTPS every 30 s, failing after 3", () => {
    const checks = ofType(r("production"), T.healthCheck).map((c) => c.inputs);
    expect(checks).toEqual([
      expect.objectContaining({
        type: "HTTPS",
        fqdn: "api.acme-app.com",
        resourcePath: "/health",
        port: 443,
        requestInterval: 30,
        failureThreshold: 3,
      }),
      expect.objectContaining({
        type: "HTTPS",
        fqdn: "acme-app.com",
        resourcePath: "/",
        requestInterval: 30,
        failureThreshold: 3,
      }),
    ]);
  });

  test("alarms and their topics live in us-east-1 through the explicit provider", () => {
    const usEast1 = resource(r("production"), "pulumi:providers:aws", "aws-us-east-1");
    for (const name of ["uptime-api", "uptime-web"]) {
      expect(alarm("production", name).provider).toBe(usEast1.urn);
      expect(resource(r("production"), T.healthCheck, `monitoring-${name}`).provider).toBe(usEast1.urn);
    }
    expect(resource(r("production"), T.topic, "monitoring-page-us-east-1").provider).toBe(usEast1.urn);
    expect(alarm("production", "api-cpu").provider).not.toBe(usEast1.urn);
  });
});

describe("notification", () => {
  test("topics are encrypted with a key CloudWatch and Budgets may use, and only they may publish", () => {
    // Production and staging: the stack's logs key (the network's) also encrypts the topics; a preview, which has
    // no network of its own, keeps a key of the bundle's own. The us-east-1 topics have their own key there.
    for (const [stack, keyName] of [
      ["production", "network-flow-logs"],
      ["preview", "monitoring-alerts"],
      ["production", "monitoring-alerts-us-east-1"],
    ] as const) {
      const suffix = keyName.endsWith("us-east-1") ? "-us-east-1" : "";
      const key = resource(r(stack), T.key, keyName);
      for (const name of ["page", "notify"]) {
        expect(resource(r(stack), T.topic, `monitoring-${name}${suffix}`).inputs["kmsMasterKeyId"]).toBe(
          key.state!["arn"],
        );
      }
      const keyPolicy = JSON.parse(String(key.inputs["policy"]));
      expect(keyPolicy.Statement).toContainEqual({
        Sid: "AlarmPublishers",
        Effect: "Allow",
        Principal: { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      });
    }
    expect(ofType(r("production"), T.key).map((k) => k.name)).not.toContain("monitoring-alerts");
    for (const name of ["page", "notify"]) {
      const topic = resource(r("production"), T.topic, `monitoring-${name}`);
      const policy = JSON.parse(
        String(resource(r("production"), T.topicPolicy, `monitoring-${name}`).inputs["policy"]),
      );
      expect(policy.Statement).toEqual([
        expect.objectContaining({
          Action: "sns:Publish",
          Resource: topic.state!["arn"],
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        }),
      ]);
    }
  });

  test("every alert address is subscribed to both topics, and nothing over https", () => {
    const subs = ofType(r("production"), T.subscription).filter((s) => !s.name.includes("us-east-1"));
    expect(
      subs
        .filter((s) => s.inputs["protocol"] === "email")
        .map((s) => s.inputs["endpoint"])
        .sort(),
    ).toEqual(["oncall@acme-app.com", "oncall@acme-app.com", "platform@acme-app.com", "platform@acme-app.com"]);
    // An https subscription to a chat webhook stays pending forever: Slack goes through AWS Chatbot instead.
    for (const env of ["production", "staging"]) {
      expect(ofType(r(env), T.subscription).filter((s) => s.inputs["protocol"] !== "email")).toEqual([]);
      expect(ofType(r(env), T.slack)).toEqual([]);
    }
  });
});

describe("Slack through AWS Chatbot, when alerts.slack is set", () => {
  let result: SynthResult;
  beforeAll(async () => {
    result = await synthConfig(
      variant("production", {
        alerts: { emails: ["ops@acme-app.com"], slack: { workspaceId: "T0123ABCD", channelId: "C0123ABCDEF" } },
      }),
    );
  });

  test("one channel configuration subscribed to all four topics (both regions), read-only and guarded", () => {
    const channel = resource(result, T.slack, "monitoring-slack");
    const role = resource(result, T.role, "monitoring-chatbot");
    const topics = ofType(result, T.topic).map((t) => t.state!["arn"]);
    expect(topics).toHaveLength(4);
    expect(channel.inputs).toMatchObject({
      configurationName: "saas-platform-production-alerts",
      slackTeamId: "T0123ABCD",
      slackChannelId: "C0123ABCDEF",
      iamRoleArn: role.state!["arn"],
      guardrailPolicyArns: ["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"],
      userAuthorizationRequired: true,
    });
    expect([...(channel.inputs["snsTopicArns"] as string[])].sort()).toEqual([...topics].sort());
    expect(JSON.parse(String(role.inputs["assumeRolePolicy"]))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "chatbot.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(
      ofType(result, T.attachment)
        .filter((a) => a.name === "monitoring-chatbot")
        .map((a) => a.inputs["policyArn"]),
    ).toEqual(["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"]);
    expect(ofType(result, T.subscription).filter((s) => s.inputs["protocol"] !== "email")).toEqual([]);
  });
});

test.each([
  ["production", "175.00"],
  ["production-large", "1000.00"],
  ["staging", "60.00"],
])("%s has a monthly budget with 80 %% forecast and 100 %% actual notifications", (env, amount) => {
  const budget = resource(r(env), T.budget, "monitoring-budget");
  expect(budget.inputs).toMatchObject({
    budgetType: "COST",
    timeUnit: "MONTHLY",
    limitAmount: amount,
    limitUnit: "USD",
    costFilters: [{ name: "TagKeyValue", values: [`user:Stack$${env.replace("-large", "")}`] }],
  });
  const notify = topicArn(env, "notify");
  expect(budget.inputs["notifications"]).toEqual([
    {
      comparisonOperator: "GREATER_THAN",
      notificationType: "FORECASTED",
      threshold: 80,
      thresholdType: "PERCENTAGE",
      subscriberSnsTopicArns: [notify],
    },
    {
      comparisonOperator: "GREATER_THAN",
      notificationType: "ACTUAL",
      threshold: 100,
      thresholdType: "PERCENTAGE",
      subscriberSnsTopicArns: [notify],
    },
  ]);
});

test("the dashboard shows the targets first, then each tier's saturation", () => {
  const dashboard: RecordedResource = resource(r("production"), T.dashboard, "monitoring-dashboard");
  expect(dashboard.inputs["dashboardName"]).toBe("saas-platform-production");
  const body = JSON.parse(String(dashboard.inputs["dashboardBody"])) as {
    widgets: Array<{ properties: { title: string; region: string; metrics: unknown[][] } }>;
  };
  expect(body.widgets.map((w) => w.properties.title)).toEqual([
    "API latency (s)",
    "API 5xx rate (%)",
    "API healthy tasks and CPU / memory (%)",
    "Uptime (% of Route 53 checkers that see it healthy)",
    "Database CPU (%) and connections",
    "Database free storage and memory (bytes)",
    "Cache CPU / memory (%) and evictions",
  ]);
  expect(body.widgets[3]!.properties.region).toBe("us-east-1");
  // Route 53 publishes health-check metrics per HealthCheckId only: a query without it is an empty graph.
  const checks = ofType(r("production"), T.healthCheck).map((h) => h.id);
  expect(checks).toHaveLength(2);
  expect(body.widgets[3]!.properties.metrics).toEqual(
    checks.map((id) => ["AWS/Route53", "HealthCheckPercentageHealthy", "HealthCheckId", id]),
  );
  expect(r("production").outputs["dashboardUrl"]).toBe(
    "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=saas-platform-production",
  );
});

test("max_connections follows RDS PostgreSQL's formula for the instance's memory", () => {
  expect(maxConnections("db.t4g.micro")).toBe(112);
  expect(maxConnections("db.m7g.large")).toBe(901);
  expect(maxConnections("db.r7g.large")).toBe(1802);
  expect(maxConnections("db.x2g.weird")).toBeUndefined();
});

test("MonitoringBundle args: every problem at once", () => {
  expect(() =>
    validateMonitoringArgs("monitoring", {
      production: true,
      emails: ["ops"],
      watch: {},
      uptime: { apiHealthUrl: "http://api.acme-app.com/health" },
      monthlyBudgetUsd: 0,
    }),
  ).toThrow(
    [
      'MonitoringBundle "monitoring" has invalid args:',
      "  - emails must be email addresses (got ops)",
      "  - usEast1 must be an aws.Provider for us-east-1: Route 53 publishes health-check metrics only there",
      '  - uptime.apiHealthUrl must be an https:// URL (got "http://api.acme-app.com/health")',
      "  - monthlyBudgetUsd must be a positive amount (got 0)",
    ].join("\n"),
  );
});

describe("Sentry", () => {
  test("production has a retained project per app, with a key for this stack", () => {
    for (const app of ["api", "web"]) {
      const project = resource(r("production"), "sentry:index/sentryProject:SentryProject", `sentry-${app}`);
      expect(project.inputs).toMatchObject({ organization: "acme", teams: ["platform"], slug: `acme-app-${app}` });
      expect(project.options.retainOnDelete).toBe(true);
      const key = resource(r("production"), "sentry:index/sentryKey:SentryKey", `sentry-${app}`);
      expect(key.inputs).toMatchObject({ organization: "acme", project: `acme-app-${app}`, name: "production" });
    }
    // No platform: the provider would fetch docs.sentry.io to validate it during every preview.
    for (const app of ["api", "web"]) {
      expect(
        resource(r("production"), "sentry:index/sentryProject:SentryProject", `sentry-${app}`).inputs,
      ).not.toHaveProperty("platform");
    }
  });

  test("staging, without a Sentry organisation configured, has none", () => {
    expect(r("staging").resources.filter((x) => x.type.startsWith("sentry:"))).toEqual([]);
  });
});

test("a stack file may turn the dashboard and uptime checks off and Container Insights on", async () => {
  const result = await synthConfig(
    variant("production", { monitoring: { dashboard: false, uptimeChecks: false, containerInsights: true } }),
  );
  expect(ofType(result, T.dashboard)).toEqual([]);
  expect(ofType(result, T.healthCheck)).toEqual([]);
  expect(resource(result, "aws:ecs/cluster:Cluster", "api-cluster").inputs["settings"]).toEqual([
    { name: "containerInsights", value: "enabled" },
  ]);
});
