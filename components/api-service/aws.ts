import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import type { AwsNetworkOutputs } from "../network";
import { denyInsecureTransport, serviceTrustPolicy, viaService } from "../iam";
import { transform, type Transform } from "../transform";
import { contextHash, type ImageSource } from "./image";

/** The TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward-secret ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
const CONTAINER = "app";
/** Fargate tasks here run on X86_64 (see the task definition's runtimePlatform). */
const BUILD_PLATFORM = "linux/amd64";

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
  /** Plain environment values (no secrets: names that look like one are refused). */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Secrets by environment name → Secrets Manager secret ARN; ECS injects the values at start. */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
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
  Omit<AwsApiServiceArgs, "transform" | "sharedLoadBalancer" | "logsKmsKeyArn" | "clientCertificateTrustStoreArn">
> &
  Pick<AwsApiServiceArgs, "transform" | "sharedLoadBalancer" | "logsKmsKeyArn" | "clientCertificateTrustStoreArn">;

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

/**
 * Target group timing: a draining task gets 15 s, a new one is healthy after 2 checks 10 s apart, a failing one is
 * out after 3. With minimum healthy 100 % / maximum 200 %, one rolling step takes at most
 * start + 2 × 10 s (healthy) + 15 s (drain), so the worst case per release is about 35 s plus the app's start.
 */
export const TARGET_TIMING = {
  deregistrationDelaySeconds: 15,
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
} as const;

export interface AwsApiServiceOutputs {
  readonly url: pulumi.Output<string>;
  readonly loadBalancerDnsName: pulumi.Output<string>;
  readonly loadBalancerZoneId: pulumi.Output<string>;
  readonly loadBalancerArn: pulumi.Output<string>;
  readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
  readonly serviceSecurityGroupId: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  readonly repositoryUrl: pulumi.Output<string> | undefined;
  readonly imageRef: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly targetGroupArn: pulumi.Output<string>;
  readonly httpsListenerArn: pulumi.Output<string>;
  /** CloudWatch dimension values (`LoadBalancer`, `TargetGroup`) for alarms and dashboards. */
  readonly loadBalancerArnSuffix: pulumi.Output<string>;
  readonly targetGroupArnSuffix: pulumi.Output<string>;
  /** Whether the load balancer and cluster belong to another stack (their metrics then include its traffic). */
  readonly sharedLoadBalancer: boolean;
  /** The cluster's ARN (owned or shared). */
  readonly clusterArn: pulumi.Output<string>;
  /** The capacity providers the owned cluster offers (empty when the cluster is shared). */
  readonly capacityProviders: readonly FargateCapacity[];
  /** The fewest tasks the service runs (alarms compare healthy targets with it). */
  readonly minTasks: number;
  /** Application Auto Scaling's id of the service (`service/<cluster>/<service>`), when it has a scalable target. */
  readonly scalableTargetResourceId: pulumi.Output<string> | undefined;
  /** What a one-off task of the service (`ApiService.runTask`) runs with: the service's roles, logs and network. */
  readonly runtime: {
    readonly region: pulumi.Output<string>;
    readonly executionRoleArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    readonly subnetIds: pulumi.Input<string[]>;
    readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
    readonly egressReady: readonly pulumi.Resource[];
    readonly scope: { readonly project: string; readonly stack: string };
  };
}

