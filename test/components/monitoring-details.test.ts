// The details of the monitoring components that the stack tests and monitoring.test.ts leave open: every input of
// every alarm, topic, key, subscription, health check, budget, dashboard and Slack channel, for plain args (every arg
// set, every arg omitted or `undefined`), which children exist for which inputs, the transforms, the registered
// outputs, the dashboard body widget by widget, the Sentry projects, the thresholds and max_connections, and the exact
// text of every argument check. Each program is built once and only read.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ApiService } from "../../components/api-service";
import type { ManagedPostgres } from "../../components/managed-postgres";
import type { RedisCache } from "../../components/redis-cache";
import { KEY_ADMINISTRATION, plainServiceTrustPolicy } from "../../components/iam";
import {
  DEFAULT_THRESHOLDS,
  MonitoringBundle,
  SentryProjects,
  dashboardBody,
  maxConnections,
  validateMonitoringArgs,
  validateSentryArgs,
  type MonitoringBundleArgs,
  type Priority,
  type SentryProjectsArgs,
  type Thresholds,
} from "../../components/monitoring";
import { chatbotConfigurationName } from "../../components/monitoring/chatbot";
import { recordProgram, type SynthResult } from "../../synth/synth";
import type { RecordedResource } from "../../synth/recorder";
import { ofType, resource } from "../helpers/synth";
import { recordCalls } from "../helpers/spies";

const T = {
  component: "saas-platform:components:MonitoringBundle",
  sentryComponent: "saas-platform:components:SentryProjects",
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
  provider: "pulumi:providers:aws",
  sentryProject: "sentry:index/sentryProject:SentryProject",
  sentryKey: "sentry:index/sentryKey:SentryKey",
} as const;

const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
const ACCOUNT = "123456789012";
const TOPICS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/3333cccc-33cc-33cc-33cc-333333333333";
const RUNBOOK = "docs/runbooks/incident-response.md";

/** Only what the bundle reads of an ApiService: its dimensions, whether its load balancer is shared, its minimum. */
const apiService = (s: {
  lb: string;
  tg: string;
  cluster: string;
  service: string;
  minTasks: number;
  shared: boolean;
}): ApiService<"aws"> =>
  ({
    cloud: {
      loadBalancerArnSuffix: pulumi.output(s.lb),
      targetGroupArnSuffix: pulumi.output(s.tg),
      clusterName: pulumi.output(s.cluster),
      serviceName: pulumi.output(s.service),
      sharedLoadBalancer: s.shared,
      minTasks: s.minTasks,
    },
  }) as unknown as ApiService<"aws">;
const database = (instanceClass: string, allocatedStorageGb: number, id: string): ManagedPostgres<"aws"> =>
  ({
    cloud: { instanceIdentifier: pulumi.output(id), sizing: { instanceClass, allocatedStorageGb } },
  }) as unknown as ManagedPostgres<"aws">;
const cache = (count: number, ids: string[]): RedisCache<"aws"> =>
  ({ cloud: { nodes: { count, ids: pulumi.output(ids) } } }) as unknown as RedisCache<"aws">;

const PROD_API = {
  lb: "app/acme-alb/50dc6c495c0c9188",
  tg: "targetgroup/acme-api/73e2d6bc24d8a067",
  cluster: "acme-cluster",
  service: "acme-api",
  minTasks: 2,
  shared: false,
};
const PROD_ADMIN = { ...PROD_API, tg: "targetgroup/acme-admin/0a1b2c3d4e5f6a7b", service: "acme-admin", minTasks: 3 };
const STAGE_API = {
  lb: "app/shared-alb/1111111111111111",
  tg: "targetgroup/pr-7-api/2222222222222222",
  cluster: "shared-cluster",
  service: "pr-7-api",
  minTasks: 1,
  shared: true,
};
/** Every threshold but the service's and the cache's memory, which keep their defaults. */
const PROD_THRESHOLDS: Partial<Thresholds> = {
  latencyP50Ms: 300,
  latencyP99Ms: 1500,
  errorRatePercent: 2,
  serviceCpuPercent: 70,
  databaseCpuPercent: 65,
  databaseFreeStoragePercent: 15,
  databaseFreeableMemoryMiB: 512,
  databaseConnectionsPercent: 75,
  cacheCpuPercent: 60,
};
const SLACK = { workspaceId: "T0123ABCD", channelId: "C0123abcDEF" };

type Inputs = Record<string, unknown>;
/** Where each priority's alarms go, as topic ARNs. */
type Routes = Record<Priority, string>;

/** One expected alarm: its inputs as the component sets them around the metric. */
function alarm(
  routes: Routes,
  tags: Record<string, string>,
  id: string,
  priority: Priority,
  text: string,
  metric: Inputs,
): [string, Inputs] {
  return [
    id,
    {
      ...metric,
      alarmDescription: `[${priority}] ${text} (runbook: ${RUNBOOK}#${id})`,
      alarmActions: [routes[priority]],
      okActions: [routes[priority]],
      tags: { ...tags, Priority: priority },
    },
  ];
}

