/**
 * The monthly cost of a stack at list prices (`npm run synth -- <stack> --format cost`), from its synthesised
 * resources, the price table (./prices.ts) and explicit usage assumptions a stack file can override
 * (`costAssumptions`). Every resource is either priced, free (with the reason), or listed as unpriced: nothing
 * unknown is counted as zero.
 */
import type { RecordedResource } from "./recorder";
import { GLOBAL_PRICES, HOURS_PER_MONTH, PRICES_DATE, REGION_PRICES, type RegionPrices } from "./prices";
import type { SynthResult } from "./synth";
import { shareBetween } from "../components/office-hours/hours";

/** What usage the estimate assumes; each can be set in the stack file under `costAssumptions`. */
export interface UsageAssumptions {
  /** GB a month through the NAT (image pulls, third-party APIs), spread over the gateways or instances. */
  readonly natDataGb: number;
  /** Average load balancer capacity units (a small SaaS stays under 1). */
  readonly loadBalancerLcu: number;
  /** GB a month of application logs per service. */
  readonly appLogGb: number;
  /** GB a month of VPC flow logs. */
  readonly flowLogGb: number;
  /** GB a month of PostgreSQL and Valkey logs. */
  readonly dataLogGb: number;
  /** Of the database's size, the share that changes each month (new snapshot blocks AWS Backup keeps). */
  readonly backupMonthlyChange: number;
  /** GB of images an image repository keeps (its layers shared between tags). */
  readonly imageRepositoryGb: number;
  /** Custom metrics Container Insights publishes per cluster (cluster, service and task metrics). */
  readonly containerInsightsMetrics: number;
  /** GB a month of load balancer access logs. */
  readonly accessLogGb: number;
}

export const DEFAULT_ASSUMPTIONS: UsageAssumptions = {
  natDataGb: 10,
  loadBalancerLcu: 1,
  appLogGb: 2,
  flowLogGb: 1,
  dataLogGb: 0.5,
  backupMonthlyChange: 0.1,
  imageRepositoryGb: 3,
  containerInsightsMetrics: 20,
  accessLogGb: 1,
};

/**
 * Usage that differs by environment. Staging carries the team's testing and CI's smoke tests, not customers, and
 * sleeps out of office hours: a tenth of an LCU (about 100 MB an hour, or 2.5 new connections a second, on average)
 * instead of production's one. A stack file's `costAssumptions` still overrides either.
 */
export const ENVIRONMENT_ASSUMPTIONS: Readonly<Record<string, Partial<UsageAssumptions>>> = {
  staging: { loadBalancerLcu: 0.1 },
};

/** The default assumptions of an environment (a stack's `environment`). */
export function defaultAssumptions(environment: string | undefined): UsageAssumptions {
  return { ...DEFAULT_ASSUMPTIONS, ...(environment === undefined ? {} : ENVIRONMENT_ASSUMPTIONS[environment]) };
}

/** The environment of synthesised resources: the `Environment` default tag of their AWS provider. */
export function environmentOf(resources: readonly RecordedResource[]): string | undefined {
  for (const r of resources) {
    if (r.type !== "pulumi:providers:aws") continue;
    const raw = r.inputs["defaultTags"];
    const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { tags?: Record<string, unknown> } | undefined;
    const environment = parsed?.tags?.["Environment"];
    if (typeof environment === "string") return environment;
  }
  return undefined;
}

export type CostLine =
  | { readonly kind: "priced"; readonly monthly: number; readonly basis: string }
  | { readonly kind: "free"; readonly basis: string }
  | { readonly kind: "unpriced"; readonly basis: string };

export interface ResourceCost {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  /** The component the resource belongs to (the top-level one), or "stack". */
  readonly component: string;
  readonly region: string;
  readonly cost: CostLine;
}

export interface CostEstimate {
  readonly stack: string;
  readonly pricesDate: string;
  readonly assumptions: UsageAssumptions;
  readonly resources: readonly ResourceCost[];
  readonly byComponent: Readonly<Record<string, number>>;
  readonly monthly: number;
  /** Resources the table cannot price (not counted). */
  readonly unpriced: readonly ResourceCost[];
}

