import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import { transform } from "../transform";
import type { ResolvedFargateArgs, ServiceContext } from "./aws-args";
import type { ServiceCluster } from "./cluster";
import { CONTAINER } from "./task-definition";

/**
 * Whether the task count is Application Auto Scaling's: a service with room to scale (`maxTasks` > `minTasks`), or
 * one registered for scheduled actions (`scheduledScaling`).
 */
function scaling(args: ResolvedFargateArgs): { autoscaled: boolean; scalable: boolean } {
  const autoscaled = args.maxTasks > args.minTasks;
  return { autoscaled, scalable: autoscaled || args.scheduledScaling };
}

/**
 * The Fargate service: rolling releases with a circuit breaker, in private subnets, behind the target group when it
 * has one (an API; a worker has none).
 */
export function fargateService(
  ctx: ServiceContext<ResolvedFargateArgs> & {
    readonly cluster: ServiceCluster;
    readonly taskDefinitionArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly loadBalancer?: {
      readonly targetGroupArn: pulumi.Output<string>;
      /** The container port the target group forwards to. */
      readonly containerPort: number;
      /** What attaches the target group to the load balancer (ECS refuses a service before that). */
      readonly routed: pulumi.Resource;
    };
    /** What else the tasks need first: their connections' rules, HTTPS out, the migration of the new image. @default [] */
    readonly ready?: readonly pulumi.Resource[];
  },
): aws.ecs.Service {
  const { name, args, parent, scope, tags } = ctx;
  const { scalable } = scaling(args);
  const lb = ctx.loadBalancer;
  return new aws.ecs.Service(
    ...transform(
      args.transform?.service,
      `${name}`,
      {
        name: physicalName(scope, name),
        cluster: ctx.cluster.arn,
        taskDefinition: ctx.taskDefinitionArn,
        desiredCount: args.minTasks,
        // On-demand keeps the plain launch type (switching an existing service to a strategy replaces it).
        ...(args.capacity === "FARGATE"
          ? { launchType: "FARGATE" }
          : { capacityProviderStrategies: [{ capacityProvider: args.capacity, weight: 1 }] }),
        platformVersion: "LATEST",
        networkConfiguration: {
          subnets: args.network.privateSubnetIds,
          securityGroups: [ctx.securityGroupId],
          assignPublicIp: false,
        },
        ...(lb === undefined
          ? {}
          : {
              loadBalancers: [
                { targetGroupArn: lb.targetGroupArn, containerName: CONTAINER, containerPort: lb.containerPort },
              ],
            }),
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        // The load balancer's first checks wait a minute; without one, a container check waits its own startPeriod.
        ...(lb === undefined ? {} : { healthCheckGracePeriodSeconds: 60 }),
        availabilityZoneRebalancing: "ENABLED",
        waitForSteadyState: true,
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        tags,
      },
      // Application Auto Scaling owns the task count after creation (scaling policies, office hours); an update must
      // not reset it to the minimum. A fixed-size service without schedules has no scalable target, and its count
      // follows the config.
      // Tasks start once traffic can reach them (the route to the target group, if any) and they can reach out (their
      // subnets' default routes: the image pull and the secrets go through NAT). A release waits for its migration.
      {
        parent,
        dependsOn: [...(lb === undefined ? [] : [lb.routed]), ...args.network.egressReady, ...(ctx.ready ?? [])],
        ...(scalable ? { ignoreChanges: ["desiredCount"] } : {}),
      },
    ),
  );
}

/** A queue whose backlog per task the service keeps near a target (a worker's; see {@link serviceAutoscaling}). */
export interface QueueScaling {
  /** The SQS queue's name (the `QueueName` dimension of its metrics), not its URL or ARN. */
  readonly queueName: pulumi.Input<string>;
  /** Visible messages per running task to keep the backlog near (e.g. what one task handles in a few minutes). */
  readonly messagesPerTask: number;
}

/**
 * The scalable target (when the count is Application Auto Scaling's) and, for a service with room to scale, target
 * tracking on CPU, on requests per task (behind a load balancer) and on a queue's backlog per task (`queue`). Returns
 * the target's resource id.
 */
