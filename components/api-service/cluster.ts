import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import { transform } from "../transform";
import { CLUSTER_CAPACITY_PROVIDERS, type ServiceContext } from "./aws-args";

/** The ECS cluster the service runs in. */
export interface ServiceCluster {
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
}

/** The shared load balancer's cluster when the service joins another stack's, else a cluster of its own. */
export function serviceCluster(ctx: ServiceContext): ServiceCluster {
  const shared = ctx.args.sharedLoadBalancer;
  if (shared === undefined) return ownCluster(ctx);
  return { arn: pulumi.output(shared.clusterArn), name: pulumi.output(shared.clusterName) };
}

/** The service's own cluster, offering on-demand and Spot Fargate capacity. */
function ownCluster({ name, args, parent, scope, tags }: ServiceContext): ServiceCluster {
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