/** Resources that cost nothing by themselves, and why. */
const FREE: Readonly<Record<string, string>> = {
  "aws:ec2/vpc:Vpc": "no charge",
  "aws:ec2/subnet:Subnet": "no charge",
  "aws:ec2/routeTable:RouteTable": "no charge",
  "aws:ec2/route:Route": "no charge",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "no charge",
  "aws:ec2/internetGateway:InternetGateway": "no charge",
  "aws:ec2/securityGroup:SecurityGroup": "no charge",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "no charge",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "no charge",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "no charge",
  "aws:ec2/managedPrefixList:ManagedPrefixList": "no charge",
  "aws:ec2/flowLog:FlowLog": "delivery priced on its log group",
  "aws:ec2/eip:Eip": "priced on the NAT gateway (public IPv4)",
  "aws:iam/role:Role": "no charge",
  "aws:iam/rolePolicy:RolePolicy": "no charge",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "no charge",
  "aws:iam/instanceProfile:InstanceProfile": "no charge",
  "aws:lb/targetGroup:TargetGroup": "priced on the load balancer",
  "aws:lb/listener:Listener": "priced on the load balancer",
  "aws:lb/listenerRule:ListenerRule": "priced on the load balancer",
  "aws:lb/listenerCertificate:ListenerCertificate": "priced on the load balancer",
  "aws:acm/certificate:Certificate": "public ACM certificates are free",
  "aws:acm/certificateValidation:CertificateValidation": "no charge",
  "aws:sns/topic:Topic": "first million publishes a month free",
  "aws:sns/topicPolicy:TopicPolicy": "no charge",
  "aws:sns/topicSubscription:TopicSubscription": "email: first 1,000 notifications a month free",
  "aws:budgets/budget:Budget": "budgets without actions are free",
  "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration": "no charge",
  "aws:appautoscaling/target:Target": "no charge",
  "aws:appautoscaling/policy:Policy": "no charge (its alarms are AWS-managed)",
  "aws:appautoscaling/scheduledAction:ScheduledAction": "no charge",
  "aws:scheduler/scheduleGroup:ScheduleGroup": "no charge",
  "aws:scheduler/schedule:Schedule": "first 14 million invocations a month free",
  // Step Functions pricing (Standard workflows, checked 2026-11-25): 4,000 state transitions a month free, then $0.025
  // per 1,000. A scheduled job's run takes about 3 transitions (more with retries): a daily job stays free. The runs'
  // Fargate time is not estimated: a 30-minute daily run of 0.25 vCPU / 0.5 GB is about $0.19 a month in eu-west-1.
  "aws:sfn/stateMachine:StateMachine":
    "4,000 state transitions a month free (a daily job uses about 90); its task runs are not estimated",
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": "no charge",
  "aws:ecs/taskDefinition:TaskDefinition": "priced on the service that runs it",
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": "no charge",
  "aws:kms/alias:Alias": "no charge",
  "aws:secretsmanager/secretVersion:SecretVersion": "priced on the secret",
  "aws:rds/subnetGroup:SubnetGroup": "no charge",
  "aws:rds/parameterGroup:ParameterGroup": "no charge",
  "aws:elasticache/subnetGroup:SubnetGroup": "no charge",
  "aws:elasticache/parameterGroup:ParameterGroup": "no charge",
  "aws:backup/vault:Vault": "storage priced on the backup plan",
  "aws:backup/selection:Selection": "no charge",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "no charge",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "no charge",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "no charge",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "no charge",
  "aws:s3/bucketVersioning:BucketVersioning": "no charge",
  "aws:s3/bucketPolicy:BucketPolicy": "no charge",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "no charge",
  "docker:index/image:Image": "built on the deployer's machine; storage priced on its repository",
  "docker:index/container:Container": "runs on the developer's machine",
  "docker:index/network:Network": "runs on the developer's machine",
  "docker:index/volume:Volume": "runs on the developer's machine",
  "docker:index/remoteImage:RemoteImage": "runs on the developer's machine",
  "random:index/randomPassword:RandomPassword": "no cloud resource",
  "pulumi-nodejs:dynamic:Resource":
    "a step of `pulumi up` (components/ecs-task-run): a one-off Fargate task of about a minute, or a read of a service; under $0.001 per change",
  "random:index/randomId:RandomId": "no cloud resource",
  "tls:index/privateKey:PrivateKey": "no cloud resource (kept in the stack's state)",
  "tls:index/selfSignedCert:SelfSignedCert": "no cloud resource (kept in the stack's state)",
  "tls:index/certRequest:CertRequest": "no cloud resource (kept in the stack's state)",
  "tls:index/locallySignedCert:LocallySignedCert": "no cloud resource (kept in the stack's state)",
  "aws:s3/bucketObjectv2:BucketObjectv2": "storage priced on its bucket",
};

