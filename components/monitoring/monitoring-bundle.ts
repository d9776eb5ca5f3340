import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ApiService } from "../api-service";
import type { ManagedPostgres } from "../managed-postgres";
import type { RedisCache } from "../redis-cache";
import { transform, type Transform } from "../transform";
import { DEFAULT_THRESHOLDS, maxConnections, type Thresholds } from "./thresholds";
import { throwIfInvalid } from "../validation";
import { withDefaults } from "../defaults";
import { slackChannel, type SlackChannel } from "./chatbot";
import { monitoringDashboard } from "./dashboard";
import { SLACK_CHANNEL_ID, SLACK_WORKSPACE_ID } from "./slack";
import { alarmTopics, type Topics } from "./topics";

/** How urgent an alarm is. P0/P1 page in production; everything else (and everything outside production) notifies. */
export type Priority = "P0" | "P1" | "P2" | "P3";

/** Arguments of {@link MonitoringBundle}. */
export interface MonitoringBundleArgs {
  /** Production pages for P0/P1; other stacks only notify. */
  readonly production: boolean;
  /** Who gets alarms by email (each address confirms its subscription once). */
  readonly emails: readonly string[];
  /**
   * A Slack channel subscribed to every topic through AWS Chatbot (Amazon Q Developer in chat applications). The
   * workspace must be authorised once in the Chatbot console first; see docs/components/monitoring.md.
   * @default - no Slack channel
   */
  readonly slack?: SlackChannel;
  /** The components to watch; alarms and dashboard widgets are derived from them. */
  readonly watch: {
    readonly api?: ApiService<"aws">;
    /**
     * Further HTTP services behind the same load balancer, by name: the API's alarms for each, on its target group and
     * ECS service (ids `<name>-<service>-…`).
     */
    readonly services?: Readonly<Record<string, ApiService<"aws">>>;
    /** Services without a load balancer (workers), by name: CPU and memory alarms on the ECS service. */
    readonly workers?: Readonly<
      Record<string, { readonly clusterName: pulumi.Input<string>; readonly serviceName: pulumi.Input<string> }>
    >;
    readonly database?: ManagedPostgres<"aws">;
    readonly cache?: RedisCache<"aws">;
  };
  /** Public URLs checked from Route 53 every 30 s (alarms live in us-east-1, where Route 53 publishes metrics). */
  readonly uptime?: {
    readonly apiHealthUrl?: string;
    readonly webUrl?: string;
    /** Health URLs of further public HTTP services, by service name (checks and alarms `<name>-uptime-<service>`). */
    readonly serviceHealthUrls?: Readonly<Record<string, string>>;
  };
  /** The us-east-1 provider for the uptime alarms and their topics. Required with `uptime`. */
  readonly usEast1?: aws.Provider;
  /** A CloudWatch dashboard of the watched components ($3/month each beyond the free three). @default true */
  readonly dashboard?: boolean;
  /** Monthly cost budget in USD for resources tagged with this stack; 80 % forecast and 100 % actual notify. */
  readonly monthlyBudgetUsd?: number;
  readonly thresholds?: Partial<Thresholds>;
  /**
   * A key for the topics in the stack's region whose policy lets `cloudwatch.amazonaws.com` and
   * `budgets.amazonaws.com` of this account use it (the network's logs key has that statement). The us-east-1
   * topics of the uptime checks keep a key of their own in that region.
   * @default - a key of the bundle's own ($1 a month)
   */
  readonly topicsKmsKeyArn?: pulumi.Input<string>;
  /**
   * An office-hours schedule switches the alarm actions of the stack's region off and on: `actionsEnabled` is then
   * ignored on update, so a deploy or a drift check at night leaves them as the schedule set them.
   * @default false
   */
  readonly alarmActionsScheduled?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
  readonly transform?: { readonly alarm?: Transform<aws.cloudwatch.MetricAlarmArgs> };
}

/**
 * Alarms on the product's targets, uptime checks, a dashboard and a cost budget, all derived from the components it
 * is given. Alarms go to encrypted SNS topics: `page` (production P0/P1) and `notify`, each with alarm and OK actions.
 */