export function createAwsApiService(
  name: string,
  args: ResolvedAwsApiServiceArgs,
  parent: pulumi.ComponentResource,
): AwsApiServiceOutputs {
  const t = args.transform ?? {};
  const opts: pulumi.CustomResourceOptions = { parent };
  const scope = { project: pulumi.getProject(), stack: pulumi.getStack() };
  const tags = { ...args.tags };
  const identity = aws.getCallerIdentityOutput({}, { parent });
  const region = aws.getRegionOutput({}, { parent }).region;
  const ecsTrust = serviceTrustPolicy("ecs-tasks.amazonaws.com", identity.accountId);

  // --- image ---------------------------------------------------------------------------------------------------
  let repository: aws.ecr.Repository | undefined;
  let imageRef: pulumi.Output<string>;
  if ("build" in args.image) {
    repository = new aws.ecr.Repository(
      ...transform(
        t.repository,
        `${name}-repo`,
        {
          name: physicalName(scope, name, "ecrRepository"),
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          // KMS with ECR's AWS-managed key: pulls need no key permission (ECR decrypts through a grant).
          encryptionConfigurations: [{ encryptionType: "KMS" }],
          forceDelete: !args.protect,
          tags,
        },
        { ...opts, protect: args.protect },
      ),
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-repo`,
      {
        repository: repository.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: `keep the last ${args.keepImages} images`,
              selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: args.keepImages },
              action: { type: "expire" },
            },
          ],
        }),
      },
      { ...opts },
    );
    const build = args.image.build;
    const tag = args.image.tag ?? contextHash(build.context, { ...build, platform: BUILD_PLATFORM });
    const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent });
    const image = new docker.Image(
      ...transform(
        t.image,
        `${name}-image`,
        {
          imageName: pulumi.interpolate`${repository.repositoryUrl}:${tag}`,
          build: {
            context: build.context,
            ...(build.dockerfile === undefined ? {} : { dockerfile: `${build.context}/${build.dockerfile}` }),
            ...(build.target === undefined ? {} : { target: build.target }),
            ...(build.args === undefined ? {} : { args: { ...build.args } }),
            platform: BUILD_PLATFORM,
          },
          registry: {
            server: repository.repositoryUrl,
            username: token.userName,
            password: pulumi.secret(token.password),
          },
        },
        { ...opts },
      ),
    );
    // The digest pins exactly what was pushed: a task never runs an image other than the one this update built.
    imageRef = image.repoDigest;
  } else {
    imageRef = pulumi.output(args.image.image);
  }

  // --- logs, cluster ---------------------------------------------------------------------------------------------
  const logGroup = new aws.cloudwatch.LogGroup(
    ...transform(
      t.logGroup,
      `${name}-logs`,
      {
        name: `/ecs/${physicalName(scope, name)}`,
        retentionInDays: args.logRetentionDays,
        ...(args.logsKmsKeyArn === undefined ? {} : { kmsKeyId: args.logsKmsKeyArn }),
        tags,
      },
      { ...opts },
    ),
  );
  const shared = args.sharedLoadBalancer;
  const cluster = shared
    ? { arn: pulumi.output(shared.clusterArn), name: pulumi.output(shared.clusterName) }
    : ownCluster(name, args, parent, scope, tags);

  // --- IAM -------------------------------------------------------------------------------------------------------
  const executionRole = new aws.iam.Role(
    ...transform(
      t.executionRole,
      `${name}-execution`,
      {
        description: `ECS starts ${name}: pull its image, write its logs, read its secrets`,
        assumeRolePolicy: ecsTrust,
        tags,
      },
      { ...opts },
    ),
  );
  new aws.iam.RolePolicy(
    `${name}-execution`,
    {
      role: executionRole.id,
      policy: executionPolicy({
        repositoryArn: repository?.arn,
        logGroupArn: logGroup.arn,
        secretArns: Object.values(args.secrets),
        kmsKeyArns: args.secretKmsKeyArns,
        region,
      }),
    },
    { ...opts },
  );
  const taskRole = new aws.iam.Role(
    ...transform(
      t.taskRole,
      `${name}-task`,
      { description: `What ${name} itself may do in AWS (nothing unless granted)`, assumeRolePolicy: ecsTrust, tags },
      { ...opts },
    ),
  );
  if (args.permissions.length > 0) {
    new aws.iam.RolePolicy(
      `${name}-task`,
      {
        role: taskRole.id,
        policy: pulumi
          .all(args.permissions.map((p) => pulumi.all(p.resources.map((r) => pulumi.output(r)))))
          .apply((resources) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: args.permissions.map((p, i) => ({
                Effect: "Allow",
                Action: [...p.actions],
                Resource: resources[i],
              })),
            }),
          ),
      },
      { ...opts },
    );
  }

  // --- security groups -------------------------------------------------------------------------------------------
  const serviceSg = new aws.ec2.SecurityGroup(
    `${name}-service`,
    {
      vpcId: args.network.vpcId,
      description: `${name} tasks: ${args.containerPort} from the load balancer only`,
      tags: { ...tags, Name: physicalName(scope, `${name}-service`) },
    },
    { ...opts },
  );
  const albSgId = shared
    ? pulumi.output(shared.securityGroupId)
    : ownLoadBalancerSecurityGroup(name, args, parent, scope);
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-alb-to-service`,
    {
      securityGroupId: albSgId,
      referencedSecurityGroupId: serviceSg.id,
      ipProtocol: "tcp",
      fromPort: args.containerPort,
      toPort: args.containerPort,
      description: shared ? `to the tasks of ${pulumi.getStack()}` : "to the tasks",
    },
    { ...opts },
  );
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-service-from-alb`,
    {
      securityGroupId: serviceSg.id,
      referencedSecurityGroupId: albSgId,
      ipProtocol: "tcp",
      fromPort: args.containerPort,
      toPort: args.containerPort,
      description: "from the load balancer",
    },
    { ...opts },
  );
  // HTTPS out: AWS APIs (ECR, Secrets Manager, CloudWatch Logs), the image registry and third parties (Sentry,
  // payment providers), through NAT. The database and the cache are reached by security group (`allowTo`), and
  // DNS and NTP use the VPC's own addresses, which security groups do not filter.
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-service-https`,
    {
      securityGroupId: serviceSg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "HTTPS out",
    },
    { ...opts },
  );

  // --- load balancer ---------------------------------------------------------------------------------------------
  const targetGroup = new aws.lb.TargetGroup(
    ...transform(
      t.targetGroup,
      `${name}-tg`,
      {
        port: args.containerPort,
        protocol: "HTTP",
        targetType: "ip",
        vpcId: args.network.vpcId,
        deregistrationDelay: TARGET_TIMING.deregistrationDelaySeconds,
        healthCheck: {
          path: args.healthCheckPath,
          matcher: "200-399",
          interval: TARGET_TIMING.intervalSeconds,
          timeout: TARGET_TIMING.timeoutSeconds,
          healthyThreshold: TARGET_TIMING.healthyThreshold,
          unhealthyThreshold: TARGET_TIMING.unhealthyThreshold,
        },
        tags,
      },
      { ...opts },
    ),
  );
  const front = shared
    ? joinLoadBalancer(name, args, shared, targetGroup, parent)
    : ownLoadBalancer(name, args, albSgId, targetGroup, parent, region, identity.accountId);

  // --- task and service ------------------------------------------------------------------------------------------
  const taskDefinition = new aws.ecs.TaskDefinition(
    ...transform(
      t.taskDefinition,
      `${name}-task`,
      {
        family: physicalName(scope, name),
        cpu: String(args.cpu),
        memory: String(args.memory),
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        volumes: args.readonlyRootFilesystem ? [{ name: "tmp" }] : [],
        containerDefinitions: containerDefinitions(args, imageRef, logGroup.name, region),
        tags,
      },
      { ...opts },
    ),
  );

  const autoscaled = args.maxTasks > args.minTasks;
  const scalable = autoscaled || args.scheduledScaling;
  const service = new aws.ecs.Service(
    ...transform(
      t.service,
      `${name}`,
      {
        name: physicalName(scope, name),
        cluster: cluster.arn,
        taskDefinition: taskDefinition.arn,
        desiredCount: args.minTasks,
        // On-demand keeps the plain launch type (switching an existing service to a strategy replaces it).
        ...(args.capacity === "FARGATE"
          ? { launchType: "FARGATE" }
          : { capacityProviderStrategies: [{ capacityProvider: args.capacity, weight: 1 }] }),
        platformVersion: "LATEST",
        networkConfiguration: {
          subnets: args.network.privateSubnetIds,
          securityGroups: [serviceSg.id],
          assignPublicIp: false,
        },
        loadBalancers: [
          { targetGroupArn: targetGroup.arn, containerName: CONTAINER, containerPort: args.containerPort },
        ],
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        healthCheckGracePeriodSeconds: 60,
        availabilityZoneRebalancing: "ENABLED",
        waitForSteadyState: true,
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        tags,
      },
      // Application Auto Scaling owns the task count after creation (scaling policies, office hours); an update must
      // not reset it to the minimum. A fixed-size service without schedules has no scalable target, and its count
      // follows the config.
      // Tasks start once traffic can reach them (the route to the target group) and they can reach out (their
      // subnets' default routes: the image pull and the secrets go through NAT).
      {
        ...opts,
        dependsOn: [front.routed, ...args.network.egressReady],
        ...(scalable ? { ignoreChanges: ["desiredCount"] } : {}),
      },
    ),
  );

  // --- autoscaling -----------------------------------------------------------------------------------------------
  const scalingTarget = scalable
    ? new aws.appautoscaling.Target(
        `${name}-scaling`,
        {
          serviceNamespace: "ecs",
          scalableDimension: "ecs:service:DesiredCount",
          resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
          minCapacity: args.minTasks,
          maxCapacity: args.maxTasks,
        },
        { ...opts },
      )
    : undefined;
  if (autoscaled && scalingTarget !== undefined) {
    const tracking = (id: string, metric: string, target: number, resourceLabel?: pulumi.Input<string>) =>
      new aws.appautoscaling.Policy(
        `${name}-${id}`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: scalingTarget.serviceNamespace,
          scalableDimension: scalingTarget.scalableDimension,
          resourceId: scalingTarget.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: target,
            predefinedMetricSpecification: {
              predefinedMetricType: metric,
              ...(resourceLabel === undefined ? {} : { resourceLabel }),
            },
            scaleInCooldown: 300,
            scaleOutCooldown: 60,
          },
        },
        { ...opts },
      );
    tracking("cpu", "ECSServiceAverageCPUUtilization", args.cpuTargetPercent);
    tracking(
      "requests",
      "ALBRequestCountPerTarget",
      args.requestsPerTarget,
      pulumi.interpolate`${front.loadBalancerArnSuffix}/${targetGroup.arnSuffix}`,
    );
  }

  return {
    url: pulumi.interpolate`https://${front.loadBalancerDnsName}`,
    loadBalancerDnsName: front.loadBalancerDnsName,
    loadBalancerZoneId: front.loadBalancerZoneId,
    loadBalancerArn: front.loadBalancerArn,
    loadBalancerSecurityGroupId: albSgId,
    serviceSecurityGroupId: serviceSg.id,
    clusterName: cluster.name,
    clusterArn: cluster.arn,
    capacityProviders: shared ? [] : CLUSTER_CAPACITY_PROVIDERS,
    serviceName: service.name,
    repositoryUrl: repository?.repositoryUrl,
    imageRef,
    logGroupName: logGroup.name,
    taskRoleArn: taskRole.arn,
    targetGroupArn: targetGroup.arn,
    httpsListenerArn: front.httpsListenerArn,
    loadBalancerArnSuffix: front.loadBalancerArnSuffix,
    targetGroupArnSuffix: targetGroup.arnSuffix,
    sharedLoadBalancer: shared !== undefined,
    minTasks: args.minTasks,
    scalableTargetResourceId: scalingTarget?.resourceId,
    runtime: {
      region,
      executionRoleArn: executionRole.arn,
      logGroupName: logGroup.name,
      subnetIds: args.network.privateSubnetIds,
      secrets: args.secrets,
      egressReady: args.network.egressReady,
      scope,
    },
  };
}

