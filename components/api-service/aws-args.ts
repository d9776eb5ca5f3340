import type { ContainerHealthCheck } from "./health";
import * as aws from "@pulumi/aws";
import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceConnection } from "../consumers";
import { namingScope } from "../naming";
import type { AwsNetworkOutputs } from "../network";
import type { Transform } from "../transform";
import type { ImageSource } from "./image";

/** A permission of the task role: what the app itself may do in AWS. Starts empty. */
export interface TaskPermission {
  /** IAM actions, never `*`, e.g. `["s3:GetObject"]`. */
  readonly actions: readonly string[];
  /** ARNs the actions apply to. */
  readonly resources: readonly pulumi.Input<string>[];
}

/**
 * Where tasks can run: on-demand Fargate or Fargate Spot. Every owned cluster offers all of them, so each service
 * (and each preview joining the cluster) can choose.
 */
export const CLUSTER_CAPACITY_PROVIDERS = ["FARGATE", "FARGATE_SPOT"] as const;
export type FargateCapacity = (typeof CLUSTER_CAPACITY_PROVIDERS)[number];

/**
 * A command that must succeed before each release: a one-off task of the new image, with the service's secrets,
 * security group and subnets (components/api-service/migration.ts).
 */
export interface MigrationArgs {
  /** The container's command, e.g. `["npm", "run", "migrate"]` (the image's entrypoint still applies). */
  readonly command: readonly string[];
  /** The run fails (and the release with it) when the task outlives this; 60 to 3600. @default 600 */
  readonly timeoutSeconds?: number;
  /** Which of the service's secrets the task gets, by environment name. @default - all of the service's secrets */
  readonly secrets?: readonly string[];
}

/** Another stack's cluster and HTTPS load balancer that this service joins (see `sharedLoadBalancer`). */
export interface SharedLoadBalancer {
  readonly clusterArn: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  readonly loadBalancerArn: pulumi.Input<string>;
  /** The `LoadBalancer` dimension of its CloudWatch metrics. */
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  readonly loadBalancerDnsName: pulumi.Input<string>;
  readonly loadBalancerZoneId: pulumi.Input<string>;
  /** Its security group; this service adds an egress rule to its own tasks. */
  readonly securityGroupId: pulumi.Input<string>;
  /** The HTTPS listener the rule and the certificate are added to. */
  readonly httpsListenerArn: pulumi.Input<string>;
  /** Requests for these hosts are forwarded to this service (1 to 5 names). */
  readonly hostnames: readonly string[];
  /** The rule's priority on the listener, unique per listener (1 to 50000; lower is evaluated first). */
  readonly priority: number;
  /**
   * Whether the listener already presents a certificate for `hostnames`: a further service of the same stack (its
   * certificate is the listener's own), or of a preview whose API added it. No `ListenerCertificate` is then added,
   * so removing this service never takes the certificate away from another.
   * @default false - `certificateArn` is added to the listener
   */
  readonly certificateOnListener?: boolean;
  /** What must exist before the rule sends traffic here, e.g. the API's `listenerCertificate`. @default [] */
  readonly readyFirst?: readonly pulumi.Resource[];
}