export class MonitoringBundle extends pulumi.ComponentResource {
  public readonly pageTopicArn: pulumi.Output<string>;
  public readonly notifyTopicArn: pulumi.Output<string>;
  /** Absent with `dashboard: false`. */
  public readonly dashboardName: pulumi.Output<string> | undefined;
  /** Every alarm's logical name and priority, for docs and tests. */
  public readonly alarms: ReadonlyArray<{ readonly name: string; readonly priority: Priority }>;
  /**
   * The physical names and ARNs of the alarms in the stack's region (not the us-east-1 uptime alarms), e.g. for an
   * office-hours schedule that silences them while the stack sleeps.
   */
  public readonly regionalAlarms: { readonly names: pulumi.Output<string>[]; readonly arns: pulumi.Output<string>[] } =
    { names: [], arns: [] };

  private readonly args: MonitoringBundleArgs;
  private readonly thresholds: Thresholds;
  private readonly registered: Array<{ name: string; priority: Priority }> = [];

  constructor(name: string, args: MonitoringBundleArgs, opts?: pulumi.ComponentResourceOptions) {
    validateMonitoringArgs(name, args);
    super("saas-platform:components:MonitoringBundle", name, {}, opts);
    this.args = args;
    this.thresholds = withDefaults(DEFAULT_THRESHOLDS, args.thresholds);
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

    const tags = { ...args.tags };
    const topicArgs = { name, account, emails: args.emails, tags, parent: this };
    const topics = alarmTopics({ ...topicArgs, suffix: "", keyArn: args.topicsKmsKeyArn });
    this.pageTopicArn = topics.page.arn;
    this.notifyTopicArn = topics.notify.arn;
    const allTopics = [topics];

    const { api, database, cache } = args.watch;
    if (api !== undefined) this.apiAlarms(name, api, topics);
    for (const [service, http] of Object.entries(args.watch.services ?? {})) {
      this.apiAlarms(name, http, topics, service);
    }
    for (const [service, worker] of Object.entries(args.watch.workers ?? {})) {
      this.ecsAlarms(`${name}-${service}`, `${service} service`, worker, topics);
    }
    if (database !== undefined) this.databaseAlarms(name, database, topics);
    if (cache !== undefined) this.cacheAlarms(name, cache, topics);
    let healthCheckIds: pulumi.Output<string>[] = [];
    if (args.uptime && args.usEast1) {
      const usEast1Topics = alarmTopics({ ...topicArgs, suffix: "-us-east-1", provider: args.usEast1 });
      allTopics.push(usEast1Topics);
      healthCheckIds = this.uptimeChecks(name, args.uptime, usEast1Topics, args.usEast1);
    }
    if (args.slack !== undefined) slackChannel({ name, slack: args.slack, topics: allTopics, tags, parent: this });
    if (args.monthlyBudgetUsd !== undefined) this.budget(name, args.monthlyBudgetUsd, topics);
    this.dashboardName =
      args.dashboard === false
        ? undefined
        : monitoringDashboard({ name, watch: args.watch, thresholds: this.thresholds, healthCheckIds, parent: this });
    this.alarms = this.registered;
    this.registerOutputs({
      pageTopicArn: this.pageTopicArn,
      notifyTopicArn: this.notifyTopicArn,
      ...(this.dashboardName === undefined ? {} : { dashboardName: this.dashboardName }),
    });
  }

  /** One alarm on the topic its priority and the stack call for, with alarm and OK actions. */
  private alarm(
    id: string,
    priority: Priority,
    topics: Topics,
    args: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags">,
    provider?: aws.Provider,
  ): void {
    const topic = this.args.production && (priority === "P0" || priority === "P1") ? topics.page : topics.notify;
    this.registered.push({ name: id, priority });
    const alarm = new aws.cloudwatch.MetricAlarm(
      ...transform(
        this.args.transform?.alarm,
        id,
        {
          ...args,
          alarmDescription: pulumi.interpolate`[${priority}] ${args.alarmDescription ?? id} (runbook: docs/runbooks/incident-response.md#${id})`,
          alarmActions: [topic.arn],
          okActions: [topic.arn],
          tags: { ...this.args.tags, Priority: priority },
        },
        {
          parent: this,
          ...(provider ? { provider } : {}),
          // Office hours switch the stack's alarm actions off at night: an update or refresh must not switch them on.
          ...(provider === undefined && this.args.alarmActionsScheduled === true
            ? { ignoreChanges: ["actionsEnabled"] }
            : {}),
        },
      ),
    );
    if (provider === undefined) {
      this.regionalAlarms.names.push(alarm.name);
      this.regionalAlarms.arns.push(alarm.arn);
    }
  }

