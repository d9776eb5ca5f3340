import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ApiService, type SharedLoadBalancer } from "../components/api-service";
import { imageSourceOf, type ImageSource } from "../components/api-service/image";
import type { ManagedPostgres } from "../components/managed-postgres";
import type { AwsNetworkOutputs } from "../components/network";
import type { RedisCache } from "../components/redis-cache";
import { storeUrlSecret } from "../components/url-secret";
import { WorkerService } from "../components/worker-service";
import { ScheduledTask } from "../components/scheduled-task";
import type {
  CronServiceSettings,
  HttpServiceSettings,
  ServiceSettings,
  Settings,
  WorkerServiceSettings,
} from "../infra/environments";
import type { Providers } from "../infra/providers";
import type { Hostnames } from "./hostnames";
import { serviceRulePriority, type SharedPlatform } from "./shared-platform";

/** What every service of a cloud stack is declared with. */
export interface ServiceContext {
  readonly settings: Settings;
  readonly providers: Extract<Providers, { target: "aws" }>;
  readonly network: AwsNetworkOutputs;
  readonly hosts: Hostnames;
  readonly database: ManagedPostgres<"aws">;
  readonly cache: RedisCache<"aws">;
  /** The stack's API: its load balancer and cluster are every other service's (or staging's, for a preview). */
  readonly api: ApiService<"aws">;
  /** Staging's platform, for a preview. */
  readonly platform: SharedPlatform | undefined;
  readonly certificateArn: pulumi.Input<string>;
  readonly logsKmsKeyArn: pulumi.Input<string> | undefined;
}

/** A service's image as the stack file gives it. */
export function serviceImage(settings: Settings, service: ServiceSettings): ImageSource {
  const source = imageSourceOf(service);
  if (source === undefined)
    throw new Error(`${settings.stackFile}: services.${service.name}.image or .build must be set`);
  return source;
}

/**
 * The Secrets Manager ARNs of a service's secrets by variable, from its references: the data tier's URL secrets, or
 * a secret of the stack's `appSecrets` (created once per name, encrypted with the stack's data key).
 */
export function secretArns(
  ctx: Pick<ServiceContext, "settings" | "providers" | "database" | "cache">,
  references: Readonly<Record<string, string>>,
  appSecretArns: (name: string) => pulumi.Output<string>,
): Record<string, pulumi.Output<string>> {
  return Object.fromEntries(
    Object.entries(references).map(([variable, reference]) => {
      if (reference === "database.url") return [variable, ctx.database.cloud.secretArn];
      if (reference === "cache.url") return [variable, ctx.cache.cloud.secretArn];
      return [variable, appSecretArns(reference.slice("appSecrets.".length))];
    }),
  );
}

/**
 * The stack's `appSecrets` in Secrets Manager, one secret per name a service reads (unread names are not stored),
 * each encrypted with the data key, the value kept secret in the state. Returns a lookup by name.
 */
export function appSecretStore(ctx: Pick<ServiceContext, "settings" | "providers" | "database">) {
  const { settings } = ctx;
  const read = new Set(
    settings.services.flatMap((s) =>
      Object.values(s.secrets)
        .filter((r) => r.startsWith("appSecrets."))
        .map((r) => r.slice("appSecrets.".length)),
    ),
  );
  const arns = new Map<string, pulumi.Output<string>>();
  for (const name of [...read].sort()) {
    const value = settings.appSecrets[name];
    if (value === undefined) continue;
    const { readyArn } = storeUrlSecret(
      `app-secret-${name}`,
      {
        description: `${settings.appName} ${settings.stack}: appSecrets.${name}`,
        url: pulumi.secret(value),
        kmsKeyId: ctx.database.cloud.kmsKeyArn,
        tags: { App: settings.appName },
      },
      { provider: ctx.providers.aws },
    );
    arns.set(name, readyArn);
  }
  return (name: string): pulumi.Output<string> => {
    const arn = arns.get(name);
    // The config step refuses a reference to a name the stack file does not set.
    if (arn === undefined) throw new pulumi.RunError(`${settings.stackFile}: appSecrets.${name} is not set`);
    return arn;
  };
}

/** Which tiers a service reaches, from its secrets: the database for `database.url`, the cache for `cache.url`. */
export function reachedTiers(service: ServiceSettings): { database: boolean; cache: boolean } {
  const references = Object.values(service.secrets);
  return { database: references.includes("database.url"), cache: references.includes("cache.url") };
}

/**
 * A further HTTP service: its own target group, task definition and ECS service, on the API's cluster, behind a
 * host-header rule of the API's HTTPS listener (staging's, for a preview). No load balancer or cluster of its own.
 */