/** Arguments of the AWS variant of {@link ApiService}. */
export interface AwsApiServiceArgs {
  readonly target: "aws";
  readonly network: AwsNetworkOutputs;
  /** The image: prebuilt, or built from a folder and pushed to this service's ECR repository. */
  readonly image: ImageSource;
  /** ARN of the ACM certificate for the HTTPS listener (the edge tier supplies it). */
  readonly certificateArn: pulumi.Input<string>;
  /** @default 8080 */
  readonly containerPort?: number;
  /** The container's command, replacing the image's `CMD` (e.g. `["uvicorn", "app:app"]`). @default - the image's */
  readonly command?: readonly string[];
  /** Fargate CPU units. @default 512 */
  readonly cpu?: number;
  /** MiB, a size Fargate offers for `cpu`. @default 1024 */
  readonly memory?: number;
  /** Autoscaling floor; also the desired count at creation. @default 2 */
  readonly minTasks?: number;
  /** @default 4 */
  readonly maxTasks?: number;
  /** Target group and container health check path. @default "/health" */
  readonly healthCheckPath?: string;
  /**
   * A container-level health check, opt-in (./health.ts): the load balancer's HTTP check on `healthCheckPath` is the
   * check by default, and works for any image.
   * @default - none
   */
  readonly containerHealthCheck?: ContainerHealthCheck;
  /** Plain environment values (no secrets: names that look like one are refused). */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Secrets by environment name → Secrets Manager secret ARN; ECS injects the values at start. */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Security groups the tasks connect to (the database's on 5432, the cache's on 6379). For each, the service declares
   * an egress rule on its own group (`<name>-to-<connection>`) and an ingress rule on the target's
   * (`<name>-to-<connection>-ingress`), both before its tasks and any one-off task start. `allowTo` adds egress only,
   * after the fact.
   * @default []
   */
  readonly connections?: readonly ServiceConnection[];
  /**
   * Gated releases: run this command as a one-off task of the new image before the service's task definition changes.
   * A non-zero exit or a timeout fails `pulumi up`, and the service keeps its old revision. It runs again when the
   * image or the command changes (or the task definition it runs: secrets, roles), never in `pulumi preview` or the
   * offline synth. It waits for `connections` and the subnets' egress.
   * @default - none: a release starts at once
   */
  readonly migration?: MigrationArgs;
  /** KMS keys the secrets are encrypted with (customer-managed keys need `kms:Decrypt` for the execution role). */
  readonly secretKmsKeyArns?: readonly pulumi.Input<string>[];
  /**
   * Admit HTTPS to the load balancer only from these managed prefix lists (e.g. Cloudflare's ranges, when the API is
   * proxied). Port 80 is then closed: the edge redirects to HTTPS itself.
   * @default [] - 80 and 443 open to the internet
   */
  readonly ingressPrefixListIds?: readonly pulumi.Input<string>[];
  /**
   * Whether the load balancer has public IPv4 addresses (one per zone, $3.65 a month each). `false` makes it
   * IPv6-only on the internet side (`dualstack-without-public-ipv4`; it keeps private IPv4 towards the tasks): right
   * only behind a proxy that reaches origins over IPv6, such as Cloudflare's, and it needs a network with `ipv6`.
   * @default true
   */
  readonly publicIpv4?: boolean;
  /**
   * Mutual TLS on the own HTTPS listener: it verifies a client certificate against this trust store and refuses
   * connections without one (the edge presents it: `OriginAuthentication`). Take the ARN from what makes it ready,
   * so the listener requires certificates only once they are sent. Only for an own load balancer (a service joining
   * another stack's listener gets that listener's setting).
   * @default - no client certificate asked for
   */
  readonly clientCertificateTrustStoreArn?: pulumi.Input<string>;
  /**
   * Join another stack's cluster and load balancer (a preview joins staging's) instead of creating them: the service
   * gets its own target group, a host-header rule on the shared HTTPS listener and `certificateArn` added to that
   * listener (SNI), and no cluster, load balancer, listeners or access-log bucket of its own.
   * @default - a cluster and an internet-facing load balancer of its own
   */
  readonly sharedLoadBalancer?: SharedLoadBalancer;
  /**
   * The Fargate capacity the tasks run on. `FARGATE_SPOT` costs about 70 % less and may be interrupted with two
   * minutes' notice: for disposable stacks (previews), never for production.
   * @default "FARGATE"
   */
  readonly capacity?: FargateCapacity;
  /**
   * ECS Container Insights on an owned cluster: per-task CPU, memory and network graphs, billed as custom metrics
   * (about $6 a month for one service). No alarm depends on it. Ignored when joining another stack's cluster.
   * @default false
   */
  readonly containerInsights?: boolean;
  /** What the app may do in AWS (the task role). @default [] */
  readonly permissions?: readonly TaskPermission[];
  /** The container's root filesystem is read-only (a writable `/tmp` is mounted). @default true */
  readonly readonlyRootFilesystem?: boolean;
  /** A KMS key CloudWatch Logs may use (the stack's logs key) for the service's log group. @default - CloudWatch's own */
  readonly logsKmsKeyArn?: pulumi.Input<string>;
  /** Days CloudWatch keeps the service's logs. @default 30 */
  readonly logRetentionDays?: number;
  /** Days S3 keeps the load balancer's access logs. @default 90 */
  readonly accessLogRetentionDays?: number;
  /**
   * Register the service with Application Auto Scaling even when its size is fixed (`minTasks` = `maxTasks`), so
   * scheduled actions (office hours) can set its task range; the task count is then Application Auto Scaling's.
   * @default false - only a service with room to scale has a scalable target
   */
  readonly scheduledScaling?: boolean;
  /** Scale to keep average CPU near this percentage. @default 60 */
  readonly cpuTargetPercent?: number;
  /** Scale to keep requests per task per minute near this. @default 1000 */
  readonly requestsPerTarget?: number;
  /** ECR keeps this many images. @default 30 */
  readonly keepImages?: number;
  /** Load balancer deletion protection and Pulumi `protect` on the repository. @default false */
  readonly protect?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
  readonly transform?: {
    readonly repository?: Transform<aws.ecr.RepositoryArgs>;
    readonly image?: Transform<docker.ImageArgs>;
    readonly cluster?: Transform<aws.ecs.ClusterArgs>;
    readonly taskDefinition?: Transform<aws.ecs.TaskDefinitionArgs>;
    readonly service?: Transform<aws.ecs.ServiceArgs>;
    readonly loadBalancer?: Transform<aws.lb.LoadBalancerArgs>;
    readonly targetGroup?: Transform<aws.lb.TargetGroupArgs>;
    readonly httpsListener?: Transform<aws.lb.ListenerArgs>;
    readonly listenerRule?: Transform<aws.lb.ListenerRuleArgs>;
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    readonly accessLogBucket?: Transform<aws.s3.BucketArgs>;
    readonly executionRole?: Transform<aws.iam.RoleArgs>;
    readonly taskRole?: Transform<aws.iam.RoleArgs>;
  };
}