  private apiAlarms(name: string, api: ApiService<"aws">, topics: Topics, service = "api"): void {
    const cloud = api.cloud;
    const id = `${name}-${service}`;
    const label = service === "api" ? "API" : service;
    const th = this.thresholds;
    const lb = { LoadBalancer: cloud.loadBalancerArnSuffix };
    const tg = { LoadBalancer: cloud.loadBalancerArnSuffix, TargetGroup: cloud.targetGroupArnSuffix };
    const latency = (p: "p50" | "p99", ms: number, priority: Priority) =>
      this.alarm(`${id}-latency-${p}`, priority, topics, {
        alarmDescription: `${label} ${p} latency above ${ms} ms`,
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: tg,
        extendedStatistic: p,
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        threshold: ms / 1000,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
    latency("p50", th.latencyP50Ms, "P2");
    latency("p99", th.latencyP99Ms, "P1");
    const count = (id: string, metricName: string, dims: Record<string, pulumi.Input<string>>) => ({
      id,
      metric: { namespace: "AWS/ApplicationELB", metricName, dimensions: dims, period: 60, stat: "Sum" },
    });
    // A load balancer shared with other stacks counts their requests, and its own 5xx for all of them: this service's
    // rate is then its target group's only.
    const shared = cloud.sharedLoadBalancer;
    const rateQueries = [
      count("target5xx", "HTTPCode_Target_5XX_Count", tg),
      ...(shared ? [] : [count("elb5xx", "HTTPCode_ELB_5XX_Count", lb)]),
      count("requests", "RequestCount", shared ? tg : lb),
      {
        id: "rate",
        expression: `IF(requests > 0, 100 * ${shared ? "FILL(target5xx, 0)" : "(FILL(target5xx, 0) + FILL(elb5xx, 0))"} / requests, 0)`,
        label: "5xx rate (%)",
        returnData: true,
      },
    ];
    this.alarm(`${id}-5xx-rate`, "P0", topics, {
      alarmDescription: `${label} 5xx responses above ${th.errorRatePercent} % of requests`,
      comparisonOperator: "GreaterThanThreshold",
      threshold: th.errorRatePercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
      metricQueries: rateQueries,
    });
    this.alarm(`${id}-unhealthy-hosts`, "P1", topics, {
      alarmDescription:
        service === "api"
          ? "A task behind the load balancer fails its health check"
          : `A task of ${label} fails the load balancer's health check`,
      namespace: "AWS/ApplicationELB",
      metricName: "UnHealthyHostCount",
      dimensions: tg,
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    // Healthy targets come free with the load balancer (Container Insights' task counts cost ~$6 a month).
    this.alarm(`${id}-healthy-tasks-below-minimum`, "P0", topics, {
      alarmDescription: `${service === "api" ? "" : `${label}: `}Fewer healthy tasks than the minimum of ${cloud.minTasks}`,
      namespace: "AWS/ApplicationELB",
      metricName: "HealthyHostCount",
      dimensions: tg,
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      threshold: cloud.minTasks,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    });
    this.ecsAlarms(id, `${label} service`, cloud, topics);
  }

  /** CPU and memory of an ECS service, averaged over its tasks. */
  private ecsAlarms(
    id: string,
    label: string,
    service: { readonly clusterName: pulumi.Input<string>; readonly serviceName: pulumi.Input<string> },
    topics: Topics,
  ): void {
    const th = this.thresholds;
    const dimensions = { ClusterName: service.clusterName, ServiceName: service.serviceName };
    for (const [metric, threshold, resource] of [
      ["CPUUtilization", th.serviceCpuPercent, "cpu"],
      ["MemoryUtilization", th.serviceMemoryPercent, "memory"],
    ] as const) {
      this.alarm(`${id}-${resource}`, "P2", topics, {
        alarmDescription: `${label} ${resource} above ${threshold} %`,
        namespace: "AWS/ECS",
        metricName: metric,
        dimensions,
        statistic: "Average",
        period: 300,
        evaluationPeriods: 3,
        threshold,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "missing",
      });
    }
  }

  private databaseAlarms(name: string, database: ManagedPostgres<"aws">, topics: Topics): void {
    const th = this.thresholds;
    const dims = { DBInstanceIdentifier: database.cloud.instanceIdentifier };
    const sizing = database.cloud.sizing;
    const rds = (id: string, priority: Priority, a: Partial<aws.cloudwatch.MetricAlarmArgs> & { metricName: string }) =>
      this.alarm(`${name}-db-${id}`, priority, topics, {
        namespace: "AWS/RDS",
        dimensions: dims,
        statistic: "Average",
        period: 300,
        evaluationPeriods: 3,
        treatMissingData: "missing",
        comparisonOperator: "GreaterThanThreshold",
        ...a,
      });
    rds("cpu", "P2", {
      metricName: "CPUUtilization",
      threshold: th.databaseCpuPercent,
      alarmDescription: `Database CPU above ${th.databaseCpuPercent} %`,
    });
    const freeBytes = Math.round((sizing.allocatedStorageGb * 1024 ** 3 * th.databaseFreeStoragePercent) / 100);
    rds("free-storage", "P1", {
      metricName: "FreeStorageSpace",
      statistic: "Minimum",
      threshold: freeBytes,
      comparisonOperator: "LessThanThreshold",
      alarmDescription: `Database free storage below ${th.databaseFreeStoragePercent} % of ${sizing.allocatedStorageGb} GiB`,
    });
    rds("freeable-memory", "P2", {
      metricName: "FreeableMemory",
      statistic: "Minimum",
      threshold: th.databaseFreeableMemoryMiB * 1024 ** 2,
      comparisonOperator: "LessThanThreshold",
      alarmDescription: `Database freeable memory below ${th.databaseFreeableMemoryMiB} MiB`,
    });
    const max = maxConnections(sizing.instanceClass);
    if (max !== undefined) {
      const limit = Math.floor((max * th.databaseConnectionsPercent) / 100);
      rds("connections", "P1", {
        metricName: "DatabaseConnections",
        statistic: "Maximum",
        threshold: limit,
        alarmDescription: `Database connections above ${limit} (${th.databaseConnectionsPercent} % of max_connections ${max})`,
      });
    }
  }

  private cacheAlarms(name: string, cache: RedisCache<"aws">, topics: Topics): void {
    const th = this.thresholds;
    const nodes = cache.cloud.nodes;
    for (let i = 0; i < nodes.count; i++) {
      const dims = { CacheClusterId: nodes.ids.apply((ids) => ids[i] ?? "") };
      const node = (
        id: string,
        priority: Priority,
        a: Partial<aws.cloudwatch.MetricAlarmArgs> & { metricName: string },
      ) =>
        this.alarm(`${name}-cache-${i + 1}-${id}`, priority, topics, {
          namespace: "AWS/ElastiCache",
          dimensions: dims,
          statistic: "Average",
          period: 300,
          evaluationPeriods: 3,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "missing",
          ...a,
        });
      node("cpu", "P2", {
        metricName: "EngineCPUUtilization",
        threshold: th.cacheCpuPercent,
        alarmDescription: `Cache node ${i + 1} engine CPU above ${th.cacheCpuPercent} %`,
      });
      node("memory", "P2", {
        metricName: "DatabaseMemoryUsagePercentage",
        threshold: th.cacheMemoryPercent,
        alarmDescription: `Cache node ${i + 1} memory above ${th.cacheMemoryPercent} %`,
      });
      node("evictions", "P3", {
        metricName: "Evictions",
        statistic: "Sum",
        threshold: 0,
        treatMissingData: "notBreaching",
        alarmDescription: `Cache node ${i + 1} evicts keys (memory full)`,
      });
    }
  }

  private uptimeChecks(
    name: string,
    uptime: NonNullable<MonitoringBundleArgs["uptime"]>,
    usEast1Topics: Topics,
    usEast1: aws.Provider,
  ): pulumi.Output<string>[] {
    const ids: pulumi.Output<string>[] = [];
    for (const [id, url] of [
      ["api", uptime.apiHealthUrl],
      ["web", uptime.webUrl],
      ...Object.entries(uptime.serviceHealthUrls ?? {}),
    ] as const) {
      if (url === undefined) continue;
      const parsed = new URL(url);
      const check = new aws.route53.HealthCheck(
        `${name}-uptime-${id}`,
        {
          type: "HTTPS",
          fqdn: parsed.hostname,
          port: 443,
          resourcePath: `${parsed.pathname}${parsed.search}`,
          requestInterval: 30,
          failureThreshold: 3,
          // Latency measurement is an optional feature ($2 a month per check outside AWS) no alarm reads.
          measureLatency: false,
          enableSni: true,
          tags: { ...this.args.tags, Name: `${id} ${url}` },
        },
        { parent: this, provider: usEast1 },
      );
      ids.push(check.id);
      this.alarm(
        `${name}-uptime-${id}`,
        "P0",
        usEast1Topics,
        {
          alarmDescription: `${url} is down from Route 53's checkers`,
          namespace: "AWS/Route53",
          metricName: "HealthCheckStatus",
          dimensions: { HealthCheckId: check.id },
          statistic: "Minimum",
          period: 60,
          evaluationPeriods: 2,
          threshold: 1,
          comparisonOperator: "LessThanThreshold",
          // No data from a health check means it is not reporting: treat it as down.
          treatMissingData: "breaching",
        },
        usEast1,
      );
    }
    return ids;
  }

  private budget(name: string, usd: number, topics: Topics): void {
    const notification = (type: "FORECASTED" | "ACTUAL", threshold: number) => ({
      comparisonOperator: "GREATER_THAN",
      notificationType: type,
      threshold,
      thresholdType: "PERCENTAGE",
      subscriberSnsTopicArns: [topics.notify.arn],
    });
    new aws.budgets.Budget(
      `${name}-budget`,
      {
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: usd.toFixed(2),
        limitUnit: "USD",
        // Costs of this stack's resources (the provider tags them all; activate `Stack` as a cost allocation tag).
        costFilters: [{ name: "TagKeyValue", values: [`user:Stack$${pulumi.getStack()}`] }],
        notifications: [notification("FORECASTED", 80), notification("ACTUAL", 100)],
        tags: { ...this.args.tags },
      },
      { parent: this },
    );
  }
}

/** Every problem with the args at once, before any child is declared. */
export function validateMonitoringArgs(name: string, args: MonitoringBundleArgs): void {
  const problems: string[] = [];
  const bad = args.emails.filter((e) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
  if (bad.length > 0) problems.push(`emails must be email addresses (got ${bad.join(", ")})`);
  if (args.production && args.emails.length === 0) problems.push("emails must list at least one address in production");
  if (args.uptime !== undefined && args.usEast1 === undefined) {
    problems.push("usEast1 must be an aws.Provider for us-east-1: Route 53 publishes health-check metrics only there");
  }
  const { serviceHealthUrls = {}, ...urls } = args.uptime ?? {};
  const named = Object.entries(serviceHealthUrls).map(
    ([service, url]) => [`serviceHealthUrls.${service}`, url] as const,
  );
  for (const [key, url] of [...Object.entries(urls), ...named]) {
    if (url !== undefined && !/^https:\/\/[a-z0-9.-]+(\/\S*)?$/.test(url))
      problems.push(`uptime.${key} must be an https:// URL (got "${url}")`);
  }
  if (args.slack !== undefined) {
    if (!SLACK_WORKSPACE_ID.test(args.slack.workspaceId)) {
      problems.push(
        `slack.workspaceId must be a Slack workspace id such as T0123ABCD (got "${args.slack.workspaceId}")`,
      );
    }
    if (!SLACK_CHANNEL_ID.test(args.slack.channelId)) {
      problems.push(`slack.channelId must be a Slack channel id such as C0123ABCDEF (got "${args.slack.channelId}")`);
    }
  }
  if (args.monthlyBudgetUsd !== undefined && !(args.monthlyBudgetUsd > 0)) {
    problems.push(`monthlyBudgetUsd must be a positive amount (got ${args.monthlyBudgetUsd})`);
  }
  for (const [key, value] of Object.entries(args.thresholds ?? {})) {
    // An explicit undefined keeps the default, as everywhere else.
    if (value !== undefined && !(typeof value === "number" && value >= 0))
      problems.push(`thresholds.${key} must be a non-negative number (got ${String(value)})`);
  }
  throwIfInvalid("MonitoringBundle", name, problems);
}
