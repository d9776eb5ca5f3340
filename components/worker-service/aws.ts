import { serviceConnections } from "../api-service/connections";
import * as pulumi from "@pulumi/pulumi";
import { serviceContext } from "../api-service/aws-args";
import { fargateService, serviceAutoscaling } from "../api-service/fargate-service";
import { serviceImage } from "../api-service/repository";
import { serviceRoles } from "../api-service/roles";
import { serviceLogGroup, serviceTaskDefinition } from "../api-service/task-definition";
import { EcsReleaseCheck } from "../ecs-task-run";
import type { ResolvedAwsWorkerServiceArgs } from "./aws-args";
import { workerSecurityGroup } from "./security-group";

export interface AwsWorkerServiceOutputs {
  readonly serviceName: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  /** The tasks' security group: add it to what they must reach (a database's ingress), or use `allowTo`. */
  readonly serviceSecurityGroupId: pulumi.Output<string>;
  /** The image the tasks run (a digest when built here). */
  readonly imageRef: pulumi.Output<string>;
  /** Absent for a prebuilt image. */
  readonly repositoryUrl: pulumi.Output<string> | undefined;
  /** The fewest tasks the service runs. */
  readonly minTasks: number;
  /** The most tasks the service runs (an office-hours schedule wakes it to `minTasks`–`maxTasks`). */
  readonly maxTasks: number;
  /** Application Auto Scaling's id of the service (`service/<cluster>/<service>`), when it has a scalable target. */
  readonly scalableTargetResourceId: pulumi.Output<string> | undefined;
  /** What a one-off task of the worker (`WorkerService.runTask`) runs with: its roles, logs and network. */
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

/**
 * The AWS variant: the image (and its repository), the logs, the roles, the security group, the task definition, the
 * service in the given cluster, its release check and its autoscaling. The parts are ApiService's
 * (components/api-service), without the load balancer.
 */
export function createAwsWorkerService(
  name: string,
  args: ResolvedAwsWorkerServiceArgs,
  parent: pulumi.ComponentResource,
): AwsWorkerServiceOutputs {
  const ctx = serviceContext(name, args, parent);
  const { repository, imageRef } = serviceImage(ctx);
  const logGroup = serviceLogGroup(ctx);
  const { executionRole, taskRole } = serviceRoles({
    ...ctx,
    repositoryArn: repository?.arn,
    logGroupArn: logGroup.arn,
  });
  const { id: securityGroupId, httpsOut } = workerSecurityGroup(ctx);
  // Both rules of each path to the database and the cache, before the tasks start.
  const connectionRules = serviceConnections({ ...ctx, serviceSecurityGroupId: securityGroupId });
  const ready = [httpsOut, ...connectionRules];
  const taskDefinition = serviceTaskDefinition({
    ...ctx,
    imageRef,
    logGroupName: logGroup.name,
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
  });
  const cluster = { arn: pulumi.output(args.cluster.arn), name: pulumi.output(args.cluster.name) };
  const service = fargateService({ ...ctx, cluster, taskDefinitionArn: taskDefinition.arn, securityGroupId, ready });
  // After each release the service must run the revision it was given: a circuit-breaker rollback would otherwise
  // end the `pulumi up` in success (components/ecs-task-run/release-check.ts).
  new EcsReleaseCheck(
    `${name}-release`,
    { region: ctx.region, cluster: cluster.arn, service: service.name, taskDefinition: taskDefinition.arn },
    { parent, dependsOn: [service] },
  );
  const scalableTargetResourceId = serviceAutoscaling({
    ...ctx,
    clusterName: cluster.name,
    serviceName: service.name,
    ...(args.queue === undefined ? {} : { queue: args.queue }),
  });
  return {
    serviceName: service.name,
    clusterName: cluster.name,
    clusterArn: cluster.arn,
    logGroupName: logGroup.name,
    taskRoleArn: taskRole.arn,
    serviceSecurityGroupId: securityGroupId,
    imageRef,
    repositoryUrl: repository?.repositoryUrl,
    minTasks: args.minTasks,
    maxTasks: args.maxTasks,
    scalableTargetResourceId,
    runtime: {
      region: ctx.region,
      executionRoleArn: executionRole.arn,
      logGroupName: logGroup.name,
      subnetIds: args.network.privateSubnetIds,
      secrets: args.secrets,
      egressReady: [...args.network.egressReady, ...ready],
      scope: ctx.scope,
    },
  };
}