/** The alarms of one HTTP service behind the load balancer (the API's when `label` is "API"). */
function httpAlarms(
  routes: Routes,
  tags: Record<string, string>,
  id: string,
  label: string,
  s: typeof PROD_API,
  th: { p50: number; p99: number; rate: number; cpu: number; memory: number },
): Array<[string, Inputs]> {
  const tg = { LoadBalancer: s.lb, TargetGroup: s.tg };
  const lb = { LoadBalancer: s.lb };
  const latency = (p: string, ms: number, threshold: number, priority: Priority) =>
    alarm(routes, tags, `${id}-latency-${p}`, priority, `${label} ${p} latency above ${ms} ms`, {
      namespace: "AWS/ApplicationELB",
      metricName: "TargetResponseTime",
      dimensions: tg,
      extendedStatistic: p,
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      threshold,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
  const count = (queryId: string, metricName: string, dimensions: Inputs) => ({
    id: queryId,
    metric: { namespace: "AWS/ApplicationELB", metricName, dimensions, period: 60, stat: "Sum" },
  });
  const metricQueries = s.shared
    ? [
        count("target5xx", "HTTPCode_Target_5XX_Count", tg),
        count("requests", "RequestCount", tg),
        {
          id: "rate",
          expression: "IF(requests > 0, 100 * FILL(target5xx, 0) / requests, 0)",
          label: "5xx rate (%)",
          returnData: true,
        },
      ]
    : [
        count("target5xx", "HTTPCode_Target_5XX_Count", tg),
        count("elb5xx", "HTTPCode_ELB_5XX_Count", lb),
        count("requests", "RequestCount", lb),
        {
          id: "rate",
          expression: "IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)",
          label: "5xx rate (%)",
          returnData: true,
        },
      ];
  const api = label === "API";
  return [
    latency("p50", th.p50, th.p50 / 1000, "P2"),
    latency("p99", th.p99, th.p99 / 1000, "P1"),
    alarm(routes, tags, `${id}-5xx-rate`, "P0", `${label} 5xx responses above ${th.rate} % of requests`, {
      comparisonOperator: "GreaterThanThreshold",
      threshold: th.rate,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
      metricQueries,
    }),
    alarm(
      routes,
      tags,
      `${id}-unhealthy-hosts`,
      "P1",
      api
        ? "A task behind the load balancer fails its health check"
        : `A task of ${label} fails the load balancer's health check`,
      {
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: tg,
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 3,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      },
    ),
    alarm(
      routes,
      tags,
      `${id}-healthy-tasks-below-minimum`,
      "P0",
      `${api ? "" : `${label}: `}Fewer healthy tasks than the minimum of ${s.minTasks}`,
      {
        namespace: "AWS/ApplicationELB",
        metricName: "HealthyHostCount",
        dimensions: tg,
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        threshold: s.minTasks,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
      },
    ),
    ...ecsAlarms(routes, tags, id, `${label} service`, s.cluster, s.service, th.cpu, th.memory),
  ];
}

function ecsAlarms(
  routes: Routes,
  tags: Record<string, string>,
  id: string,
  label: string,
  cluster: string,
  service: string,
  cpu: number,
  memory: number,
): Array<[string, Inputs]> {
  const metric = (metricName: string, threshold: number) => ({
    namespace: "AWS/ECS",
    metricName,
    dimensions: { ClusterName: cluster, ServiceName: service },
    statistic: "Average",
    period: 300,
    evaluationPeriods: 3,
    threshold,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "missing",
  });
  return [
    alarm(routes, tags, `${id}-cpu`, "P2", `${label} cpu above ${cpu} %`, metric("CPUUtilization", cpu)),
    alarm(routes, tags, `${id}-memory`, "P2", `${label} memory above ${memory} %`, metric("MemoryUtilization", memory)),
  ];
}

function cacheNodeAlarms(
  routes: Routes,
  tags: Record<string, string>,
  bundle: string,
  n: number,
  nodeId: string,
  cpu: number,
  memory: number,
): Array<[string, Inputs]> {
  const base = {
    namespace: "AWS/ElastiCache",
    dimensions: { CacheClusterId: nodeId },
    statistic: "Average",
    period: 300,
    evaluationPeriods: 3,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "missing",
  };
  const id = `${bundle}-cache-${n}`;
  return [
    alarm(routes, tags, `${id}-cpu`, "P2", `Cache node ${n} engine CPU above ${cpu} %`, {
      ...base,
      metricName: "EngineCPUUtilization",
      threshold: cpu,
    }),
    alarm(routes, tags, `${id}-memory`, "P2", `Cache node ${n} memory above ${memory} %`, {
      ...base,
      metricName: "DatabaseMemoryUsagePercentage",
      threshold: memory,
    }),
    alarm(routes, tags, `${id}-evictions`, "P3", `Cache node ${n} evicts keys (memory full)`, {
      ...base,
      metricName: "Evictions",
      statistic: "Sum",
      threshold: 0,
      treatMissingData: "notBreaching",
    }),
  ];
}

const rdsBase = (id: string) => ({
  namespace: "AWS/RDS",
  dimensions: { DBInstanceIdentifier: id },
  statistic: "Average",
  period: 300,
  evaluationPeriods: 3,
  treatMissingData: "missing",
  comparisonOperator: "GreaterThanThreshold",
});

/** The alarms a bundle declared, by logical name (its own only: alarms are parented to it). */
function alarmsOf(result: SynthResult, bundle: string): Record<string, Inputs> {
  const urn = resource(result, T.component, bundle).urn;
  return Object.fromEntries(
    ofType(result, T.alarm)
      .filter((a) => a.parent === urn)
      .map((a) => [a.name, a.inputs]),
  );
}
/** Every child of a bundle as `<type> <name>`, sorted. */
function childrenOf(result: SynthResult, bundle: string): string[] {
  const urn = resource(result, T.component, bundle).urn;
  return result.resources
    .filter((x) => x.parent === urn)
    .map((x) => `${x.type} ${x.name}`)
    .sort();
}
const arnOf = (result: SynthResult, type: string, name: string) => String(resource(result, type, name).state!["arn"]);
const idOf = (result: SynthResult, type: string, name: string) => String(resource(result, type, name).id);

/** What the program returns of one bundle: its outputs, resolved. */
const outputsOf = (b: MonitoringBundle) => ({
  page: b.pageTopicArn,
  notify: b.notifyTopicArn,
  ...(b.dashboardName === undefined ? {} : { dashboardName: b.dashboardName }),
  regionalNames: pulumi.all(b.regionalAlarms.names),
  regionalArns: pulumi.all(b.regionalAlarms.arns),
});
type Out = { page: string; notify: string; dashboardName?: string; regionalNames: string[]; regionalArns: string[] };

describe("MonitoringBundle, from every arg set to every arg omitted", () => {
  let result: SynthResult;
  const bundles: Record<string, MonitoringBundle> = {};
  const registered: Record<string, Array<Record<string, unknown>>> = {};
  const invokes: Array<{ token: string; parent: string | undefined }> = [];
  const out = (name: string) => result.outputs[name] as Out;

  beforeAll(async () => {
    // Registrations and lookups happen inside the constructors, before a bundle is known by name: keep the objects.
    const { result: built, recorded } = await recordCalls(() =>
      recordProgram(STACK, async () => {
        const usEast1 = new aws.Provider("us-east-1", { region: "us-east-1" });
        const make = (name: string, args: MonitoringBundleArgs) => {
          bundles[name] = new MonitoringBundle(name, args);
        };
        make("prod", {
          production: true,
          emails: ["oncall@acme-app.com", "platform@acme-app.com"],
          slack: SLACK,
          watch: {
            api: apiService(PROD_API),
            services: { admin: apiService(PROD_ADMIN) },
            workers: { jobs: { clusterName: pulumi.output("acme-cluster"), serviceName: "acme-jobs" } },
            database: database("db.m7g.large", 25, "acme-db"),
            cache: cache(2, ["acme-cache-001", "acme-cache-002"]),
          },
          uptime: {
            apiHealthUrl: "https://api.acme-app.com/health",
            webUrl: "https://acme-app.com",
            serviceHealthUrls: { admin: "https://admin.acme-app.com/status?deep=1" },
          },
          usEast1,
          dashboard: true,
          monthlyBudgetUsd: 175.5,
          thresholds: PROD_THRESHOLDS,
          topicsKmsKeyArn: TOPICS_KEY,
          alarmActionsScheduled: true,
          tags: { CostCentre: "ops" },
        });
        make("stage", {
          production: false,
          emails: ["dev@acme-app.com"],
          // A us-east-1 provider without uptime checks has nothing to carry.
          usEast1,
          watch: {
            api: apiService(STAGE_API),
            // No known memory for this class: no connections alarm.
            database: database("db.x2g.weird", 20, "stage-db"),
            // The second node's id is not known (yet): its dimension is empty rather than the program failing.
            cache: cache(2, ["stage-cache-001"]),
          },
        });
        make("omitted", { production: false, emails: [], watch: {} });
        make("undef", {
          production: false,
          emails: [],
          slack: undefined,
          watch: { api: undefined, services: undefined, workers: undefined, database: undefined, cache: undefined },
          uptime: undefined,
          usEast1: undefined,
          dashboard: undefined,
          monthlyBudgetUsd: undefined,
          thresholds: undefined,
          topicsKmsKeyArn: undefined,
          alarmActionsScheduled: undefined,
          tags: undefined,
          transform: undefined,
        });
        make("nodash", {
          production: true,
          emails: ["oncall@acme-app.com"],
          slack: SLACK,
          watch: { api: apiService(PROD_API) },
          // Only the web app: the API's check is left out.
          uptime: { webUrl: "https://www.acme-app.com/" },
          usEast1,
          dashboard: false,
          alarmActionsScheduled: false,
        });
        return Object.fromEntries(Object.entries(bundles).map(([name, b]) => [name, outputsOf(b)]));
      }),
    );
    result = built;
    const nameOf = (parent: unknown) => Object.keys(bundles).find((k) => bundles[k] === parent);
    for (const name of Object.keys(bundles)) registered[name] = recorded.registeredBy(bundles[name]);
    for (const { token, parent } of recorded.lookups) invokes.push({ token, parent: nameOf(parent) });
  });

  const prodRoutes = (): Routes => ({
    P0: arnOf(result, T.topic, "prod-page"),
    P1: arnOf(result, T.topic, "prod-page"),
    P2: arnOf(result, T.topic, "prod-notify"),
    P3: arnOf(result, T.topic, "prod-notify"),
  });

  /** Every alarm of the production bundle, in order of declaration. */
  const prodExpected = (): Array<[string, Inputs]> => {
    const routes = prodRoutes();
    const usEast1Page = arnOf(result, T.topic, "prod-page-us-east-1");
    const usEast1Routes: Routes = { P0: usEast1Page, P1: usEast1Page, P2: "-", P3: "-" };
    const tags = { CostCentre: "ops" };
    const th = { p50: 300, p99: 1500, rate: 2, cpu: 70, memory: 80 };
    const uptime = (id: string, url: string): [string, Inputs] =>
      alarm(usEast1Routes, tags, `prod-uptime-${id}`, "P0", `${url} is down from Route 53's checkers`, {
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: { HealthCheckId: idOf(result, T.healthCheck, `prod-uptime-${id}`) },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 2,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
      });
    return [
      ...httpAlarms(routes, tags, "prod-api", "API", PROD_API, th),
      ...httpAlarms(routes, tags, "prod-admin", "admin", PROD_ADMIN, th),
      ...ecsAlarms(routes, tags, "prod-jobs", "jobs service", "acme-cluster", "acme-jobs", 70, 80),
      alarm(routes, tags, "prod-db-cpu", "P2", "Database CPU above 65 %", {
        ...rdsBase("acme-db"),
        metricName: "CPUUtilization",
        threshold: 65,
      }),
      // 15 % of 25 GiB, in bytes.
      alarm(routes, tags, "prod-db-free-storage", "P1", "Database free storage below 15 % of 25 GiB", {
        ...rdsBase("acme-db"),
        metricName: "FreeStorageSpace",
        statistic: "Minimum",
        threshold: 4026531840,
        comparisonOperator: "LessThanThreshold",
      }),
      alarm(routes, tags, "prod-db-freeable-memory", "P2", "Database freeable memory below 512 MiB", {
        ...rdsBase("acme-db"),
        metricName: "FreeableMemory",
        statistic: "Minimum",
        threshold: 536870912,
        comparisonOperator: "LessThanThreshold",
      }),
      // db.m7g.large: 8 GiB, max_connections 901; 75 % of it, rounded down.
      alarm(routes, tags, "prod-db-connections", "P1", "Database connections above 675 (75 % of max_connections 901)", {
        ...rdsBase("acme-db"),
        metricName: "DatabaseConnections",
        statistic: "Maximum",
        threshold: 675,
      }),
      ...cacheNodeAlarms(routes, tags, "prod", 1, "acme-cache-001", 60, 80),
      ...cacheNodeAlarms(routes, tags, "prod", 2, "acme-cache-002", 60, 80),
      uptime("api", "https://api.acme-app.com/health"),
      uptime("web", "https://acme-app.com"),
      uptime("admin", "https://admin.acme-app.com/status?deep=1"),
    ];
  };

  test("production: every alarm with every input, P0/P1 paging and P2/P3 notifying", () => {
    expect(alarmsOf(result, "prod")).toEqual(Object.fromEntries(prodExpected()));
  });

  test("elsewhere: every alarm notifies, with the default thresholds; a shared load balancer rates its target group", () => {
    const notify = arnOf(result, T.topic, "stage-notify");
    const routes: Routes = { P0: notify, P1: notify, P2: notify, P3: notify };
    const th = { p50: 200, p99: 1000, rate: 1, cpu: 80, memory: 80 };
    expect(alarmsOf(result, "stage")).toEqual(
      Object.fromEntries([
        ...httpAlarms(routes, {}, "stage-api", "API", STAGE_API, th),
        alarm(routes, {}, "stage-db-cpu", "P2", "Database CPU above 80 %", {
          ...rdsBase("stage-db"),
          metricName: "CPUUtilization",
          threshold: 80,
        }),
        alarm(routes, {}, "stage-db-free-storage", "P1", "Database free storage below 10 % of 20 GiB", {
          ...rdsBase("stage-db"),
          metricName: "FreeStorageSpace",
          statistic: "Minimum",
          threshold: 2147483648,
          comparisonOperator: "LessThanThreshold",
        }),
        alarm(routes, {}, "stage-db-freeable-memory", "P2", "Database freeable memory below 256 MiB", {
          ...rdsBase("stage-db"),
          metricName: "FreeableMemory",
          statistic: "Minimum",
          threshold: 268435456,
          comparisonOperator: "LessThanThreshold",
        }),
        ...cacheNodeAlarms(routes, {}, "stage", 1, "stage-cache-001", 80, 80),
        ...cacheNodeAlarms(routes, {}, "stage", 2, "", 80, 80),
      ]),
    );
  });

  test("a production bundle without uptime for the API: only the web check, alarmed on the us-east-1 page topic", () => {
    const alarms = alarmsOf(result, "nodash");
    expect(Object.keys(alarms).filter((n) => n.includes("uptime"))).toEqual(["nodash-uptime-web"]);
    const page = arnOf(result, T.topic, "nodash-page-us-east-1");
    expect(alarms["nodash-uptime-web"]).toMatchObject({
      alarmDescription: `[P0] https://www.acme-app.com/ is down from Route 53's checkers (runbook: ${RUNBOOK}#nodash-uptime-web)`,
      alarmActions: [page],
      okActions: [page],
      tags: { Priority: "P0" },
    });
    expect(resource(result, T.healthCheck, "nodash-uptime-web").inputs).toEqual({
      type: "HTTPS",
      fqdn: "www.acme-app.com",
      port: 443,
      resourcePath: "/",
      requestInterval: 30,
      failureThreshold: 3,
      measureLatency: false,
      enableSni: true,
      tags: { Name: "web https://www.acme-app.com/" },
    });
  });

  test("nothing watched, nothing alarmed", () => {
    for (const name of ["omitted", "undef"]) expect(alarmsOf(result, name)).toEqual({});
  });

  test("the alarms list names every alarm with its priority, in order of declaration", () => {
    expect(bundles["prod"]!.alarms).toEqual(
      prodExpected().map(([name, inputs]) => ({
        name,
        priority: (inputs["tags"] as Record<string, string>)["Priority"],
      })),
    );
    expect(bundles["stage"]!.alarms.map((a) => `${a.name} ${a.priority}`)).toEqual([
      "stage-api-latency-p50 P2",
      "stage-api-latency-p99 P1",
      "stage-api-5xx-rate P0",
      "stage-api-unhealthy-hosts P1",
      "stage-api-healthy-tasks-below-minimum P0",
      "stage-api-cpu P2",
      "stage-api-memory P2",
      "stage-db-cpu P2",
      "stage-db-free-storage P1",
      "stage-db-freeable-memory P2",
      "stage-cache-1-cpu P2",
      "stage-cache-1-memory P2",
      "stage-cache-1-evictions P3",
      "stage-cache-2-cpu P2",
      "stage-cache-2-memory P2",
      "stage-cache-2-evictions P3",
    ]);
    expect(bundles["omitted"]!.alarms).toEqual([]);
  });

  test("regional alarms: the names and ARNs of those in the stack's region, not the us-east-1 uptime alarms", () => {
    const regional = (name: string) =>
      ofType(result, T.alarm).filter(
        (a) => a.parent === resource(result, T.component, name).urn && !a.name.includes("uptime"),
      );
    for (const name of ["prod", "stage", "nodash"]) {
      const alarms = bundles[name]!.alarms.filter((a) => !a.name.includes("uptime")).map((a) => a.name);
      const records = alarms.map((a) => resource(result, T.alarm, a));
      expect(records).toHaveLength(regional(name).length);
      expect(out(name).regionalNames).toEqual(records.map((r) => r.state!["name"]));
      expect(out(name).regionalArns).toEqual(records.map((r) => r.state!["arn"]));
    }
    expect(out("prod").regionalNames).toHaveLength(26);
    expect(out("omitted")).toMatchObject({ regionalNames: [], regionalArns: [] });
  });

  test("options: office hours make the regional alarms ignore actionsEnabled; uptime alarms go through us-east-1", () => {
    const usEast1 = resource(result, T.provider, "us-east-1").urn;
    for (const [name, scheduled] of [
      ["prod", true],
      ["stage", false],
      ["nodash", false],
    ] as const) {
      const urn = resource(result, T.component, name).urn;
      for (const a of ofType(result, T.alarm).filter((x) => x.parent === urn)) {
        const uptime = a.name.includes("uptime");
        expect([a.name, a.options]).toEqual([
          a.name,
          scheduled && !uptime ? { ignoreChanges: ["actionsEnabled"] } : {},
        ]);
        expect([a.name, a.provider]).toEqual([a.name, uptime ? usEast1 : undefined]);
      }
    }
  });

  test("topics: page and notify with the given key, a policy each and a subscription per address", () => {
    const tags = { CostCentre: "ops" };
    for (const severity of ["page", "notify"]) {
      const topic = resource(result, T.topic, `prod-${severity}`);
      expect(topic.inputs).toEqual({ kmsMasterKeyId: TOPICS_KEY, tags });
      expect(topic.provider).toBeUndefined();
      const policy = resource(result, T.topicPolicy, `prod-${severity}`);
      expect(policy.inputs["arn"]).toBe(topic.state!["arn"]);
      expect(JSON.parse(String(policy.inputs["policy"]))).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AlarmPublishers",
            Effect: "Allow",
            Principal: { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] },
            Action: "sns:Publish",
            Resource: topic.state!["arn"],
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
          },
        ],
      });
      for (const [i, email] of ["oncall@acme-app.com", "platform@acme-app.com"].entries()) {
        const sub = resource(result, T.subscription, `prod-${severity}-email-${i + 1}`);
        expect(sub.inputs).toEqual({ topic: topic.state!["arn"], protocol: "email", endpoint: email });
      }
    }
    expect(out("prod")).toMatchObject({
      page: arnOf(result, T.topic, "prod-page"),
      notify: arnOf(result, T.topic, "prod-notify"),
    });
    // The given key replaces the bundle's own in the stack's region.
    expect(ofType(result, T.key).map((k) => k.name)).not.toContain("prod-alerts");
  });

  test("the us-east-1 topics have a key of their own there, the same subscribers, all through the provider", () => {
    const usEast1 = resource(result, T.provider, "us-east-1").urn;
    const key = resource(result, T.key, "prod-alerts-us-east-1");
    expect(key.provider).toBe(usEast1);
    expect(key.inputs).toEqual({
      description: "Encrypts the alarm topics; CloudWatch and AWS Budgets may publish through it",
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: key.inputs["policy"],
      tags: { CostCentre: "ops" },
    });
    expect(JSON.parse(String(key.inputs["policy"]))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "KeyAdministration",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: KEY_ADMINISTRATION,
          Resource: "*",
        },
        {
          Sid: "AlarmPublishers",
          Effect: "Allow",
          Principal: { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
      ],
    });
    for (const severity of ["page", "notify"]) {
      const name = `prod-${severity}-us-east-1`;
      const topic = resource(result, T.topic, name);
      expect(topic.inputs).toEqual({ kmsMasterKeyId: key.state!["arn"], tags: { CostCentre: "ops" } });
      const policy = resource(result, T.topicPolicy, name);
      expect(JSON.parse(String(policy.inputs["policy"])).Statement[0].Resource).toBe(topic.state!["arn"]);
      const subs = ["oncall@acme-app.com", "platform@acme-app.com"].map((email, i) => {
        const sub = resource(result, T.subscription, `${name}-email-${i + 1}`);
        expect(sub.inputs).toEqual({ topic: topic.state!["arn"], protocol: "email", endpoint: email });
        return sub;
      });
      for (const child of [topic, policy, ...subs]) expect(child.provider).toBe(usEast1);
    }
  });

  test("without a key given, the topics keep a key of the bundle's own; without addresses, no subscription", () => {
    for (const name of ["omitted", "undef"]) {
      const key = resource(result, T.key, `${name}-alerts`);
      expect(key.provider).toBeUndefined();
      expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 7, tags: {} });
      for (const severity of ["page", "notify"]) {
        expect(resource(result, T.topic, `${name}-${severity}`).inputs).toEqual({
          kmsMasterKeyId: key.state!["arn"],
          tags: {},
        });
      }
      expect(ofType(result, T.subscription).filter((s) => s.name.startsWith(`${name}-`))).toEqual([]);
    }
  });

  test("health checks: HTTPS on 443 every 30 s, path and query kept, no latency, SNI, named after id and URL", () => {
    const check = (id: string, fqdn: string, resourcePath: string, url: string) => ({
      type: "HTTPS",
      fqdn,
      port: 443,
      resourcePath,
      requestInterval: 30,
      failureThreshold: 3,
      measureLatency: false,
      enableSni: true,
      tags: { CostCentre: "ops", Name: `${id} ${url}` },
    });
    const usEast1 = resource(result, T.provider, "us-east-1").urn;
    const urn = resource(result, T.component, "prod").urn;
    const checks = ofType(result, T.healthCheck).filter((c) => c.parent === urn);
    expect(Object.fromEntries(checks.map((c) => [c.name, c.inputs]))).toEqual({
      "prod-uptime-api": check("api", "api.acme-app.com", "/health", "https://api.acme-app.com/health"),
      "prod-uptime-web": check("web", "acme-app.com", "/", "https://acme-app.com"),
      "prod-uptime-admin": check(
        "admin",
        "admin.acme-app.com",
        "/status?deep=1",
        "https://admin.acme-app.com/status?deep=1",
      ),
    });
    for (const c of checks) expect(c.provider).toBe(usEast1);
  });

  test("the budget: the limit in dollars and cents, this stack's tag, 80 % forecast and 100 % actual on notify", () => {
    const notify = [arnOf(result, T.topic, "prod-notify")];
    expect(resource(result, T.budget, "prod-budget").inputs).toEqual({
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: "175.50",
      limitUnit: "USD",
      costFilters: [{ name: "TagKeyValue", values: ["user:Stack$test"] }],
      notifications: [
        {
          comparisonOperator: "GREATER_THAN",
          notificationType: "FORECASTED",
          threshold: 80,
          thresholdType: "PERCENTAGE",
          subscriberSnsTopicArns: notify,
        },
        {
          comparisonOperator: "GREATER_THAN",
          notificationType: "ACTUAL",
          threshold: 100,
          thresholdType: "PERCENTAGE",
          subscriberSnsTopicArns: notify,
        },
      ],
      tags: { CostCentre: "ops" },
    });
  });

  test("Slack: a read-only role and a guarded channel configuration on every topic of both regions", () => {
    const role = resource(result, T.role, "prod-chatbot");
    expect(role.inputs).toEqual({
      description: "AWS Chatbot posts this stack's alarms to Slack (CloudWatch read only)",
      assumeRolePolicy: plainServiceTrustPolicy("chatbot.amazonaws.com"),
      tags: { CostCentre: "ops" },
    });
    expect(resource(result, T.attachment, "prod-chatbot").inputs).toEqual({
      role: role.state!["name"],
      policyArn: "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
    });
    expect(resource(result, T.slack, "prod-slack").inputs).toEqual({
      configurationName: "saas-platform-test-alerts",
      iamRoleArn: role.state!["arn"],
      slackTeamId: "T0123ABCD",
      slackChannelId: "C0123abcDEF",
      snsTopicArns: ["prod-page", "prod-notify", "prod-page-us-east-1", "prod-notify-us-east-1"].map((t) =>
        arnOf(result, T.topic, t),
      ),
      guardrailPolicyArns: ["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"],
      userAuthorizationRequired: true,
      loggingLevel: "ERROR",
      tags: { CostCentre: "ops" },
    });
    // One uptime check is enough for the us-east-1 topics, and the channel hears them too.
    expect(resource(result, T.slack, "nodash-slack").inputs["snsTopicArns"]).toEqual(
      ["nodash-page", "nodash-notify", "nodash-page-us-east-1", "nodash-notify-us-east-1"].map((t) =>
        arnOf(result, T.topic, t),
      ),
    );
    expect(resource(result, T.slack, "nodash-slack").inputs["tags"]).toEqual({});
  });

  test("which children exist follows the args: every arg set", () => {
    const a = (name: string) => `${T.alarm} ${name}`;
    expect(childrenOf(result, "prod")).toEqual(
      [
        ...Object.keys(alarmsOf(result, "prod")).map(a),
        `${T.attachment} prod-chatbot`,
        `${T.budget} prod-budget`,
        `${T.dashboard} prod-dashboard`,
        `${T.healthCheck} prod-uptime-admin`,
        `${T.healthCheck} prod-uptime-api`,
        `${T.healthCheck} prod-uptime-web`,
        `${T.key} prod-alerts-us-east-1`,
        `${T.role} prod-chatbot`,
        `${T.slack} prod-slack`,
        ...["prod-page", "prod-notify", "prod-page-us-east-1", "prod-notify-us-east-1"].flatMap((t) => [
          `${T.topic} ${t}`,
          `${T.topicPolicy} ${t}`,
          `${T.subscription} ${t}-email-1`,
          `${T.subscription} ${t}-email-2`,
        ]),
      ].sort(),
    );
    expect(Object.keys(alarmsOf(result, "prod"))).toHaveLength(29);
  });

  test("which children exist follows the args: a us-east-1 provider alone adds nothing; no Slack, budget or key given", () => {
    expect(childrenOf(result, "stage")).toEqual(
      [
        ...Object.keys(alarmsOf(result, "stage")).map((n) => `${T.alarm} ${n}`),
        `${T.dashboard} stage-dashboard`,
        `${T.key} stage-alerts`,
        ...["stage-page", "stage-notify"].flatMap((t) => [
          `${T.topic} ${t}`,
          `${T.topicPolicy} ${t}`,
          `${T.subscription} ${t}-email-1`,
        ]),
      ].sort(),
    );
  });

  test.each(["omitted", "undef"])("%s: topics, their key and a dashboard, nothing else", (name) => {
    expect(childrenOf(result, name)).toEqual(
      [
        `${T.dashboard} ${name}-dashboard`,
        `${T.key} ${name}-alerts`,
        `${T.topic} ${name}-page`,
        `${T.topic} ${name}-notify`,
        `${T.topicPolicy} ${name}-page`,
        `${T.topicPolicy} ${name}-notify`,
      ].sort(),
    );
    for (const child of result.resources.filter((x) => x.parent === resource(result, T.component, name).urn)) {
      expect(child.options).toEqual({});
    }
  });

  test("dashboard: false means no dashboard, no dashboardName and none registered", () => {
    expect(childrenOf(result, "nodash").filter((c) => c.startsWith(T.dashboard))).toEqual([]);
    expect(bundles["nodash"]!.dashboardName === undefined).toBe(true);
    expect(out("nodash")).not.toHaveProperty("dashboardName");
    expect(registered["nodash"]?.length).toBe(1);
    const outputs = registered["nodash"]![0]!;
    expect(Object.keys(outputs).sort()).toEqual(["notifyTopicArn", "pageTopicArn"]);
    expect(outputs["pageTopicArn"] === bundles["nodash"]!.pageTopicArn).toBe(true);
    expect(outputs["notifyTopicArn"] === bundles["nodash"]!.notifyTopicArn).toBe(true);
  });

  test.each(["prod", "stage", "omitted", "undef"])("%s registers its topics and dashboard as its outputs", (name) => {
    expect(registered[name]?.length).toBe(1);
    const outputs = registered[name]![0]!;
    const b = bundles[name]!;
    expect(Object.keys(outputs).sort()).toEqual(["dashboardName", "notifyTopicArn", "pageTopicArn"]);
    // Compared by identity (a failing `toBe` would print the Outputs' whole object graphs).
    expect(outputs["pageTopicArn"] === b.pageTopicArn).toBe(true);
    expect(outputs["notifyTopicArn"] === b.notifyTopicArn).toBe(true);
    expect(outputs["dashboardName"] === b.dashboardName).toBe(true);
    expect(out(name).dashboardName).toBe("saas-platform-test");
  });

  test("the bundle has its type, and looks up its account (and the dashboard its region) under itself", () => {
    expect(resource(result, T.component, "prod").type).toBe("saas-platform:components:MonitoringBundle");
    const under = (name: string) => invokes.filter((i) => i.parent === name).map((i) => i.token);
    expect(under("prod")).toEqual(["aws:index/getCallerIdentity:getCallerIdentity", "aws:index/getRegion:getRegion"]);
    expect(under("nodash")).toEqual(["aws:index/getCallerIdentity:getCallerIdentity"]);
  });

  describe("the dashboard", () => {
    const bodyOf = (name: string) => {
      const d = resource(result, T.dashboard, `${name}-dashboard`);
      expect(d.inputs["dashboardName"]).toBe("saas-platform-test");
      expect(d.options).toEqual({});
      return JSON.parse(String(d.inputs["dashboardBody"])) as unknown;
    };

    test("every watched component, the health checks by id and a row per further service, in the region", () => {
      expect(bodyOf("prod")).toEqual(
        dashboardBody({
          region: "eu-west-1",
          thresholds: { ...DEFAULT_THRESHOLDS, ...PROD_THRESHOLDS },
          lb: PROD_API.lb,
          tg: PROD_API.tg,
          cluster: "acme-cluster",
          service: "acme-api",
          db: "acme-db",
          nodes: ["acme-cache-001", "acme-cache-002"],
          healthChecks: ["api", "web", "admin"].map((id) => idOf(result, T.healthCheck, `prod-uptime-${id}`)),
          services: [
            { name: "admin", tg: PROD_ADMIN.tg, cluster: "acme-cluster", service: "acme-admin" },
            { name: "jobs", cluster: "acme-cluster", service: "acme-jobs" },
          ],
        }),
      );
    });

    test("without uptime checks or further services, no uptime widget and no service rows", () => {
      expect(bodyOf("stage")).toEqual(
        dashboardBody({
          region: "eu-west-1",
          thresholds: DEFAULT_THRESHOLDS,
          lb: STAGE_API.lb,
          tg: STAGE_API.tg,
          cluster: "shared-cluster",
          service: "pr-7-api",
          db: "stage-db",
          nodes: ["stage-cache-001"],
          healthChecks: [],
        }),
      );
    });

    test.each(["omitted", "undef"])("%s: nothing watched, no widget", (name) => {
      expect(bodyOf(name)).toEqual({ widgets: [] });
    });
  });
});

