import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import { transform } from "../transform";
import type { ResolvedAwsApiServiceArgs, ServiceContext } from "./aws-args";
import type { ServiceCluster } from "./cluster";
import { CONTAINER } from "./task-definition";

/**
 * Whether the task count is Application Auto Scaling's: a service with room to scale (`maxTasks` > `minTasks`), or
 * one registered for scheduled actions (`scheduledScaling`).
 */
function scaling(args: ResolvedAwsApiServiceArgs): { autoscaled: boolean; scalable: boolean } {
  const autoscaled = args.maxTasks > args.minTasks;
  return { autoscaled, scalable: autoscaled || args.scheduledScaling };
}

/** The Fargate service: rolling releases with a circuit breaker, in private subnets, behind the target group. */
export function fargateService(
  ctx: ServiceContext & {
    readonly cluster: ServiceCluster;
    readonly taskDefinitionArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly targetGroupArn: pulumi.Output<string>;
    /** What attaches the target group to the load balancer (ECS refuses a service before that). */
    readonly routed: pulumi.Resource;
    /** What else the tasks need first: their connections' rules, HTTPS out, the migration of the new image. */
    readonly ready: readonly pulumi.Resource[];
  },
): aws.ecs.Service {
  const { name, args, parent, scope, tags } = ctx;
  const { scalable } = scaling(args);
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
        loadBalancers: [
          { targetGroupArn: ctx.targetGroupArn, containerName: CONTAINER, containerPort: args.containerPort },
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
      // subnets' default routes: the image pull and the secrets go through NAT). A release waits for its migration.
      {
        parent,
        dependsOn: [ctx.routed, ...args.network.egressReady, ...ctx.ready],
        ...(scalable ? { ignoreChanges: ["desiredCount"] } : {}),
      },
    ),
  );
}

/**
 * The scalable target (when the count is Application Auto Scaling's) and, for a service with room to scale, target
 * tracking on CPU and on requests per task. Returns the target's resource id.
 */
export function serviceAutoscaling(
  ctx: ServiceContext & {
    readonly clusterName: pulumi.Output<string>;
    readonly serviceName: pulumi.Output<string>;
    /** The `resourceLabel` of request tracking: `<load balancer>/<target group>` ARN suffixes. */
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    readonly targetGroupArnSuffix: pulumi.Output<string>;
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
    const tracking = (policy: {
      id: string;
      metric: string;
      targetValue: number;
      resourceLabel?: pulumi.Input<string>;
    }) =>
      new aws.appautoscaling.Policy(
        `${name}-${policy.id}`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: scalingTarget.serviceNamespace,
          scalableDimension: scalingTarget.scalableDimension,
          resourceId: scalingTarget.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: policy.targetValue,
            predefinedMetricSpecification: {
              predefinedMetricType: policy.metric,
              ...(policy.resourceLabel === undefined ? {} : { resourceLabel: policy.resourceLabel }),
            },
            scaleInCooldown: 300,
            scaleOutCooldown: 60,
          },
        },
        { parent },
      );
    tracking({ id: "cpu", metric: "ECSServiceAverageCPUUtilization", targetValue: args.cpuTargetPercent });
    tracking({
      id: "requests",
      metric: "ALBRequestCountPerTarget",
      targetValue: args.requestsPerTarget,
      resourceLabel: pulumi.interpolate`${ctx.loadBalancerArnSuffix}/${ctx.targetGroupArnSuffix}`,
    });
  }
  return scalingTarget.resourceId;
}