/** What the service needs from the load balancer in front of it, owned or shared. */
interface FrontDoor {
  readonly loadBalancerArn: pulumi.Output<string>;
  readonly loadBalancerArnSuffix: pulumi.Output<string>;
  readonly loadBalancerDnsName: pulumi.Output<string>;
  readonly loadBalancerZoneId: pulumi.Output<string>;
  readonly httpsListenerArn: pulumi.Output<string>;
  /** The resource that attaches the target group to the load balancer (ECS refuses a service before that). */
  readonly routed: pulumi.Resource;
}

/** The service's own cluster, offering on-demand and Spot Fargate capacity. */
function ownCluster(
  name: string,
  args: ResolvedAwsApiServiceArgs,
  parent: pulumi.ComponentResource,
  scope: { project: string; stack: string },
  tags: Record<string, string>,
): { arn: pulumi.Output<string>; name: pulumi.Output<string> } {
  const cluster = new aws.ecs.Cluster(
    ...transform(
      args.transform?.cluster,
      `${name}-cluster`,
      {
        name: physicalName(scope, name, "ecsCluster"),
        settings: [{ name: "containerInsights", value: args.containerInsights ? "enabled" : "disabled" }],
        tags,
      },
      { parent },
    ),
  );
  // Services (and previews that join this cluster) choose between the two per service.
  new aws.ecs.ClusterCapacityProviders(
    `${name}-cluster`,
    { clusterName: cluster.name, capacityProviders: [...CLUSTER_CAPACITY_PROVIDERS] },
    { parent },
  );
  return { arn: cluster.arn, name: cluster.name };
}