/** Resources priced by a vendor plan rather than per resource: listed, not counted. */
const PLAN_PRICED = ["cloudflare:", "vercel:", "sentry:"];

/**
 * The estimate of a synthesised stack. Without `assumptions`, the defaults of the stack's environment (read from its
 * resources); the CLI passes the stack file's `costAssumptions` over them.
 */
export function estimateCost(
  result: SynthResult,
  assumptions: UsageAssumptions = defaultAssumptions(environmentOf(result.resources)),
): CostEstimate {
  const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
  const providerRegion = (r: RecordedResource): string | undefined => {
    const own = r.inputs["region"];
    if (typeof own === "string") return own;
    const provider = r.provider === undefined ? undefined : byUrn.get(r.provider);
    const region = provider?.inputs["region"];
    return typeof region === "string" ? region : undefined;
  };
  const stackRegion =
    result.resources
      .map((r) => (r.type === "pulumi:providers:aws" ? r.inputs["region"] : undefined))
      .find((v): v is string => typeof v === "string" && v !== "us-east-1") ?? "eu-west-1";
  const topComponent = (r: RecordedResource): string => {
    let at: RecordedResource | undefined = r;
    let name = "stack";
    while (at?.parent !== undefined) {
      const parent = byUrn.get(at.parent);
      if (parent === undefined || parent.type === "pulumi:pulumi:Stack") break;
      name = parent.name;
      at = parent;
    }
    return name;
  };
  const natCount = result.resources.filter(
    (r) => r.type === "aws:ec2/natGateway:NatGateway" || isNatInstance(r),
  ).length;

  const awake = awakeShares(result.resources, byUrn);
  const resources: ResourceCost[] = [];
  for (const r of result.resources) {
    if (!r.custom || r.type.startsWith("pulumi:")) continue;
    const region = providerRegion(r) ?? stackRegion;
    const prices = REGION_PRICES[region];
    const cost: CostLine =
      prices === undefined
        ? { kind: "unpriced", basis: `no prices for region ${region}` }
        : price(r, prices, { assumptions, byUrn, natCount, awake: awake.get(r.urn) });
    resources.push({ urn: r.urn, name: r.name, type: r.type, component: topComponent(r), region, cost });
  }
  const byComponent: Record<string, number> = {};
  let monthly = 0;
  for (const r of resources) {
    if (r.cost.kind !== "priced") continue;
    byComponent[r.component] = round((byComponent[r.component] ?? 0) + r.cost.monthly);
    monthly += r.cost.monthly;
  }
  return {
    stack: result.stack,
    pricesDate: PRICES_DATE,
    assumptions,
    resources,
    byComponent,
    monthly: round(monthly),
    unpriced: resources.filter((r) => r.cost.kind === "unpriced"),
  };
}

const round = (v: number) => Math.round(v * 100) / 100;
const priced = (monthly: number, basis: string): CostLine => ({ kind: "priced", monthly: round(monthly), basis });
const num = (v: unknown, fallback = 0): number => (typeof v === "number" ? v : Number(v ?? fallback) || fallback);
const isNatInstance = (r: RecordedResource) =>
  r.type === "aws:ec2/instance:Instance" && r.inputs["sourceDestCheck"] === false;

/**
 * The share of the week each resource runs, for those an office-hours schedule stops and starts
 * (components/office-hours): ECS services through their Application Auto Scaling scheduled actions (0 tasks while
 * asleep), RDS and EC2 instances through EventBridge Scheduler. Found by the schedules' dependencies on the resources,
 * not by names. A pair of schedules in a form the estimate cannot read leaves the resource priced as always on.
 */
