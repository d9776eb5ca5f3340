import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ApiService } from "../api-service";
import type { ManagedPostgres } from "../managed-postgres";
import type { RedisCache } from "../redis-cache";
import { transform, type Transform } from "../transform";
import { DEFAULT_THRESHOLDS, maxConnections, type Thresholds } from "./thresholds";
import { throwIfInvalid } from "../validation";
import { KEY_ADMINISTRATION, plainServiceTrustPolicy } from "../iam";
import { withDefaults } from "../defaults";
import { SLACK_CHANNEL_ID, SLACK_WORKSPACE_ID } from "./slack";

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
    readonly api?: ApiService;
    readonly database?: ManagedPostgres;
    readonly cache?: RedisCache;
  };
  /** Public URLs checked from Route 53 every 30 s (alarms live in us-east-1, where Route 53 publishes metrics). */
  readonly uptime?: { readonly apiHealthUrl?: string; readonly webUrl?: string };
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
  readonly tags?: Readonly<Record<string, string>>;
  readonly transform?: { readonly alarm?: Transform<aws.cloudwatch.MetricAlarmArgs> };
}

/** A Slack channel in a workspace that AWS Chatbot is authorised for. */
export interface SlackChannel {
  /** The workspace (team) id the Chatbot console shows after authorisation, e.g. `T0123ABCD`. */
  readonly workspaceId: string;
  /** The channel id, the end of the channel's link, e.g. `C0123ABCDEF`. Invite `@aws` to a private channel. */
  readonly channelId: string;
}

interface Topics {
  readonly page: aws.sns.Topic;
  readonly notify: aws.sns.Topic;
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

    const topics = this.topics(name, "", account, undefined, args.topicsKmsKeyArn);
    this.pageTopicArn = topics.page.arn;
    this.notifyTopicArn = topics.notify.arn;
    const allTopics = [topics];