describe("the alarm transform", () => {
  let result: SynthResult;
  const seen: Array<{ name: string; keys: string[]; parent: unknown; provider: unknown; ignoreChanges: unknown }> = [];
  let fn: MonitoringBundle;
  let usEast1: aws.Provider;
  beforeAll(async () => {
    result = await recordProgram(STACK, async () => {
      usEast1 = new aws.Provider("us-east-1", { region: "us-east-1" });
      new MonitoringBundle("merged", {
        production: false,
        emails: [],
        watch: { database: database("db.t4g.micro", 20, "db") },
        dashboard: false,
        transform: { alarm: { threshold: 42, tags: { Team: "data" } } },
      });
      fn = new MonitoringBundle("fn", {
        production: false,
        emails: [],
        watch: { workers: { jobs: { clusterName: "c", serviceName: "s" } } },
        uptime: { apiHealthUrl: "https://api.acme-app.com/health" },
        usEast1,
        dashboard: false,
        alarmActionsScheduled: true,
        transform: {
          alarm: (args, opts, name) => {
            seen.push({
              name,
              keys: Object.keys(args).sort(),
              parent: opts.parent,
              provider: opts.provider,
              ignoreChanges: opts.ignoreChanges,
            });
            args.evaluationPeriods = 9;
          },
        },
      });
      return {};
    });
  });

  test("properties given are merged over every alarm's, and reach nothing else", () => {
    const urn = resource(result, T.component, "merged").urn;
    const alarms = ofType(result, T.alarm).filter((a) => a.parent === urn);
    expect(alarms.map((a) => a.name)).toEqual([
      "merged-db-connections",
      "merged-db-cpu",
      "merged-db-free-storage",
      "merged-db-freeable-memory",
    ]);
    for (const a of alarms) {
      expect(a.inputs).toMatchObject({ threshold: 42, tags: { Team: "data" }, namespace: "AWS/RDS" });
    }
    expect(resource(result, T.topic, "merged-page").inputs["tags"]).toEqual({});
  });

  test("a function sees each alarm's id, its whole args and its options, and edits that alarm", () => {
    const withoutQueries = [
      "alarmActions",
      "alarmDescription",
      "comparisonOperator",
      "dimensions",
      "evaluationPeriods",
      "metricName",
      "namespace",
      "okActions",
      "period",
      "statistic",
      "tags",
      "threshold",
      "treatMissingData",
    ];
    // Resources are compared by identity and named: a failing comparison must not print their object graphs.
    const label = (x: unknown) => (x === fn ? "fn" : x === usEast1 ? "us-east-1" : x === undefined ? "none" : "other");
    expect(seen.map((x) => ({ ...x, parent: label(x.parent), provider: label(x.provider) }))).toEqual([
      { name: "fn-jobs-cpu", keys: withoutQueries, parent: "fn", provider: "none", ignoreChanges: ["actionsEnabled"] },
      {
        name: "fn-jobs-memory",
        keys: withoutQueries,
        parent: "fn",
        provider: "none",
        ignoreChanges: ["actionsEnabled"],
      },
      { name: "fn-uptime-api", keys: withoutQueries, parent: "fn", provider: "us-east-1", ignoreChanges: undefined },
    ]);
    for (const name of ["fn-jobs-cpu", "fn-jobs-memory", "fn-uptime-api"]) {
      expect(resource(result, T.alarm, name).inputs["evaluationPeriods"]).toBe(9);
    }
  });
});