export type ResolvedAwsApiServiceArgs = Required<
  Omit<
    AwsApiServiceArgs,
    | "transform"
    | "sharedLoadBalancer"
    | "logsKmsKeyArn"
    | "clientCertificateTrustStoreArn"
    | "containerHealthCheck"
    | "command"
    | "migration"
  >
> &
  Pick<
    AwsApiServiceArgs,
    | "transform"
    | "sharedLoadBalancer"
    | "logsKmsKeyArn"
    | "clientCertificateTrustStoreArn"
    | "containerHealthCheck"
    | "command"
    | "migration"
  >;

export function awsApiServiceDefaults(args: AwsApiServiceArgs): ResolvedAwsApiServiceArgs {
  return {
    ...args,
    containerPort: args.containerPort ?? 8080,
    cpu: args.cpu ?? 512,
    memory: args.memory ?? 1024,
    minTasks: args.minTasks ?? 2,
    maxTasks: args.maxTasks ?? 4,
    healthCheckPath: args.healthCheckPath ?? "/health",
    environment: args.environment ?? {},
    secrets: args.secrets ?? {},
    connections: args.connections ?? [],
    secretKmsKeyArns: args.secretKmsKeyArns ?? [],
    permissions: args.permissions ?? [],
    capacity: args.capacity ?? "FARGATE",
    containerInsights: args.containerInsights ?? false,
    ingressPrefixListIds: args.ingressPrefixListIds ?? [],
    publicIpv4: args.publicIpv4 ?? true,
    readonlyRootFilesystem: args.readonlyRootFilesystem ?? true,
    logRetentionDays: args.logRetentionDays ?? 30,
    accessLogRetentionDays: args.accessLogRetentionDays ?? 90,
    scheduledScaling: args.scheduledScaling ?? false,
    cpuTargetPercent: args.cpuTargetPercent ?? 60,
    requestsPerTarget: args.requestsPerTarget ?? 1000,
    keepImages: args.keepImages ?? 30,
    protect: args.protect ?? false,
    tags: args.tags ?? {},
  };
}

/** The escape hatches of the parts an ApiService and a WorkerService share. */
export interface FargateTransforms {
  readonly repository?: Transform<aws.ecr.RepositoryArgs>;
  readonly image?: Transform<docker.ImageArgs>;
  readonly taskDefinition?: Transform<aws.ecs.TaskDefinitionArgs>;
  readonly service?: Transform<aws.ecs.ServiceArgs>;
  readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
  readonly executionRole?: Transform<aws.iam.RoleArgs>;
  readonly taskRole?: Transform<aws.iam.RoleArgs>;
}

/**
 * The resolved args the shared parts (image, logs, roles, task definition, service, autoscaling) read: an
 * ApiService's, or a WorkerService's (no port, perhaps a command).
 */
export interface ResolvedFargateArgs {
  readonly network: AwsNetworkOutputs;
  readonly image: ImageSource;
  /** The port the container listens on; absent for a service nothing connects to. */
  readonly containerPort?: number;
  /** Overrides the image's command. */
  readonly command?: readonly string[];
  readonly cpu: number;
  readonly memory: number;
  readonly minTasks: number;
  readonly maxTasks: number;
  readonly containerHealthCheck?: ContainerHealthCheck;
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  readonly secretKmsKeyArns: readonly pulumi.Input<string>[];
  readonly permissions: readonly TaskPermission[];
  readonly capacity: FargateCapacity;
  readonly readonlyRootFilesystem: boolean;
  readonly logsKmsKeyArn?: pulumi.Input<string>;
  readonly logRetentionDays: number;
  readonly scheduledScaling: boolean;
  readonly cpuTargetPercent: number;
  readonly keepImages: number;
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly transform?: FargateTransforms;
}

/** What every part of the AWS variant is declared with: the service's name, its resolved args and where it lives. */
export interface ServiceContext<A extends ResolvedFargateArgs = ResolvedAwsApiServiceArgs> {
  readonly name: string;
  readonly args: A;
  /** The component every child is parented to. */
  readonly parent: pulumi.ComponentResource;
  readonly scope: { readonly project: string; readonly stack: string };
  readonly tags: Record<string, string>;
  readonly region: pulumi.Output<string>;
  readonly accountId: pulumi.Output<string>;
}

/** The context of a Fargate service's parts (an ApiService's or a WorkerService's): its naming scope, tags, account and region. */
export function serviceContext<A extends ResolvedFargateArgs>(
  name: string,
  args: A,
  parent: pulumi.ComponentResource,
): ServiceContext<A> {
  return {
    name,
    args,
    parent,
    scope: namingScope(),
    tags: { ...args.tags },
    accountId: aws.getCallerIdentityOutput({}, { parent }).accountId,
    region: aws.getRegionOutput({}, { parent }).region,
  };
}