    const { api, database, cache } = args.watch;
    if (api?.cloud) this.apiAlarms(name, api, topics);
    if (database?.instanceIdentifier) this.databaseAlarms(name, database, topics);
    if (cache?.nodes) this.cacheAlarms(name, cache, topics);
    let healthCheckIds: pulumi.Output<string>[] = [];
    if (args.uptime && args.usEast1) {
      const usEast1Topics = this.topics(name, "-us-east-1", account, args.usEast1);
      allTopics.push(usEast1Topics);
      healthCheckIds = this.uptimeChecks(name, args.uptime, usEast1Topics, args.usEast1);
    }
    if (args.slack !== undefined) this.slackChannel(name, args.slack, allTopics);
    if (args.monthlyBudgetUsd !== undefined) this.budget(name, args.monthlyBudgetUsd, topics);
    this.dashboardName = args.dashboard === false ? undefined : this.dashboard(name, healthCheckIds);
    this.alarms = this.registered;
    this.registerOutputs({
      pageTopicArn: this.pageTopicArn,
      notifyTopicArn: this.notifyTopicArn,
      ...(this.dashboardName === undefined ? {} : { dashboardName: this.dashboardName }),
    });
  }

  /** `page` and `notify` topics, encrypted with a key CloudWatch and Budgets may use (the AWS-managed SNS key would refuse them). */
  private topics(
    name: string,
    suffix: string,
    account: pulumi.Output<string>,
    provider: aws.Provider | undefined,
    keyArn?: pulumi.Input<string>,
  ): Topics {
    const opts: pulumi.CustomResourceOptions = { parent: this, ...(provider ? { provider } : {}) };
    const tags = { ...this.args.tags };
    const topicKey = keyArn ?? this.alertsKey(name, suffix, account, opts, tags).arn;
    const topic = (severity: "page" | "notify") => {
      const t = new aws.sns.Topic(`${name}-${severity}${suffix}`, { kmsMasterKeyId: topicKey, tags }, opts);
      new aws.sns.TopicPolicy(
        `${name}-${severity}${suffix}`,
        {
          arn: t.arn,
          policy: pulumi.all([t.arn, account]).apply(([arn, id]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "AlarmPublishers",
                  Effect: "Allow",
                  Principal: { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] },
                  Action: "sns:Publish",
                  Resource: arn,
                  Condition: { StringEquals: { "aws:SourceAccount": id } },
                },
              ],
            }),
          ),
        },
        opts,
      );
      this.args.emails.forEach(
        (email, i) =>
          new aws.sns.TopicSubscription(
            `${name}-${severity}${suffix}-email-${i + 1}`,
            { topic: t.arn, protocol: "email", endpoint: email },
            opts,
          ),
      );
      return t;
    };
    return { page: topic("page"), notify: topic("notify") };
  }

  /** The topics' own key, when the stack gives none: CloudWatch and AWS Budgets of this account may use it. */
  private alertsKey(
    name: string,
    suffix: string,
    account: pulumi.Output<string>,
    opts: pulumi.CustomResourceOptions,
    tags: Record<string, string>,
  ): aws.kms.Key {
    return new aws.kms.Key(
      `${name}-alerts${suffix}`,
      {
        description: "Encrypts the alarm topics; CloudWatch and AWS Budgets may publish through it",
        enableKeyRotation: true,
        deletionWindowInDays: 7,
        policy: account.apply((id) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                // The account administers the key; only CloudWatch and Budgets use it.
                Sid: "KeyAdministration",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${id}:root` },
                Action: KEY_ADMINISTRATION,
                Resource: "*",
              },
              {
                Sid: "AlarmPublishers",
                Effect: "Allow",
                Principal: { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": id } },
              },
            ],
          }),
        ),
        tags,
      },
      opts,
    );
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
        { parent: this, ...(provider ? { provider } : {}) },
      ),
    );
    if (provider === undefined) {
      this.regionalAlarms.names.push(alarm.name);
      this.regionalAlarms.arns.push(alarm.arn);
    }
  }

  private apiAlarms(name: string, api: ApiService, topics: Topics): void {
    const cloud = api.cloud!;
    const th = this.thresholds;
    const lb = { LoadBalancer: cloud.loadBalancerArnSuffix };
    const tg = { LoadBalancer: cloud.loadBalancerArnSuffix, TargetGroup: cloud.targetGroupArnSuffix };
    const service = { ClusterName: cloud.clusterName, ServiceName: cloud.serviceName };
    const latency = (p: "p50" | "p99", ms: number, priority: Priority) =>
      this.alarm(`${name}-api-latency-${p}`, priority, topics, {
        alarmDescription: `API ${p} latency above ${ms} ms`,
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
    this.alarm(`${name}-api-5xx-rate`, "P0", topics, {
      alarmDescription: `API 5xx responses above ${th.errorRatePercent} % of requests`,
      comparisonOperator: "GreaterThanThreshold",
      threshold: th.errorRatePercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
      metricQueries: rateQueries,
    });
    this.alarm(`${name}-api-unhealthy-hosts`, "P1", topics, {
      alarmDescription: "A task behind the load balancer fails its health check",
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
    this.alarm(`${name}-api-healthy-tasks-below-minimum`, "P0", topics, {
      alarmDescription: `Fewer healthy tasks than the minimum of ${cloud.minTasks}`,
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
    for (const [metric, threshold, label] of [
      ["CPUUtilization", th.serviceCpuPercent, "cpu"],
      ["MemoryUtilization", th.serviceMemoryPercent, "memory"],
    ] as const) {
      this.alarm(`${name}-api-${label}`, "P2", topics, {
        alarmDescription: `API service ${label} above ${threshold} %`,
        namespace: "AWS/ECS",
        metricName: metric,
        dimensions: service,
        statistic: "Average",
        period: 300,
        evaluationPeriods: 3,
        threshold,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "missing",
      });
    }
  }

  private databaseAlarms(name: string, database: ManagedPostgres, topics: Topics): void {
    const th = this.thresholds;
    const dims = { DBInstanceIdentifier: database.instanceIdentifier! };
    const sizing = database.sizing!;
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

  private cacheAlarms(name: string, cache: RedisCache, topics: Topics): void {
    const th = this.thresholds;
    const nodes = cache.nodes!;
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

  /**
   * The Slack channel, subscribed to every topic by AWS Chatbot. Its role can read CloudWatch (to draw the alarm's
   * graph) and nothing else, and the guardrail caps what anyone in the channel can do through it at the same.
   */
  private slackChannel(name: string, slack: SlackChannel, topics: readonly Topics[]): void {
    const tags = { ...this.args.tags };
    const role = new aws.iam.Role(
      `${name}-chatbot`,
      {
        description: "AWS Chatbot posts this stack's alarms to Slack (CloudWatch read only)",
        // Chatbot documents no confused-deputy condition keys for this role (AWS CDK's SlackChannelConfiguration
        // trusts the plain service principal too).
        assumeRolePolicy: plainServiceTrustPolicy("chatbot.amazonaws.com"),
        tags,
      },
      { parent: this },
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-chatbot`,
      { role: role.name, policyArn: CHATBOT_READ_POLICY },
      { parent: this },
    );
    new aws.chatbot.SlackChannelConfiguration(
      `${name}-slack`,
      {
        configurationName: chatbotConfigurationName(pulumi.getProject(), pulumi.getStack()),
        iamRoleArn: role.arn,
        slackTeamId: slack.workspaceId,
        slackChannelId: slack.channelId,
        snsTopicArns: topics.flatMap((t) => [t.page.arn, t.notify.arn]),
        // Without a guardrail Chatbot applies AdministratorAccess to the channel.
        guardrailPolicyArns: [CHATBOT_READ_POLICY],
        userAuthorizationRequired: true,
        loggingLevel: "ERROR",
        tags,
      },
      { parent: this },
    );
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

  private dashboard(name: string, healthCheckIds: readonly pulumi.Output<string>[]): pulumi.Output<string> {
    const { api, database, cache } = this.args.watch;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const cloud = api?.cloud;
    const nodeIds = cache?.nodes?.ids ?? pulumi.output([] as string[]);
    const body = pulumi
      .all([
        region,
        cloud?.loadBalancerArnSuffix ?? "",
        cloud?.targetGroupArnSuffix ?? "",
        cloud?.clusterName ?? "",
        cloud?.serviceName ?? "",
        database?.instanceIdentifier ?? "",
        nodeIds,
        pulumi.all([...healthCheckIds]),
      ])
      .apply(([awsRegion, lb, tg, cluster, service, db, nodes, healthChecks]) =>
        JSON.stringify(
          dashboardBody({
            region: awsRegion,
            thresholds: this.thresholds,
            lb,
            tg,
            cluster,
            service,
            db,
            nodes,
            healthChecks,
          }),
        ),
      );
    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: `${pulumi.getProject()}-${pulumi.getStack()}`, dashboardBody: body },
      { parent: this },
    );
    return dashboard.dashboardName;
  }
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
  return { widgets };
}

/** What the Chatbot role and guardrail allow: reading CloudWatch, to draw an alarm's graph in the channel. */
export const CHATBOT_READ_POLICY = "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess";

/** The Chatbot API's ConfigurationName: 1 to 128 of `[A-Za-z0-9-_]`. */
export const chatbotConfigurationName = (project: string, stack: string): string =>
  `${project}-${stack}-alerts`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 128);

/** Every problem with the args at once, before any child is declared. */
export function validateMonitoringArgs(name: string, args: MonitoringBundleArgs): void {
  const problems: string[] = [];
  const bad = args.emails.filter((e) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
  if (bad.length > 0) problems.push(`emails must be email addresses (got ${bad.join(", ")})`);
  if (args.production && args.emails.length === 0) problems.push("emails must list at least one address in production");
  if (args.uptime !== undefined && args.usEast1 === undefined) {
    problems.push("usEast1 must be an aws.Provider for us-east-1: Route 53 publishes health-check metrics only there");
  }
  for (const [key, url] of Object.entries(args.uptime ?? {})) {
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
    if (!(typeof value === "number" && value >= 0))
      problems.push(`thresholds.${key} must be a non-negative number (got ${String(value)})`);
  }
  throwIfInvalid("MonitoringBundle", name, problems);
}