/** The own load balancer's security group: 443 (and 80 for the redirect) from the internet, or 443 from the edge. */
function ownLoadBalancerSecurityGroup(
  name: string,
  args: ResolvedAwsApiServiceArgs,
  parent: pulumi.ComponentResource,
  scope: { project: string; stack: string },
): pulumi.Output<string> {
  const opts: pulumi.CustomResourceOptions = { parent };
  const albSg = new aws.ec2.SecurityGroup(
    `${name}-alb`,
    {
      vpcId: args.network.vpcId,
      description: `${name} load balancer: HTTPS and HTTP (redirect) from the internet`,
      tags: { ...args.tags, Name: physicalName(scope, `${name}-alb`) },
    },
    { ...opts },
  );
  if (args.ingressPrefixListIds.length > 0) {
    args.ingressPrefixListIds.forEach(
      (prefixListId, i) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-alb-443-origin-${i + 1}`,
          {
            securityGroupId: albSg.id,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            prefixListId,
            description: "443 from the edge",
          },
          { ...opts },
        ),
    );
  } else {
    for (const port of [443, 80]) {
      for (const [family, cidr] of [
        ["ipv4", { cidrIpv4: "0.0.0.0/0" }],
        ["ipv6", { cidrIpv6: "::/0" }],
      ] as const) {
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-alb-${port}-${family}`,
          {
            securityGroupId: albSg.id,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            ...cidr,
            description: `${port} from anywhere`,
          },
          { ...opts },
        );
      }
    }
  }
  return albSg.id;
}