export function serviceAutoscaling(
  ctx: ServiceContext<ResolvedFargateArgs> & {
    readonly clusterName: pulumi.Output<string>;
    readonly serviceName: pulumi.Output<string>;
    readonly requests?: {
      /** The `resourceLabel` of request tracking: `<load balancer>/<target group>` ARN suffixes. */
      readonly resourceLabel: pulumi.Output<string>;
      readonly perTarget: number;
    };
    readonly queue?: QueueScaling;
  },
): pulumi.Output<string> | undefined {
  const { name, args, parent } = ctx;
  const { autoscaled, scalable } = scaling(args);
  if (!scalable) return undefined;
  const scalingTarget = new aws.appautoscaling.Target(
    `${name}-scaling`,
    {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${ctx.clusterName}/${ctx.serviceName}`,
      minCapacity: args.minTasks,
      maxCapacity: args.maxTasks,
    },
    // With schedules (office hours) the range is theirs: 0–0 at night, min–max by day. An update or refresh at night
    // must not put it back (the wake action carries the configured range).
    { parent, ...(args.scheduledScaling ? { ignoreChanges: ["minCapacity", "maxCapacity"] } : {}) },
  );
  if (autoscaled) {
    type Metric = Pick<
      aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration,
      "predefinedMetricSpecification" | "customizedMetricSpecification"
    >;
    const tracking = (policy: { id: string; targetValue: number; metric: Metric }) =>
      new aws.appautoscaling.Policy(
        `${name}-${policy.id}`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: scalingTarget.serviceNamespace,
          scalableDimension: scalingTarget.scalableDimension,
          resourceId: scalingTarget.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: policy.targetValue,
            ...policy.metric,
            scaleInCooldown: 300,
            scaleOutCooldown: 60,
          },
        },
        { parent },
      );
    tracking({
      id: "cpu",
      targetValue: args.cpuTargetPercent,
      metric: { predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" } },
    });
    if (ctx.requests !== undefined) {
      tracking({
        id: "requests",
        targetValue: ctx.requests.perTarget,
        metric: {
          predefinedMetricSpecification: {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: ctx.requests.resourceLabel,
          },
        },
      });
    }
    if (ctx.queue !== undefined) {
      tracking({ id: "queue", targetValue: ctx.queue.messagesPerTask, metric: backlogPerTask(ctx, ctx.queue) });
    }
  }
  return scalingTarget.resourceId;
}

/**
 * Backlog per task as metric math, AWS's documented pattern (Application Auto Scaling User Guide, "Create a target
 * tracking scaling policy for Application Auto Scaling using metric math", example "Amazon SQS queue backlog per
 * task"): the queue's visible messages (Sum, 1 minute) divided by the service's running tasks (Container Insights'
 * `RunningTaskCount`, Average). That second metric exists only on a cluster with Container Insights on; without it
 * the expression has no data and the policy never scales (the worker's checks refuse `queue` there).
 */
function backlogPerTask(
  ctx: { readonly clusterName: pulumi.Output<string>; readonly serviceName: pulumi.Output<string> },
  queue: QueueScaling,
): Pick<
  aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration,
  "customizedMetricSpecification"
> {
  return {
    customizedMetricSpecification: {
      metrics: [
        {
          id: "m1",
          label: "Messages waiting in the queue",
          metricStat: {
            metric: {
              namespace: "AWS/SQS",
              metricName: "ApproximateNumberOfMessagesVisible",
              dimensions: [{ name: "QueueName", value: queue.queueName }],
            },
            stat: "Sum",
          },
          returnData: false,
        },
        {
          id: "m2",
          label: "Running tasks of the service",
          metricStat: {
            metric: {
              namespace: "ECS/ContainerInsights",
              metricName: "RunningTaskCount",
              dimensions: [
                { name: "ClusterName", value: ctx.clusterName },
                { name: "ServiceName", value: ctx.serviceName },
              ],
            },
            stat: "Average",
          },
          returnData: false,
        },
        { id: "e1", label: "Backlog per task", expression: "m1 / m2", returnData: true },
      ],
    },
  };
}