describe("dashboardBody", () => {
  const widget = (title: string, metrics: unknown[][], extra: object = {}) => ({
    type: "metric",
    width: 8,
    height: 6,
    properties: { title, region: "eu-west-1", view: "timeSeries", stat: "Average", period: 60, metrics, ...extra },
  });

  test("every widget, metric and dimension for the API, uptime, database, cache and further services", () => {
    expect(
      dashboardBody({
        region: "eu-west-1",
        thresholds: { ...DEFAULT_THRESHOLDS, latencyP50Ms: 250, latencyP99Ms: 1200, errorRatePercent: 3 },
        lb: "app/alb/1",
        tg: "targetgroup/api/2",
        cluster: "cl",
        service: "api-svc",
        db: "db-1",
        nodes: ["n-1", "n-2"],
        healthChecks: ["hc-1", "hc-2"],
        services: [
          { name: "admin", tg: "targetgroup/admin/3", cluster: "cl", service: "admin-svc" },
          { name: "jobs", cluster: "cl2", service: "jobs-svc" },
        ],
      }),
    ).toEqual({
      widgets: [
        widget(
          "API latency (s)",
          [
            [
              "AWS/ApplicationELB",
              "TargetResponseTime",
              "LoadBalancer",
              "app/alb/1",
              "TargetGroup",
              "targetgroup/api/2",
              { stat: "p50", label: "p50" },
            ],
            ["...", { stat: "p99", label: "p99" }],
          ],
          {
            annotations: {
              horizontal: [
                { label: "p50 target", value: 0.25 },
                { label: "p99 target", value: 1.2 },
              ],
            },
          },
        ),
        widget(
          "API 5xx rate (%)",
          [
            [{ expression: "IF(m3 > 0, 100 * (FILL(m1, 0) + FILL(m2, 0)) / m3, 0)", label: "5xx rate", id: "e1" }],
            [
              "AWS/ApplicationELB",
              "HTTPCode_Target_5XX_Count",
              "LoadBalancer",
              "app/alb/1",
              "TargetGroup",
              "targetgroup/api/2",
              { id: "m1", stat: "Sum", visible: false },
            ],
            [
              "AWS/ApplicationELB",
              "HTTPCode_ELB_5XX_Count",
              "LoadBalancer",
              "app/alb/1",
              { id: "m2", stat: "Sum", visible: false },
            ],
            [
              "AWS/ApplicationELB",
              "RequestCount",
              "LoadBalancer",
              "app/alb/1",
              { id: "m3", stat: "Sum", visible: false },
            ],
          ],
          { annotations: { horizontal: [{ label: "target", value: 3 }] } },
        ),
        widget("API healthy tasks and CPU / memory (%)", [
          ["AWS/ECS", "CPUUtilization", "ClusterName", "cl", "ServiceName", "api-svc"],
          ["AWS/ECS", "MemoryUtilization", "ClusterName", "cl", "ServiceName", "api-svc"],
          [
            "AWS/ApplicationELB",
            "HealthyHostCount",
            "TargetGroup",
            "targetgroup/api/2",
            "LoadBalancer",
            "app/alb/1",
            { stat: "Minimum", yAxis: "right" },
          ],
        ]),
        widget(
          "Uptime (% of Route 53 checkers that see it healthy)",
          [
            ["AWS/Route53", "HealthCheckPercentageHealthy", "HealthCheckId", "hc-1"],
            ["AWS/Route53", "HealthCheckPercentageHealthy", "HealthCheckId", "hc-2"],
          ],
          { region: "us-east-1" },
        ),
        widget("Database CPU (%) and connections", [
          ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "db-1"],
          ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", "db-1", { yAxis: "right" }],
        ]),
        widget("Database free storage and memory (bytes)", [
          ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", "db-1"],
          ["AWS/RDS", "FreeableMemory", "DBInstanceIdentifier", "db-1"],
        ]),
        widget(
          "Cache CPU / memory (%) and evictions",
          ["n-1", "n-2"].flatMap((id) => [
            ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", id],
            ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", id],
            ["AWS/ElastiCache", "Evictions", "CacheClusterId", id, { stat: "Sum", yAxis: "right" }],
          ]),
        ),
        widget("admin latency (s)", [
          [
            "AWS/ApplicationELB",
            "TargetResponseTime",
            "LoadBalancer",
            "app/alb/1",
            "TargetGroup",
            "targetgroup/admin/3",
            { stat: "p50", label: "p50" },
          ],
          ["...", { stat: "p99", label: "p99" }],
        ]),
        widget("admin 5xx rate (%)", [
          [{ expression: "IF(m2 > 0, 100 * FILL(m1, 0) / m2, 0)", label: "5xx rate", id: "e1" }],
          [
            "AWS/ApplicationELB",
            "HTTPCode_Target_5XX_Count",
            "LoadBalancer",
            "app/alb/1",
            "TargetGroup",
            "targetgroup/admin/3",
            { id: "m1", stat: "Sum", visible: false },
          ],
          [
            "AWS/ApplicationELB",
            "RequestCount",
            "LoadBalancer",
            "app/alb/1",
            "TargetGroup",
            "targetgroup/admin/3",
            { id: "m2", stat: "Sum", visible: false },
          ],
        ]),
        widget("admin CPU / memory (%)", [
          ["AWS/ECS", "CPUUtilization", "ClusterName", "cl", "ServiceName", "admin-svc"],
          ["AWS/ECS", "MemoryUtilization", "ClusterName", "cl", "ServiceName", "admin-svc"],
        ]),
        widget("jobs CPU / memory (%)", [
          ["AWS/ECS", "CPUUtilization", "ClusterName", "cl2", "ServiceName", "jobs-svc"],
          ["AWS/ECS", "MemoryUtilization", "ClusterName", "cl2", "ServiceName", "jobs-svc"],
        ]),
      ],
    });
  });

  test("nothing to show: no widget, with or without a list of services", () => {
    const empty = {
      region: "eu-west-1",
      thresholds: DEFAULT_THRESHOLDS,
      lb: "",
      tg: "",
      cluster: "",
      service: "",
      db: "",
      nodes: [],
      healthChecks: [],
    };
    expect(dashboardBody(empty)).toEqual({ widgets: [] });
    expect(dashboardBody({ ...empty, services: [] })).toEqual({ widgets: [] });
  });

  test("each tier alone shows only its widgets", () => {
    const none = {
      region: "us-west-2",
      thresholds: DEFAULT_THRESHOLDS,
      lb: "",
      tg: "",
      cluster: "",
      service: "",
      db: "",
      nodes: [] as string[],
      healthChecks: [] as string[],
    };
    const titles = (d: Partial<typeof none>) =>
      (dashboardBody({ ...none, ...d }).widgets as Array<{ properties: { title: string; region: string } }>).map(
        (w) => `${w.properties.title} @ ${w.properties.region}`,
      );
    expect(titles({ db: "db" })).toEqual([
      "Database CPU (%) and connections @ us-west-2",
      "Database free storage and memory (bytes) @ us-west-2",
    ]);
    expect(titles({ nodes: ["n"] })).toEqual(["Cache CPU / memory (%) and evictions @ us-west-2"]);
    expect(titles({ healthChecks: ["h"] })).toEqual([
      "Uptime (% of Route 53 checkers that see it healthy) @ us-east-1",
    ]);
    expect(titles({ lb: "lb" })).toEqual([
      "API latency (s) @ us-west-2",
      "API 5xx rate (%) @ us-west-2",
      "API healthy tasks and CPU / memory (%) @ us-west-2",
    ]);
  });
});