function awakeShares(
  resources: readonly RecordedResource[],
  byUrn: Map<string, RecordedResource>,
): Map<string, number> {
  const starts = new Map<string, string>();
  const stops = new Map<string, string>();
  for (const r of resources) {
    if (r.type === "aws:appautoscaling/scheduledAction:ScheduledAction") {
      const target = byUrn.get(r.propertyDependencies["resourceId"]?.[0] ?? "");
      const service = target?.propertyDependencies["resourceId"]?.find(
        (urn) => byUrn.get(urn)?.type === "aws:ecs/service:Service",
      );
      const action = r.inputs["scalableTargetAction"] as { maxCapacity?: unknown } | undefined;
      if (service === undefined || typeof r.inputs["schedule"] !== "string") continue;
      (num(action?.maxCapacity) === 0 ? stops : starts).set(service, r.inputs["schedule"]);
    }
    if (r.type === "aws:scheduler/schedule:Schedule") {
      const target = r.inputs["target"] as { arn?: unknown } | undefined;
      const arn = typeof target?.arn === "string" ? target.arn : "";
      const action = /:(start|stop)(DBInstance|Instances)$/.exec(arn);
      if (action === null || typeof r.inputs["scheduleExpression"] !== "string") continue;
      for (const urn of r.propertyDependencies["target"] ?? []) {
        const type = byUrn.get(urn)?.type;
        if (type !== "aws:rds/instance:Instance" && type !== "aws:ec2/instance:Instance") continue;
        (action[1] === "stop" ? stops : starts).set(urn, r.inputs["scheduleExpression"]);
      }
    }
  }
  const shares = new Map<string, number>();
  for (const [urn, start] of starts) {
    const stop = stops.get(urn);
    const share = stop === undefined ? undefined : shareBetween(start, stop);
    if (share !== undefined) shares.set(urn, share);
  }
  return shares;
}

/** "asleep out of office hours (awake 39 % of the week)", for a resource's basis. */
const awakeNote = (share: number | undefined) =>
  share === undefined ? "" : `, awake ${Math.round(share * 100)} % of the week`;

