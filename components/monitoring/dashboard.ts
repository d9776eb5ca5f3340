import * as aws from "@pulumi/aws";
import { namingScope } from "../naming";
import * as pulumi from "@pulumi/pulumi";
import type { ApiService } from "../api-service";
import type { ManagedPostgres } from "../managed-postgres";
import type { RedisCache } from "../redis-cache";
import type { Thresholds } from "./thresholds";

/** A CloudWatch dashboard of the watched components, named after the project and stack. Returns its name. */
export function monitoringDashboard(a: {
  readonly name: string;
  readonly watch: {
    readonly api?: ApiService<"aws">;
    readonly services?: Readonly<Record<string, ApiService<"aws">>>;
    readonly workers?: Readonly<
      Record<string, { readonly clusterName: pulumi.Input<string>; readonly serviceName: pulumi.Input<string> }>
    >;
    readonly database?: ManagedPostgres<"aws">;
    readonly cache?: RedisCache<"aws">;
  };
  readonly thresholds: Thresholds;
  /** The uptime checks' Route 53 health check ids. */
  readonly healthCheckIds: readonly pulumi.Output<string>[];
  readonly parent: pulumi.ComponentResource;
}): pulumi.Output<string> {
  const { api, database, cache } = a.watch;
  const region = aws.getRegionOutput({}, { parent: a.parent }).region;
  const cloud = api?.cloud;
  const nodeIds = cache?.cloud.nodes.ids ?? pulumi.output([] as string[]);
  // A row per further service, after the API's and the data tiers' (their widgets keep their places).
  const rows = pulumi.all([
    ...Object.entries(a.watch.services ?? {}).map(([name, http]) =>
      pulumi
        .all([http.cloud.targetGroupArnSuffix, http.cloud.clusterName, http.cloud.serviceName])
        .apply(([tg, cluster, service]): ServiceRow => ({ name, tg, cluster, service })),
    ),
    ...Object.entries(a.watch.workers ?? {}).map(([name, worker]) =>
      pulumi
        .all([worker.clusterName, worker.serviceName])
        .apply(([cluster, service]): ServiceRow => ({ name, cluster, service })),
    ),
  ]);
  const body = pulumi
    .all([
      region,
      cloud?.loadBalancerArnSuffix ?? "",
      cloud?.targetGroupArnSuffix ?? "",
      cloud?.clusterName ?? "",
      cloud?.serviceName ?? "",
      database?.cloud.instanceIdentifier ?? "",
      pulumi.all([nodeIds, pulumi.all([...a.healthCheckIds]), rows]),
    ])
    .apply(([awsRegion, lb, tg, cluster, service, db, [nodes, healthChecks, services]]) =>
      JSON.stringify(
        dashboardBody({
          region: awsRegion,
          thresholds: a.thresholds,
          lb,
          tg,
          cluster,
          service,
          db,
          nodes,
          healthChecks,
          services,
        }),
      ),
    );
  const dashboard = new aws.cloudwatch.Dashboard(
    `${a.name}-dashboard`,
    { dashboardName: `${namingScope().project}-${namingScope().stack}`, dashboardBody: body },
    { parent: a.parent },
  );
  return dashboard.dashboardName;
}