describe("thresholds and max_connections", () => {
  test("the defaults are the product's targets", () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      latencyP50Ms: 200,
      latencyP99Ms: 1000,
      errorRatePercent: 1,
      serviceCpuPercent: 80,
      serviceMemoryPercent: 80,
      databaseCpuPercent: 80,
      databaseFreeStoragePercent: 10,
      databaseFreeableMemoryMiB: 256,
      databaseConnectionsPercent: 80,
      cacheCpuPercent: 80,
      cacheMemoryPercent: 80,
    });
  });

  // PostgreSQL's default: memory / 9531392 bytes, rounded down, at most 5000; r* classes have twice the memory.
  test.each([
    ["db.t4g.micro", 112],
    ["db.t4g.small", 225],
    ["db.t4g.medium", 450],
    ["db.m7g.large", 901],
    ["db.m7g.xlarge", 1802],
    ["db.m5.2xlarge", 3604],
    ["db.m5.4xlarge", 5000],
    ["db.m5.8xlarge", 5000],
    ["db.r7g.large", 1802],
    ["db.r6g.xlarge", 3604],
    ["db.r5.2xlarge", 5000],
  ])("%s allows %i connections", (instanceClass, expected) => {
    expect(maxConnections(instanceClass)).toBe(expected);
  });

  test.each([
    "db.x2g.weird",
    "xdb.t4g.micro",
    "db.t4g.micro-x",
    "dbxt4g.micro",
    "db.t4gxmicro",
    "db.t4g.",
    "db.T4G.micro",
  ])("%s is not a class it knows", (instanceClass) => {
    expect(maxConnections(instanceClass)).toBeUndefined();
  });
});