function price(
  r: RecordedResource,
  p: RegionPrices,
  ctx: {
    assumptions: UsageAssumptions;
    byUrn: Map<string, RecordedResource>;
    natCount: number;
    /** The share of the week the resource runs, when an office-hours schedule stops it. */
    awake: number | undefined;
  },
): CostLine {
  const up = ctx.awake ?? 1;
  const a = ctx.assumptions;
  const i = r.inputs;
  const H = HOURS_PER_MONTH;
  const free = FREE[r.type];
  if (free !== undefined) return { kind: "free", basis: free };
  if (PLAN_PRICED.some((prefix) => r.type.startsWith(prefix))) {
    return { kind: "unpriced", basis: "priced by the vendor's plan, not per resource (docs/cost.md)" };
  }
  switch (r.type) {
    case "aws:rds/instance:Instance": {
      const cls = String(i["instanceClass"]);
      const hourly = p.rdsInstanceHour[cls];
      if (hourly === undefined) return { kind: "unpriced", basis: `no price for ${cls}` };
      const copies = i["multiAz"] === true ? 2 : 1;
      const storage = num(i["allocatedStorage"], 20);
      // A stopped instance bills its storage, not its hours.
      return priced(
        hourly * copies * H * up + storage * p.rdsGp3GbMonth * copies,
        `${cls}${copies === 2 ? " Multi-AZ" : ""} ${hourly * copies}/h${awakeNote(ctx.awake)}, ${storage} GB gp3 × ${copies}`,
      );
    }
    case "aws:elasticache/replicationGroup:ReplicationGroup": {
      const node = String(i["nodeType"]);
      const hourly = p.valkeyNodeHour[node];
      if (hourly === undefined) return { kind: "unpriced", basis: `no price for ${node}` };
      const nodes = num(i["numCacheClusters"], 1);
      return priced(hourly * nodes * H, `${nodes} × ${node} (Valkey) ${hourly}/h`);
    }
    case "aws:ecs/service:Service": {
      const taskUrn = r.propertyDependencies["taskDefinition"]?.[0];
      const task = taskUrn === undefined ? undefined : ctx.byUrn.get(taskUrn);
      if (task === undefined) return { kind: "unpriced", basis: "task definition not found" };
      const cpu = num(task.inputs["cpu"]) / 1024;
      const gb = num(task.inputs["memory"]) / 1024;
      const arch = (task.inputs["runtimePlatform"] as { cpuArchitecture?: string } | undefined)?.cpuArchitecture;
      const rate = arch === "ARM64" ? p.fargate.arm : p.fargate.x86;
      const spot = JSON.stringify(i["capacityProviderStrategies"] ?? []).includes("FARGATE_SPOT");
      const count = num(i["desiredCount"], 1);
      const hourly = (cpu * rate.vcpuHour + gb * rate.gbHour) * (spot ? 1 - p.fargate.spotDiscount : 1);
      return priced(
        hourly * count * H * up,
        `${count} × ${cpu} vCPU / ${gb} GB ${arch === "ARM64" ? "ARM" : "x86"}${spot ? " Spot" : ""}${awakeNote(ctx.awake)}`,
      );
    }
    case "aws:ecs/cluster:Cluster": {
      const insights = JSON.stringify(i["settings"] ?? []).includes('"enabled"');
      return insights
        ? priced(
            a.containerInsightsMetrics * p.customMetricMonth,
            `Container Insights, ~${a.containerInsightsMetrics} metrics`,
          )
        : { kind: "free", basis: "no charge (Container Insights off)" };
    }
    case "aws:ec2/natGateway:NatGateway": {
      const data = a.natDataGb / Math.max(ctx.natCount, 1);
      return priced(
        (p.natGatewayHour + p.publicIpv4Hour) * H + data * p.natGatewayGb,
        `gateway and its public IPv4, ${round(data)} GB processed`,
      );
    }
    case "aws:ec2/instance:Instance": {
      const type = String(i["instanceType"]);
      const hourly = p.ec2Hour[type];
      if (hourly === undefined) return { kind: "unpriced", basis: `no price for ${type}` };
      const ipv4 = i["associatePublicIpAddress"] === true ? p.publicIpv4Hour : 0;
      // Stopped, an instance bills its volume only: its auto-assigned public IPv4 is released (and a new one assigned
      // at start).
      return priced(
        (hourly + ipv4) * H * up + 8 * 0.088,
        `${type}${ipv4 > 0 ? " and its public IPv4" : ""}${awakeNote(ctx.awake)}, 8 GB gp3`,
      );
    }
    case "aws:lb/loadBalancer:LoadBalancer": {
      const zones = Array.isArray(i["subnets"]) ? i["subnets"].length : 2;
      // One public IPv4 per zone, unless internal or IPv6-only on its public side.
      const publicIps = i["internal"] === true || i["ipAddressType"] === "dualstack-without-public-ipv4" ? 0 : zones;
      return priced(
        (p.albHour + a.loadBalancerLcu * p.lcuHour + publicIps * p.publicIpv4Hour) * H,
        `ALB, ${a.loadBalancerLcu} LCU, ${publicIps} public IPv4`,
      );
    }
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return i["vpcEndpointType"] === "Gateway"
        ? { kind: "free", basis: "gateway endpoints are free" }
        : priced(
            p.interfaceEndpointHour * H * (Array.isArray(i["subnetIds"]) ? i["subnetIds"].length : 1),
            "interface endpoint per AZ",
          );
    case "aws:cloudwatch/metricAlarm:MetricAlarm": {
      const queries = Array.isArray(i["metricQueries"]) ? (i["metricQueries"] as Array<{ metric?: unknown }>) : [];
      const metrics = queries.length > 0 ? queries.filter((q) => q.metric !== undefined).length : 1;
      return priced(metrics * GLOBAL_PRICES.alarmMetricMonth, `${metrics} metric${metrics === 1 ? "" : "s"}`);
    }
    case "aws:cloudwatch/dashboard:Dashboard":
      return priced(GLOBAL_PRICES.dashboardMonth, "beyond the account's three free dashboards");
    case "aws:route53/healthCheck:HealthCheck": {
      const options = [
        String(i["type"]).startsWith("HTTPS"),
        String(i["type"]).endsWith("STR_MATCH"),
        i["measureLatency"] === true,
        num(i["requestInterval"], 30) === 10,
      ].filter(Boolean).length;
      return priced(
        GLOBAL_PRICES.healthCheckNonAwsMonth + options * GLOBAL_PRICES.healthCheckOptionNonAwsMonth,
        `endpoint outside AWS, ${options} optional feature${options === 1 ? "" : "s"}`,
      );
    }
    case "aws:kms/key:Key":
      return priced(p.kmsKeyMonth, "customer managed key");
    case "aws:secretsmanager/secret:Secret":
      return priced(p.secretMonth, "secret");
    case "aws:cloudwatch/logGroup:LogGroup": {
      const name = typeof i["name"] === "string" ? i["name"] : r.name;
      const retention = Math.min(num(i["retentionInDays"], 30), 365);
      const [gb, rate] = /flow/i.test(name)
        ? [a.flowLogGb, p.vendedLogsGb]
        : name.startsWith("/ecs/")
          ? [a.appLogGb, p.logsIngestGb]
          : /\/postgresql$|elasticache/.test(name)
            ? [a.dataLogGb, p.logsIngestGb]
            : [0.01, p.logsIngestGb];
      return priced(
        gb * rate + gb * (retention / 30) * p.logsStorageGbMonth,
        `${gb} GB a month, kept ${retention} days`,
      );
    }
    case "aws:ecr/repository:Repository":
      return priced(a.imageRepositoryGb * p.ecrGbMonth, `${a.imageRepositoryGb} GB of images`);
    case "aws:lb/trustStore:TrustStore":
      return priced(p.albTrustStoreHour * H, "trust store associated with the load balancer (mutual TLS)");
    case "aws:s3/bucket:Bucket":
      if (holdsTrustStoreBundle(r, ctx.byUrn)) return { kind: "free", basis: "a CA bundle of a few KB" };
      return priced(a.accessLogGb * 3 * p.s3GbMonth, `${a.accessLogGb} GB a month of access logs, ~3 months kept`);
    case "aws:backup/plan:Plan": {
      const db = [...ctx.byUrn.values()].find((x) => x.type === "aws:rds/instance:Instance");
      const size = num(db?.inputs["allocatedStorage"], 20);
      const rules = Array.isArray(i["rules"])
        ? (i["rules"] as Array<{ copyActions?: unknown[]; lifecycle?: { deleteAfter?: number } }>)
        : [];
      const longest = Math.max(...rules.map((x) => num(x.lifecycle?.deleteAfter, 7)), 7);
      // One full copy, then the blocks that change each month, for as many months as the longest rule keeps.
      const stored = size * (1 + a.backupMonthlyChange * Math.min(longest / 30, 12));
      const copied = rules.some((x) => (x.copyActions ?? []).length > 0);
      const monthly =
        stored * p.backupGbMonth * (copied ? 2 : 1) + (copied ? size * a.backupMonthlyChange * p.interRegionGb : 0);
      return priced(monthly, `~${round(stored)} GB of snapshots${copied ? ", copied to a second region" : ""}`);
    }
    default:
      return { kind: "unpriced", basis: "not in the price table" };
  }
}

