import * as pulumi from "@pulumi/pulumi";
import { EcsReleaseCheck, type EcsTaskRun } from "../ecs-task-run";
import {
  CLUSTER_CAPACITY_PROVIDERS,
  type FargateCapacity,
  type ResolvedAwsApiServiceArgs,
  serviceContext,
} from "./aws-args";
import { serviceCluster } from "./cluster";
import { serviceConnections } from "./connections";
import { fargateService, serviceAutoscaling } from "./fargate-service";
import { frontDoor, serviceTargetGroup } from "./load-balancer";
import { serviceMigration } from "./migration";
import type { OneOffRuntime, OneOffService } from "./one-off";
import { serviceImage } from "./repository";
import { serviceRoles } from "./roles";
import { serviceSecurityGroups } from "./security-groups";
import { serviceLogGroup, serviceTaskDefinition } from "./task-definition";

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
  /** What makes the listener present this service's certificate (further services' rules wait for it). */
  readonly certificateReady: pulumi.Resource;
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
  readonly runtime: OneOffRuntime;
  /** The rules of `connections` (egress and the target's ingress), created before the tasks. */
  readonly connectionRules: readonly pulumi.Resource[];
  /** The run of `migration`, when the service has one: what must wait for the new image's migration depends on it. */
  readonly migration: EcsTaskRun | undefined;
}

/**
 * The AWS variant: the image (and its repository), the logs, the cluster, the roles, the security groups, the target
 * group behind a load balancer (owned or joined), the task definition, the service and its autoscaling. Each part
 * lives in its own file of this folder.
 */
export function createAwsApiService(
  name: string,
  args: ResolvedAwsApiServiceArgs,
  parent: pulumi.ComponentResource,
): AwsApiServiceOutputs {
  const ctx = serviceContext(name, args, parent);
  const { repository, imageRef } = serviceImage(ctx);
  const logGroup = serviceLogGroup(ctx);
  const cluster = serviceCluster(ctx);
  const { executionRole, taskRole } = serviceRoles({
    ...ctx,
    repositoryArn: repository?.arn,
    logGroupArn: logGroup.arn,
  });
  const securityGroups = serviceSecurityGroups(ctx);
  const connectionRules = serviceConnections({ ...ctx, serviceSecurityGroupId: securityGroups.serviceId });
  const targetGroup = serviceTargetGroup(ctx);
  const front = frontDoor({ ...ctx, targetGroup, securityGroupId: securityGroups.loadBalancerId });
  const runtime: OneOffRuntime = {
    region: ctx.region,
    executionRoleArn: executionRole.arn,
    logGroupName: logGroup.name,
    subnetIds: args.network.privateSubnetIds,
    secrets: args.secrets,
    egressReady: [...args.network.egressReady, securityGroups.httpsOut, ...connectionRules],
    scope: ctx.scope,
  };
  const oneOff: OneOffService = {
    clusterArn: cluster.arn,
    imageRef,
    taskRoleArn: taskRole.arn,
    serviceSecurityGroupId: securityGroups.serviceId,
    runtime,
  };
  // The new image's migration runs before its revision is registered and before the service changes: when it fails,
  // nothing of the release happens.
  const migration = serviceMigration({ ...ctx, service: oneOff });
  const gate = migration === undefined ? [] : [migration];
  const taskDefinition = serviceTaskDefinition({
    ...ctx,
    imageRef,
    logGroupName: logGroup.name,
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    dependsOn: gate,
  });
  const service = fargateService({
    ...ctx,
    cluster,
    taskDefinitionArn: taskDefinition.arn,
    securityGroupId: securityGroups.serviceId,
    loadBalancer: { targetGroupArn: targetGroup.arn, containerPort: args.containerPort, routed: front.routed },
    ready: [securityGroups.httpsOut, ...connectionRules, ...gate],
  });
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
    requests: {
      resourceLabel: pulumi.interpolate`${front.loadBalancerArnSuffix}/${targetGroup.arnSuffix}`,
      perTarget: args.requestsPerTarget,
    },
  });

  const shared = args.sharedLoadBalancer !== undefined;
  return {
    url: pulumi.interpolate`https://${front.loadBalancerDnsName}`,
    loadBalancerDnsName: front.loadBalancerDnsName,
    loadBalancerZoneId: front.loadBalancerZoneId,
    loadBalancerArn: front.loadBalancerArn,
    loadBalancerSecurityGroupId: securityGroups.loadBalancerId,
    serviceSecurityGroupId: securityGroups.serviceId,
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
    certificateReady: front.certificateReady,
    loadBalancerArnSuffix: front.loadBalancerArnSuffix,
    targetGroupArnSuffix: targetGroup.arnSuffix,
    sharedLoadBalancer: shared,
    minTasks: args.minTasks,
    scalableTargetResourceId,
    runtime,
    connectionRules,
    migration,
  };
}