describe("the chatbot configuration name", () => {
  test("keeps the characters the Chatbot API allows, replaces every other one, and stops at 128", () => {
    expect(chatbotConfigurationName("My_Proj-1", "Stage_2")).toBe("My_Proj-1-Stage_2-alerts");
    expect(chatbotConfigurationName("acme.app", "pr 42/x")).toBe("acme-app-pr-42-x-alerts");
    expect(chatbotConfigurationName("p".repeat(100), "s".repeat(40))).toBe(`${"p".repeat(100)}-${"s".repeat(27)}`);
  });
});

describe("validateMonitoringArgs", () => {
  const valid: MonitoringBundleArgs = { production: true, emails: ["oncall@acme-app.com"], watch: {} };
  const usEast1 = {} as aws.Provider;
  const problems = (changes: Partial<MonitoringBundleArgs>, name = "monitoring"): string[] => {
    try {
      validateMonitoringArgs(name, { ...valid, ...changes });
    } catch (e) {
      const [header, ...lines] = (e as Error).message.split("\n");
      expect(header).toBe(`MonitoringBundle "${name}" has invalid args:`);
      return lines.map((l) => l.replace(/^ {2}- /, ""));
    }
    return [];
  };

  test.each<[string, Partial<MonitoringBundleArgs>]>([
    ["the minimum", {}],
    ["no address outside production", { production: false, emails: [] }],
    ["addresses of every shape", { emails: ["a@b.c", "ops.team+alerts@mail.acme-app.co.uk"] }],
    [
      "every uptime URL with usEast1",
      {
        uptime: {
          apiHealthUrl: "https://api.acme-app.com/health",
          webUrl: "https://acme-app.com",
          serviceHealthUrls: { admin: "https://admin-1.acme-app.com/status?deep=1" },
        },
        usEast1,
      },
    ],
    ["uptime URLs given as undefined", { uptime: { apiHealthUrl: undefined, webUrl: undefined }, usEast1 }],
    ["Slack ids at their shortest", { slack: { workspaceId: "T", channelId: "c" } }],
    ["Slack ids at their longest", { slack: { workspaceId: "T".repeat(255), channelId: "c".repeat(255) } }],
    ["Slack ids of every allowed character", { slack: { workspaceId: "T0123ABCD", channelId: "C0123abcDEF" } }],
    ["a budget of a cent", { monthlyBudgetUsd: 0.01 }],
    ["thresholds of zero", { thresholds: { errorRatePercent: 0, latencyP50Ms: 0 } }],
    // An explicit undefined keeps the default, as for every other arg.
    ["a threshold given as undefined", { thresholds: { errorRatePercent: undefined, latencyP99Ms: 1500 } }],
  ])("accepts %s", (_, changes) => {
    expect(problems(changes)).toEqual([]);
  });

  test.each<[string, Partial<MonitoringBundleArgs>, string]>([
    ...[
      "ops",
      "ops@localhost",
      " ops@acme-app.com",
      "ops@acme-app.com ",
      "o ps@acme-app.com",
      "ops@acme app.com",
      "ops@acme-app.c om",
      "a@b@acme-app.com",
      "ops@acme-app.c@m",
    ].map((email): [string, Partial<MonitoringBundleArgs>, string] => [
      `the address "${email}"`,
      { emails: [email] },
      `emails must be email addresses (got ${email})`,
    ]),
    ["no address in production", { emails: [] }, "emails must list at least one address in production"],
    [
      "uptime without usEast1",
      { uptime: {} },
      "usEast1 must be an aws.Provider for us-east-1: Route 53 publishes health-check metrics only there",
    ],
    ...[
      "http://api.acme-app.com/health",
      "xhttps://api.acme-app.com",
      "https://api.acme-app.com/x y",
      "https://API.acme-app.com",
      "https://api_1.acme-app.com",
      "https://acme-app.com?x=1",
      "https://",
    ].map((url): [string, Partial<MonitoringBundleArgs>, string] => [
      `the API URL "${url}"`,
      { uptime: { apiHealthUrl: url }, usEast1 },
      `uptime.apiHealthUrl must be an https:// URL (got "${url}")`,
    ]),
    [
      "a web URL over http",
      { uptime: { webUrl: "http://acme-app.com" }, usEast1 },
      'uptime.webUrl must be an https:// URL (got "http://acme-app.com")',
    ],
    [
      "a service URL over http",
      { uptime: { serviceHealthUrls: { admin: "http://admin.acme-app.com" } }, usEast1 },
      'uptime.serviceHealthUrls.admin must be an https:// URL (got "http://admin.acme-app.com")',
    ],
    ...["t0123abcd", "", "T".repeat(256), " T0123", "T0123 ", "T-1"].map(
      (workspaceId): [string, Partial<MonitoringBundleArgs>, string] => [
        `the workspace "${workspaceId}"`,
        { slack: { workspaceId, channelId: "C0123ABCDEF" } },
        `slack.workspaceId must be a Slack workspace id such as T0123ABCD (got "${workspaceId}")`,
      ],
    ),
    ...["#alerts", "", "C".repeat(256), " C0123", "C0123 ", "C_1"].map(
      (channelId): [string, Partial<MonitoringBundleArgs>, string] => [
        `the channel "${channelId}"`,
        { slack: { workspaceId: "T0123ABCD", channelId } },
        `slack.channelId must be a Slack channel id such as C0123ABCDEF (got "${channelId}")`,
      ],
    ),
    ...[0, -5, Number.NaN].map((usd): [string, Partial<MonitoringBundleArgs>, string] => [
      `a budget of ${usd}`,
      { monthlyBudgetUsd: usd },
      `monthlyBudgetUsd must be a positive amount (got ${usd})`,
    ]),
    [
      "a negative threshold",
      { thresholds: { latencyP99Ms: -1 } },
      "thresholds.latencyP99Ms must be a non-negative number (got -1)",
    ],
    [
      "a threshold that is not a number",
      { thresholds: { cacheCpuPercent: "80" as never } },
      "thresholds.cacheCpuPercent must be a non-negative number (got 80)",
    ],
    [
      "a threshold that is NaN",
      { thresholds: { cacheCpuPercent: Number.NaN } },
      "thresholds.cacheCpuPercent must be a non-negative number (got NaN)",
    ],
  ])("rejects %s, alone, in exact words", (_, changes, problem) => {
    expect(problems(changes)).toEqual([problem]);
  });

  test("every problem at once, in order, under the component's name", () => {
    expect(
      problems(
        {
          emails: ["ops", "dev@acme-app.com", "qa"],
          uptime: {
            apiHealthUrl: "http://a",
            webUrl: "ftp://b",
            serviceHealthUrls: { admin: "http://c", docs: "https://docs.acme-app.com" },
          },
          slack: { workspaceId: "team", channelId: "#ops" },
          monthlyBudgetUsd: -1,
          thresholds: { latencyP50Ms: -1, errorRatePercent: 1, cacheMemoryPercent: -2 },
        },
        "alerts",
      ),
    ).toEqual([
      "emails must be email addresses (got ops, qa)",
      "usEast1 must be an aws.Provider for us-east-1: Route 53 publishes health-check metrics only there",
      'uptime.apiHealthUrl must be an https:// URL (got "http://a")',
      'uptime.webUrl must be an https:// URL (got "ftp://b")',
      'uptime.serviceHealthUrls.admin must be an https:// URL (got "http://c")',
      'slack.workspaceId must be a Slack workspace id such as T0123ABCD (got "team")',
      'slack.channelId must be a Slack channel id such as C0123ABCDEF (got "#ops")',
      "monthlyBudgetUsd must be a positive amount (got -1)",
      "thresholds.latencyP50Ms must be a non-negative number (got -1)",
      "thresholds.cacheMemoryPercent must be a non-negative number (got -2)",
    ]);
    expect(problems({ production: true, emails: [] })).toEqual(["emails must list at least one address in production"]);
    expect(problems({ production: true, emails: ["x"] })).toEqual(["emails must be email addresses (got x)"]);
  });

  test("the component checks its args before declaring anything", async () => {
    const error = await recordProgram(STACK, async () => {
      new MonitoringBundle("bad", { production: true, emails: [], watch: {} });
      return {};
    }).then(
      () => undefined,
      (e: Error & { declared?: RecordedResource[] }) => e,
    );
    expect(error?.message).toBe(
      'MonitoringBundle "bad" has invalid args:\n  - emails must list at least one address in production',
    );
    expect(error?.declared?.filter((x) => x.name.startsWith("bad"))).toEqual([]);
  });
});