export function httpService(
  ctx: ServiceContext,
  service: HttpServiceSettings,
  index: number,
  secrets: Record<string, pulumi.Output<string>>,
): ApiService<"aws"> {
  const { settings, api, platform } = ctx;
  const host = ctx.hosts.services[service.name];
  if (host === undefined) throw new pulumi.RunError(`no host name for services.${service.name}`);
  const shared: SharedLoadBalancer =
    platform === undefined
      ? {
          clusterArn: api.cloud.clusterArn,
          clusterName: api.cloud.clusterName,
          loadBalancerArn: api.cloud.loadBalancerArn,
          loadBalancerArnSuffix: api.cloud.loadBalancerArnSuffix,
          loadBalancerDnsName: api.cloud.loadBalancerDnsName,
          loadBalancerZoneId: api.cloud.loadBalancerZoneId,
          securityGroupId: api.cloud.loadBalancerSecurityGroupId,
          httpsListenerArn: api.cloud.httpsListenerArn,
          hostnames: [host],
          priority: serviceRulePriority(undefined, index),
          // The listener's own certificate covers every name of the stack (stacks/cloud.ts: the DNS zone's).
          certificateOnListener: true,
          readyFirst: [api.cloud.certificateReady],
        }
      : {
          clusterArn: platform.cluster.arn,
          clusterName: platform.cluster.name,
          loadBalancerArn: platform.loadBalancer.arn,
          loadBalancerArnSuffix: platform.loadBalancer.arnSuffix,
          loadBalancerDnsName: platform.loadBalancer.dnsName,
          loadBalancerZoneId: platform.loadBalancer.zoneId,
          securityGroupId: platform.loadBalancer.securityGroupId,
          httpsListenerArn: platform.loadBalancer.httpsListenerArn,
          hostnames: [host],
          priority: serviceRulePriority(settings.previewNumber ?? 0, index),
          // The preview's API adds its certificate (which covers this name) to staging's listener.
          certificateOnListener: true,
          readyFirst: [api.cloud.certificateReady],
        };
  const http = new ApiService(
    service.name,
    {
      target: "aws",
      network: ctx.network,
      image: serviceImage(settings, service),
      certificateArn: ctx.certificateArn,
      sharedLoadBalancer: shared,
      // Spot capacity for a preview where staging's cluster offers it, as for its API.
      ...(platform?.cluster.capacityProviders.includes("FARGATE_SPOT") ? { capacity: "FARGATE_SPOT" as const } : {}),
      containerPort: service.port,
      healthCheckPath: service.healthCheckPath,
      ...(service.containerHealthCheck === undefined ? {} : { containerHealthCheck: service.containerHealthCheck }),
      ...(service.command === undefined ? {} : { command: service.command }),
      cpu: service.cpu,
      memory: service.memory,
      minTasks: service.minTasks,
      maxTasks: service.maxTasks,
      scheduledScaling: settings.officeHours !== "always",
      logRetentionDays: settings.logs.retentionDays,
      ...(ctx.logsKmsKeyArn === undefined ? {} : { logsKmsKeyArn: ctx.logsKmsKeyArn }),
      protect: settings.protect,
      environment: { ENV: settings.environment, ...service.environment },
      secrets,
      secretKmsKeyArns: [ctx.database.cloud.kmsKeyArn],
      // The paths to the tiers it reads exist before its tasks and its migration start.
      connections: tierConnections(ctx, service),
      ...(service.migration === undefined ? {} : { migration: service.migration }),
      tags: { App: settings.appName, Service: service.name },
    },
    { providers: [ctx.providers.aws] },
  );
  return http;
}

/** Both rules of the path from a service to each tier it reads (`database.url`, `cache.url`). */
function tierConnections(ctx: Pick<ServiceContext, "database" | "cache">, service: ServiceSettings) {
  const tiers = reachedTiers(service);
  return [
    ...(tiers.database ? [ctx.database.connectionFor(service.name)] : []),
    ...(tiers.cache ? [ctx.cache.connectionFor(service.name)] : []),
  ];
}

/** The cluster every further service runs on: the API's, or staging's for a preview. */
function stackCluster(ctx: ServiceContext) {
  const { platform, api, settings } = ctx;
  return platform === undefined
    ? {
        arn: api.cloud.clusterArn,
        name: api.cloud.clusterName,
        containerInsights: settings.monitoring.containerInsights,
      }
    : {
        arn: platform.cluster.arn,
        name: platform.cluster.name,
        // Staging's cluster has Container Insights when staging's settings say so; a preview follows the same file.
        containerInsights: settings.monitoring.containerInsights,
      };
}