/** An internet-facing load balancer of the service's own: HTTPS to the target group, HTTP redirected, access logs. */
function ownLoadBalancer(
  name: string,
  args: ResolvedAwsApiServiceArgs,
  securityGroupId: pulumi.Output<string>,
  targetGroup: aws.lb.TargetGroup,
  parent: pulumi.ComponentResource,
  region: pulumi.Output<string>,
  accountId: pulumi.Output<string>,
): FrontDoor {
  const t = args.transform ?? {};
  const opts: pulumi.CustomResourceOptions = { parent };
  const tags = { ...args.tags };
  const logs = accessLogBucket(name, args, parent, region, accountId);
  const alb = new aws.lb.LoadBalancer(
    ...transform(
      t.loadBalancer,
      `${name}-alb`,
      {
        loadBalancerType: "application",
        internal: false,
        ipAddressType: args.publicIpv4 ? "ipv4" : "dualstack-without-public-ipv4",
        subnets: args.network.publicSubnetIds,
        securityGroups: [securityGroupId],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.protect,
        idleTimeout: 60,
        accessLogs: { bucket: logs.bucket, prefix: name, enabled: true },
        tags,
      },
      { ...opts, dependsOn: [logs.policy] },
    ),
  );
  new aws.lb.Listener(
    `${name}-http`,
    {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      tags,
    },
    { ...opts },
  );
  const https = new aws.lb.Listener(
    ...transform(
      t.httpsListener,
      `${name}-https`,
      {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: TLS_POLICY,
        certificateArn: args.certificateArn,
        ...(args.clientCertificateTrustStoreArn === undefined
          ? {}
          : {
              mutualAuthentication: {
                mode: "verify",
                trustStoreArn: args.clientCertificateTrustStoreArn,
                ignoreClientCertificateExpiry: false,
              },
            }),
        defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        tags,
      },
      { ...opts },
    ),
  );
  return {
    loadBalancerArn: alb.arn,
    loadBalancerArnSuffix: alb.arnSuffix,
    // An IPv6-only load balancer answers AAAA queries under its `dualstack.` name (what a CNAME must point at).
    loadBalancerDnsName: args.publicIpv4 ? alb.dnsName : pulumi.interpolate`dualstack.${alb.dnsName}`,
    loadBalancerZoneId: alb.zoneId,
    httpsListenerArn: https.arn,
    routed: https,
  };
}