/** The dashboard: the product's targets first (latency, errors, uptime), then each tier's saturation. */
export function dashboardBody(d: {
  region: string;
  thresholds: Thresholds;
  lb: string;
  tg: string;
  cluster: string;
  service: string;
  db: string;
  nodes: readonly string[];
  /** Route 53 health check ids: their metrics exist only per `HealthCheckId`, in us-east-1. */
  healthChecks: readonly string[];
  /** Further services: a row each (latency and 5xx for an HTTP service, which has a target group; CPU and memory). */
  services?: readonly ServiceRow[];
}): { widgets: object[] } {
  const widgets: object[] = [];
  const metric = (title: string, metrics: unknown[][], extra: object = {}) =>
    widgets.push({
      type: "metric",
      width: 8,
      height: 6,
      properties: { title, region: d.region, view: "timeSeries", stat: "Average", period: 60, metrics, ...extra },
    });
  if (d.lb !== "") {
    metric(
      "API latency (s)",
      [
        [
          "AWS/ApplicationELB",
          "TargetResponseTime",
          "LoadBalancer",
          d.lb,
          "TargetGroup",
          d.tg,
          { stat: "p50", label: "p50" },
        ],
        ["...", { stat: "p99", label: "p99" }],
      ],
      {
        annotations: {
          horizontal: [
            { label: "p50 target", value: d.thresholds.latencyP50Ms / 1000 },
            { label: "p99 target", value: d.thresholds.latencyP99Ms / 1000 },
          ],
        },
      },
    );
    metric(
      "API 5xx rate (%)",
      [
        [{ expression: "IF(m3 > 0, 100 * (FILL(m1, 0) + FILL(m2, 0)) / m3, 0)", label: "5xx rate", id: "e1" }],
        [
          "AWS/ApplicationELB",
          "HTTPCode_Target_5XX_Count",
          "LoadBalancer",
          d.lb,
          "TargetGroup",
          d.tg,
          { id: "m1", stat: "Sum", visible: false },
        ],
        [
          "AWS/ApplicationELB",
          "HTTPCode_ELB_5XX_Count",
          "LoadBalancer",
          d.lb,
          { id: "m2", stat: "Sum", visible: false },
        ],
        ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", d.lb, { id: "m3", stat: "Sum", visible: false }],
      ],
      { annotations: { horizontal: [{ label: "target", value: d.thresholds.errorRatePercent }] } },
    );
    metric("API healthy tasks and CPU / memory (%)", [
      ["AWS/ECS", "CPUUtilization", "ClusterName", d.cluster, "ServiceName", d.service],
      ["AWS/ECS", "MemoryUtilization", "ClusterName", d.cluster, "ServiceName", d.service],
      [
        "AWS/ApplicationELB",
        "HealthyHostCount",
        "TargetGroup",
        d.tg,
        "LoadBalancer",
        d.lb,
        { stat: "Minimum", yAxis: "right" },
      ],
    ]);
  }
  if (d.healthChecks.length > 0) {
    metric(
      "Uptime (% of Route 53 checkers that see it healthy)",
      d.healthChecks.map((id) => ["AWS/Route53", "HealthCheckPercentageHealthy", "HealthCheckId", id]),
      { region: "us-east-1" },
    );
  }
  if (d.db !== "") {
    metric("Database CPU (%) and connections", [
      ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", d.db],
      ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", d.db, { yAxis: "right" }],
    ]);
    metric("Database free storage and memory (bytes)", [
      ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", d.db],
      ["AWS/RDS", "FreeableMemory", "DBInstanceIdentifier", d.db],
    ]);
  }
  if (d.nodes.length > 0) {
    metric(
      "Cache CPU / memory (%) and evictions",
      d.nodes.flatMap((id) => [
        ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", id],
        ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", id],
        ["AWS/ElastiCache", "Evictions", "CacheClusterId", id, { stat: "Sum", yAxis: "right" }],
      ]),
    );
  }
  for (const row of d.services ?? []) {
    if (row.tg !== undefined) {
      metric(`${row.name} latency (s)`, [
        [
          "AWS/ApplicationELB",
          "TargetResponseTime",
          "LoadBalancer",
          d.lb,
          "TargetGroup",
          row.tg,
          { stat: "p50", label: "p50" },
        ],
        ["...", { stat: "p99", label: "p99" }],
      ]);
      metric(`${row.name} 5xx rate (%)`, [
        [{ expression: "IF(m2 > 0, 100 * FILL(m1, 0) / m2, 0)", label: "5xx rate", id: "e1" }],
        [
          "AWS/ApplicationELB",
          "HTTPCode_Target_5XX_Count",
          "LoadBalancer",
          d.lb,
          "TargetGroup",
          row.tg,
          { id: "m1", stat: "Sum", visible: false },
        ],
        [
          "AWS/ApplicationELB",
          "RequestCount",
          "LoadBalancer",
          d.lb,
          "TargetGroup",
          row.tg,
          { id: "m2", stat: "Sum", visible: false },
        ],
      ]);
    }
    metric(`${row.name} CPU / memory (%)`, [
      ["AWS/ECS", "CPUUtilization", "ClusterName", row.cluster, "ServiceName", row.service],
      ["AWS/ECS", "MemoryUtilization", "ClusterName", row.cluster, "ServiceName", row.service],
    ]);
  }
  return { widgets };
}

/** A further service on the dashboard: its target group when it is behind the load balancer. */
export interface ServiceRow {
  readonly name: string;
  readonly tg?: string;
  readonly cluster: string;
  readonly service: string;
}