/** Whether the bucket holds a trust store's CA bundle (and nothing the estimate would price as logs). */
function holdsTrustStoreBundle(bucket: RecordedResource, byUrn: Map<string, RecordedResource>): boolean {
  const all = [...byUrn.values()];
  const objects = new Set(
    all
      .filter((x) => x.type === "aws:s3/bucketObjectv2:BucketObjectv2")
      .filter((x) => (x.propertyDependencies["bucket"] ?? []).includes(bucket.urn))
      .map((x) => x.urn),
  );
  return all.some(
    (x) =>
      x.type === "aws:lb/trustStore:TrustStore" &&
      (x.propertyDependencies["caCertificatesBundleS3Bucket"] ?? []).some((u) => objects.has(u)),
  );
}

/** The `count` most expensive priced resources, most expensive first. */
export function largestItems(e: CostEstimate, count: number): Array<{ name: string; monthly: number }> {
  return e.resources
    .flatMap((r) => (r.cost.kind === "priced" ? [{ name: r.name, monthly: r.cost.monthly }] : []))
    .sort((a, b) => b.monthly - a.monthly || a.name.localeCompare(b.name))
    .slice(0, count);
}

const money = (v: number) => `$${v.toFixed(2)}`;

/** The estimate as text: total, per component, per priced resource, then what is free and what is unpriced. */
export function renderCost(e: CostEstimate): string {
  const lines = [
    `Monthly cost of ${e.stack} at list prices of ${e.pricesDate}: ${money(e.monthly)} (${money(e.monthly / 30)} a day)`,
    "",
    "By component:",
    ...Object.entries(e.byComponent)
      .sort(([, x], [, y]) => y - x)
      .map(([c, v]) => `  ${money(v).padStart(9)}  ${c}`),
    "",
    "Priced resources:",
  ];
  const priced = e.resources
    .filter(
      (r): r is ResourceCost & { cost: { kind: "priced"; monthly: number; basis: string } } => r.cost.kind === "priced",
    )
    .sort((x, y) => y.cost.monthly - x.cost.monthly || x.urn.localeCompare(y.urn));
  for (const r of priced) {
    lines.push(`  ${money(r.cost.monthly).padStart(9)}  ${r.name} (${r.type}, ${r.region}): ${r.cost.basis}`);
  }
  const free = e.resources.filter((r) => r.cost.kind === "free").length;
  lines.push("", `Free: ${free} resources (networking, IAM, listeners, topics...)`);
  lines.push(`Unpriced (not counted): ${e.unpriced.length}`);
  for (const r of e.unpriced) lines.push(`  ${r.name} (${r.type}): ${r.cost.basis}`);
  lines.push(
    "",
    `Assumptions (override in the stack file under costAssumptions): ${Object.entries(e.assumptions)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  return `${lines.join("\n")}\n`;
}