/**
 * Joins another stack's HTTPS listener: a rule forwards this service's hostnames to its target group, and its
 * certificate is added to the listener, which picks it by SNI. Both go away with this stack; the listener stays.
 */
function joinLoadBalancer(
  name: string,
  args: ResolvedAwsApiServiceArgs,
  shared: SharedLoadBalancer,
  targetGroup: aws.lb.TargetGroup,
  parent: pulumi.ComponentResource,
): FrontDoor {
  const opts: pulumi.CustomResourceOptions = { parent };
  const certificate = new aws.lb.ListenerCertificate(
    `${name}-certificate`,
    { listenerArn: shared.httpsListenerArn, certificateArn: args.certificateArn },
    { ...opts },
  );
  const rule = new aws.lb.ListenerRule(
    ...transform(
      args.transform?.listenerRule,
      `${name}-route`,
      {
        listenerArn: shared.httpsListenerArn,
        priority: shared.priority,
        conditions: [{ hostHeader: { values: [...shared.hostnames] } }],
        actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        tags: { ...args.tags },
      },
      // The hostname must not reach the rule before the listener can present its certificate.
      { ...opts, dependsOn: [certificate] },
    ),
  );
  return {
    loadBalancerArn: pulumi.output(shared.loadBalancerArn),
    loadBalancerArnSuffix: pulumi.output(shared.loadBalancerArnSuffix),
    loadBalancerDnsName: pulumi.output(shared.loadBalancerDnsName),
    loadBalancerZoneId: pulumi.output(shared.loadBalancerZoneId),
    httpsListenerArn: pulumi.output(shared.httpsListenerArn),
    routed: rule,
  };
}

/** The execution role: pull this repository's images, write this log group, read these secrets. Nothing else. */
export function executionPolicy(scope: {
  repositoryArn: pulumi.Input<string> | undefined;
  logGroupArn: pulumi.Input<string>;
  secretArns: readonly pulumi.Input<string>[];
  kmsKeyArns: readonly pulumi.Input<string>[];
  /** The region of the secrets (Secrets Manager decrypts through KMS in its own region). */
  region: pulumi.Input<string>;
}): pulumi.Output<string> {
  return pulumi
    .all([
      pulumi.output(scope.repositoryArn),
      pulumi.output(scope.logGroupArn),
      pulumi.all(scope.secretArns.map((a) => pulumi.output(a))),
      pulumi.all(scope.kmsKeyArns.map((a) => pulumi.output(a))),
      pulumi.output(scope.region),
    ])
    .apply(([repositoryArn, logGroupArn, secretArns, kmsKeyArns, region]) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          ...(repositoryArn === undefined
            ? []
            : [
                // GetAuthorizationToken has no resource-level permissions: AWS only accepts "*" for it.
                { Sid: "RegistryLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                {
                  Sid: "PullImage",
                  Effect: "Allow",
                  Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                  Resource: [repositoryArn],
                },
              ]),
          {
            Sid: "WriteLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [`${logGroupArn}:*`],
          },
          ...(secretArns.length === 0
            ? []
            : [
                {
                  Sid: "ReadSecrets",
                  Effect: "Allow",
                  Action: ["secretsmanager:GetSecretValue"],
                  Resource: [...secretArns].sort(),
                },
              ]),
          ...(kmsKeyArns.length === 0
            ? []
            : [
                {
                  Sid: "DecryptSecrets",
                  Effect: "Allow",
                  Action: ["kms:Decrypt"],
                  Resource: [...kmsKeyArns].sort(),
                  Condition: { StringEquals: { "kms:ViaService": viaService("secretsmanager", region) } },
                },
              ]),
        ],
      }),
    );
}