/** A worker: a Fargate service with no load balancer on the stack's cluster, scaling on CPU or on a queue's backlog. */
export function workerService(
  ctx: ServiceContext,
  service: WorkerServiceSettings,
  secrets: Record<string, pulumi.Output<string>>,
): WorkerService<"aws"> {
  const { settings, platform } = ctx;
  const worker = new WorkerService(
    service.name,
    {
      target: "aws",
      network: ctx.network,
      cluster: stackCluster(ctx),
      image: serviceImage(settings, service),
      ...(service.command === undefined ? {} : { command: service.command }),
      ...(service.containerHealthCheck === undefined ? {} : { containerHealthCheck: service.containerHealthCheck }),
      cpu: service.cpu,
      memory: service.memory,
      minTasks: service.minTasks,
      maxTasks: service.maxTasks,
      ...(service.queue === undefined
        ? {}
        : {
            queue: { queueName: service.queue.name, messagesPerTask: service.queue.messagesPerTask },
            // What consuming the queue takes, on that queue only (SQS API reference: actions and resource ARNs).
            permissions: [{ actions: [...QUEUE_CONSUMER_ACTIONS], resources: [queueArn(ctx, service.queue.name)] }],
          }),
      ...(platform?.cluster.capacityProviders.includes("FARGATE_SPOT") ? { capacity: "FARGATE_SPOT" as const } : {}),
      scheduledScaling: settings.officeHours !== "always",
      logRetentionDays: settings.logs.retentionDays,
      ...(ctx.logsKmsKeyArn === undefined ? {} : { logsKmsKeyArn: ctx.logsKmsKeyArn }),
      protect: settings.protect,
      environment: { ENV: settings.environment, ...service.environment },
      secrets,
      secretKmsKeyArns: [ctx.database.cloud.kmsKeyArn],
      // The paths to the tiers it reads exist before its tasks start.
      connections: tierConnections(ctx, service),
      tags: { App: settings.appName, Service: service.name },
    },
    { providers: [ctx.providers.aws] },
  );
  return worker;
}

/**
 * A scheduled job: EventBridge Scheduler starts a Step Functions execution that runs one task on the stack's cluster,
 * with the cron's timeout and retries; its failure alarm goes to `alarmTopicArn`.
 */
export function cronService(
  ctx: ServiceContext,
  service: CronServiceSettings,
  secrets: Record<string, pulumi.Output<string>>,
  alarmTopicArn: pulumi.Output<string>,
): ScheduledTask<"aws"> {
  const { settings, platform } = ctx;
  const cron = new ScheduledTask(
    service.name,
    {
      target: "aws",
      network: ctx.network,
      cluster: stackCluster(ctx),
      image: serviceImage(settings, service),
      ...(service.command === undefined ? {} : { command: service.command }),
      schedule: service.schedule,
      timezone: service.timezone,
      timeoutMinutes: service.timeoutMinutes,
      retries: service.retries,
      cpu: service.cpu,
      memory: service.memory,
      ...(platform?.cluster.capacityProviders.includes("FARGATE_SPOT") ? { capacity: "FARGATE_SPOT" as const } : {}),
      alarmTopicArns: [alarmTopicArn],
      alarmActionsScheduled: settings.officeHours !== "always",
      connections: tierConnections(ctx, service),
      logRetentionDays: settings.logs.retentionDays,
      ...(ctx.logsKmsKeyArn === undefined ? {} : { logsKmsKeyArn: ctx.logsKmsKeyArn }),
      environment: { ENV: settings.environment, ...service.environment },
      secrets,
      secretKmsKeyArns: [ctx.database.cloud.kmsKeyArn],
      tags: { App: settings.appName, Service: service.name },
    },
    { providers: [ctx.providers.aws] },
  );
  return cron;
}

/** What a worker needs to consume its queue: receive, delete and keep messages invisible while it works on them. */
export const QUEUE_CONSUMER_ACTIONS = [
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:ChangeMessageVisibility",
  "sqs:GetQueueAttributes",
  "sqs:GetQueueUrl",
] as const;

/** The ARN of a queue of this stack's account and region, by name. */
function queueArn(ctx: Pick<ServiceContext, "providers">, name: string): pulumi.Output<string> {
  const opts = { provider: ctx.providers.aws };
  const identity = aws.getCallerIdentityOutput({}, opts);
  const partition = aws.getPartitionOutput({}, opts);
  const region = aws.getRegionOutput({}, opts);
  return pulumi.interpolate`arn:${partition.partition}:sqs:${region.region}:${identity.accountId}:${name}`;
}