describe("SentryProjects", () => {
  let result: SynthResult;
  let projects: SentryProjects;
  let registered: Array<Record<string, unknown>>;
  beforeAll(async () => {
    const { result: built, recorded } = await recordCalls(() =>
      recordProgram(STACK, async () => {
        projects = new SentryProjects("sentry", { organization: "acme", team: "platform", prefix: "acme-app" });
        return {
          apiDsn: projects.apiDsn,
          webDsn: projects.webDsn,
          apiDsnIsSecret: pulumi.output(pulumi.isSecret(projects.apiDsn)),
        };
      }),
    );
    result = built;
    registered = recorded.registeredBy(projects);
  });

  test("a retained project per app, without a platform, and a key for this stack on each", () => {
    const component = resource(result, T.sentryComponent, "sentry");
    for (const app of ["api", "web"]) {
      const project = resource(result, T.sentryProject, `sentry-${app}`);
      expect(project.inputs).toEqual({
        organization: "acme",
        teams: ["platform"],
        name: `acme-app-${app}`,
        slug: `acme-app-${app}`,
      });
      expect(project.options).toEqual({ retainOnDelete: true });
      const key = resource(result, T.sentryKey, `sentry-${app}`);
      expect(key.inputs).toEqual({ organization: "acme", project: project.state!["slug"], name: "test" });
      expect(key.options).toEqual({});
      for (const child of [project, key]) expect(child.parent).toBe(component.urn);
    }
    expect(result.resources.filter((x) => x.parent === component.urn)).toHaveLength(4);
  });

  test("the DSNs are each key's public DSN (public by design: SDKs embed it), registered as outputs", () => {
    for (const app of ["api", "web"]) {
      expect(result.outputs[`${app}Dsn`]).toBe(resource(result, T.sentryKey, `sentry-${app}`).state!["dsnPublic"]);
    }
    expect(result.outputs["apiDsnIsSecret"]).toBe(false);
    expect(registered.length).toBe(1);
    expect(Object.keys(registered[0]!).sort()).toEqual(["apiDsn", "webDsn"]);
    expect(registered[0]!["apiDsn"] === projects.apiDsn).toBe(true);
    expect(registered[0]!["webDsn"] === projects.webDsn).toBe(true);
  });

  const sentryProblems = (args: SentryProjectsArgs): string[] => {
    try {
      validateSentryArgs("sentry", args);
    } catch (e) {
      const [header, ...lines] = (e as Error).message.split("\n");
      expect(header).toBe('SentryProjects "sentry" has invalid args:');
      return lines.map((l) => l.replace(/^ {2}- /, ""));
    }
    return [];
  };
  const ok = { organization: "acme", team: "platform", prefix: "acme-app" };

  test.each(["a", "0", "acme_app-2", "9lives", "a".repeat(50)])("accepts the slug %s everywhere", (slug) => {
    expect(sentryProblems({ organization: slug, team: slug, prefix: slug })).toEqual([]);
  });

  test.each(["", "Acme", "-acme", "_acme", "acme!", "!acme", "ac me", "a".repeat(51)])(
    "rejects the slug %p for each key, in exact words",
    (slug) => {
      for (const key of ["organization", "team", "prefix"] as const) {
        expect(sentryProblems({ ...ok, [key]: slug })).toEqual([
          `${key} must be a Sentry slug (lowercase letters, digits, - and _) (got "${slug}")`,
        ]);
      }
    },
  );

  test("every bad slug at once, in order", () => {
    expect(sentryProblems({ organization: "Acme", team: "Platform Team", prefix: "-app" })).toEqual([
      'organization must be a Sentry slug (lowercase letters, digits, - and _) (got "Acme")',
      'team must be a Sentry slug (lowercase letters, digits, - and _) (got "Platform Team")',
      'prefix must be a Sentry slug (lowercase letters, digits, - and _) (got "-app")',
    ]);
  });

  test("the component checks its args before declaring anything", async () => {
    const error = await recordProgram(STACK, async () => {
      new SentryProjects("bad", { organization: "Acme", team: "platform", prefix: "app" });
      return {};
    }).then(
      () => undefined,
      (e: Error & { declared?: RecordedResource[] }) => e,
    );
    expect(error?.message).toBe(
      'SentryProjects "bad" has invalid args:\n  - organization must be a Sentry slug (lowercase letters, digits, - and _) (got "Acme")',
    );
    expect(error?.declared?.filter((x) => x.name.startsWith("bad"))).toEqual([]);
  });
});