/** The container: plain environment and secrets kept apart (secrets are only ever `valueFrom` ARNs). */
function containerDefinitions(
  args: ResolvedAwsApiServiceArgs,
  image: pulumi.Output<string>,
  logGroup: pulumi.Output<string>,
  region: pulumi.Output<string>,
): pulumi.Output<string> {
  const env = Object.entries({ PORT: String(args.containerPort), ...args.environment }).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  const secrets = Object.entries(args.secrets).sort(([a], [b]) => a.localeCompare(b));
  return pulumi
    .all([
      image,
      logGroup,
      region,
      pulumi.all(env.map(([, v]) => pulumi.output(v))),
      pulumi.all(secrets.map(([, v]) => pulumi.output(v))),
    ])
    .apply(([imageRef, group, awsRegion, envValues, secretArns]) =>
      JSON.stringify([
        {
          name: CONTAINER,
          image: imageRef,
          essential: true,
          portMappings: [{ containerPort: args.containerPort, protocol: "tcp" }],
          environment: env.map(([name], i) => ({ name, value: envValues[i] })),
          secrets: secrets.map(([name], i) => ({ name, valueFrom: secretArns[i] })),
          readonlyRootFilesystem: args.readonlyRootFilesystem,
          mountPoints: args.readonlyRootFilesystem
            ? [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]
            : [],
          linuxParameters: { initProcessEnabled: true },
          healthCheck: {
            command: [
              "CMD-SHELL",
              `wget -q -O /dev/null http://127.0.0.1:${args.containerPort}${args.healthCheckPath} || exit 1`,
            ],
            interval: 15,
            timeout: 5,
            retries: 3,
            startPeriod: 30,
          },
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": group, "awslogs-region": awsRegion, "awslogs-stream-prefix": CONTAINER },
          },
        },
      ]),
    );
}

/** The load balancer's access logs: a private, encrypted bucket the ELB service may write to, expiring old logs. */
function accessLogBucket(
  name: string,
  args: ResolvedAwsApiServiceArgs,
  parent: pulumi.ComponentResource,
  region: pulumi.Output<string>,
  accountId: pulumi.Output<string>,
): { bucket: pulumi.Output<string>; policy: aws.s3.BucketPolicy } {
  const t = args.transform ?? {};
  const opts: pulumi.CustomResourceOptions = { parent };
  const bucket = new aws.s3.Bucket(
    ...transform(
      t.accessLogBucket,
      `${name}-access-logs`,
      { forceDestroy: !args.protect, tags: { ...args.tags } },
      { ...opts },
    ),
  );
  new aws.s3.BucketPublicAccessBlock(
    `${name}-access-logs`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    { ...opts },
  );
  new aws.s3.BucketOwnershipControls(
    `${name}-access-logs`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    { ...opts },
  );
  // ALB access logs support SSE-S3 only (not KMS).
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-access-logs`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
    { ...opts },
  );
  // Versioned, so a log that is overwritten or deleted (by mistake or to hide an access) stays recoverable until it
  // expires like the rest.
  const versioning = new aws.s3.BucketVersioning(
    `${name}-access-logs`,
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    { ...opts },
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-access-logs`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: {},
          expiration: { days: args.accessLogRetentionDays },
          noncurrentVersionExpiration: { noncurrentDays: args.accessLogRetentionDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
      ],
    },
    // After versioning, as the provider documents for the lifecycle of a versioned bucket.
    { ...opts, dependsOn: [versioning] },
  );
  const elbAccount = aws.elb.getServiceAccountOutput({}, { parent }).arn;
  const policy = new aws.s3.BucketPolicy(
    `${name}-access-logs`,
    {
      bucket: bucket.id,
      policy: pulumi.all([bucket.arn, elbAccount, accountId, region]).apply(([arn, elb, account]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ElbWritesAccessLogs",
              Effect: "Allow",
              Principal: { AWS: elb },
              Action: "s3:PutObject",
              Resource: `${arn}/${name}/AWSLogs/${account}/*`,
            },
            {
              Sid: "LogDeliveryWritesAccessLogs",
              Effect: "Allow",
              Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: `${arn}/${name}/AWSLogs/${account}/*`,
            },
            denyInsecureTransport(arn),
          ],
        }),
      ),
    },
    { ...opts },
  );
  return { bucket: bucket.bucket, policy };
}
