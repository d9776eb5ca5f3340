import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { AwsApiServiceOutputs, SharedLoadBalancer } from "../components/api-service";
import type { AwsNetworkOutputs } from "../components/network";
import type { Settings } from "../infra/environments";

/** The stack output through which staging offers its network, cluster and load balancer to previews. */
export const SHARED_PLATFORM_OUTPUT = "sharedPlatform";

/** The format of {@link SHARED_PLATFORM_OUTPUT}; raise it when a field changes meaning, so old previews fail clearly. */
export const SHARED_PLATFORM_VERSION = 1;

const ids = z.array(z.string().min(1));
const sharedPlatformSchema = z.object({
  version: z.literal(SHARED_PLATFORM_VERSION),
  network: z.object({
    vpcId: z.string().min(1),
    cidr: z.string().min(1),
    azCount: z.union([z.literal(2), z.literal(3)]),
    availabilityZones: ids,
    publicSubnetIds: ids,
    privateSubnetIds: ids,
    privateRouteTableIds: ids,
    natGatewayIds: ids,
    flowLogGroupName: z.string(),
    // Absent in the output of a staging stack deployed before public subnets had IPv6.
    ipv6: z.boolean().optional(),
  }),
  cluster: z.object({
    arn: z.string().min(1),
    name: z.string().min(1),
    capacityProviders: z.array(z.string()),
  }),
  loadBalancer: z.object({
    arn: z.string().min(1),
    arnSuffix: z.string().min(1),
    dnsName: z.string().min(1),
    zoneId: z.string().min(1),
    securityGroupId: z.string().min(1),
    httpsListenerArn: z.string().min(1),
  }),
  /**
   * Present when staging's listener verifies Cloudflare's client certificate: a preview associates its hostname with
   * the same uploaded certificate, or the listener refuses its traffic. Optional, so a staging stack deployed before
   * it existed still serves previews (its listener asks for no certificate).
   */
  originAuthentication: z.object({ certificateId: z.string().min(1) }).optional(),
});

/** What staging shares with previews: its VPC, its ECS cluster and its HTTPS load balancer. Plain values. */
export type SharedPlatform = z.infer<typeof sharedPlatformSchema>;

/** Staging's {@link SHARED_PLATFORM_OUTPUT}: everything a preview needs to run next to staging's API. */
export function sharedPlatformOutput(
  network: AwsNetworkOutputs,
  api: AwsApiServiceOutputs,
  originCertificateId?: pulumi.Output<string>,
): pulumi.Output<SharedPlatform> {
  return pulumi.output({
    version: SHARED_PLATFORM_VERSION,
    network: {
      vpcId: network.vpcId,
      cidr: network.cidr,
      azCount: network.azCount,
      availabilityZones: network.availabilityZones,
      publicSubnetIds: network.publicSubnetIds,
      privateSubnetIds: network.privateSubnetIds,
      privateRouteTableIds: network.privateRouteTableIds,
      natGatewayIds: network.natGatewayIds,
      flowLogGroupName: network.flowLogGroupName,
      ipv6: network.ipv6,
    },
    cluster: { arn: api.clusterArn, name: api.clusterName, capacityProviders: [...api.capacityProviders] },
    loadBalancer: {
      arn: api.loadBalancerArn,
      arnSuffix: api.loadBalancerArnSuffix,
      dnsName: api.loadBalancerDnsName,
      zoneId: api.loadBalancerZoneId,
      securityGroupId: api.loadBalancerSecurityGroupId,
      httpsListenerArn: api.httpsListenerArn,
    },
    ...(originCertificateId === undefined ? {} : { originAuthentication: { certificateId: originCertificateId } }),
  }) as pulumi.Output<SharedPlatform>;
}

/** The staging stack a preview joins: `stagingStack` from its config, or `<organization>/<project>/staging`. */
export function stagingStackName(
  organization: string,
  settings: { readonly project: string; readonly stagingStack?: string | undefined },
): string {
  return settings.stagingStack ?? `${organization}/${settings.project}/staging`;
}

/**
 * Reads staging's {@link SHARED_PLATFORM_OUTPUT} through a `StackReference` (read during preview as well as update),
 * and checks its shape, so that a staging stack deployed from an older version fails here with the fix, not
 * halfway through an update.
 */
export async function readSharedPlatform(
  settings: Pick<Settings, "project" | "stack" | "stackFile" | "stagingStack">,
): Promise<SharedPlatform> {
  const name = stagingStackName(pulumi.getOrganization(), settings);
  const reference = new pulumi.StackReference("staging", { name });
  const details = await reference.getOutputDetails(SHARED_PLATFORM_OUTPUT);
  const value: unknown = details.value ?? details.secretValue;
  const fix =
    `deploy staging with this version first (pulumi up -s staging), or set stagingStack in ${settings.stackFile} ` +
    `to the stack this preview joins`;
  if (value === undefined) {
    throw new pulumi.RunError(
      `${settings.stack} joins the network and load balancer of ${name}, which has no "${SHARED_PLATFORM_OUTPUT}" output: ${fix}`,
    );
  }
  const parsed = sharedPlatformSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${[SHARED_PLATFORM_OUTPUT, ...i.path].join(".")}: ${i.message}`);
    throw new pulumi.RunError(
      `${settings.stack} cannot join ${name}: its "${SHARED_PLATFORM_OUTPUT}" output is not what this version expects ` +
        `(${problems.join("; ")}): ${fix}`,
    );
  }
  return parsed.data;
}

/** Staging's network as the tiers of a preview consume it. */
export function sharedNetwork(platform: SharedPlatform): AwsNetworkOutputs {
  const n = platform.network;
  return {
    vpcId: pulumi.output(n.vpcId),
    cidr: n.cidr,
    azCount: n.azCount,
    availabilityZones: pulumi.output(n.availabilityZones),
    publicSubnetIds: pulumi.output(n.publicSubnetIds),
    privateSubnetIds: pulumi.output(n.privateSubnetIds),
    privateRouteTableIds: pulumi.output(n.privateRouteTableIds),
    natGatewayIds: pulumi.output(n.natGatewayIds),
    flowLogGroupName: pulumi.output(n.flowLogGroupName),
    ipv6: n.ipv6 ?? false,
    publicIpv6Ready: [],
    // Staging's routes exist already: nothing of this stack to wait for.
    egressReady: [],
  };
}

/** Staging's cluster and load balancer, for a preview's API answering `hostnames`. */
export function sharedLoadBalancer(
  platform: SharedPlatform,
  hostnames: readonly string[],
  previewNumber: number,
): SharedLoadBalancer {
  const lb = platform.loadBalancer;
  return {
    clusterArn: platform.cluster.arn,
    clusterName: platform.cluster.name,
    loadBalancerArn: lb.arn,
    loadBalancerArnSuffix: lb.arnSuffix,
    loadBalancerDnsName: lb.dnsName,
    loadBalancerZoneId: lb.zoneId,
    securityGroupId: lb.securityGroupId,
    httpsListenerArn: lb.httpsListenerArn,
    hostnames,
    priority: listenerRulePriority(previewNumber),
  };
}

/**
 * Listener rule priorities run from 1 to 50000 (Elastic Load Balancing API reference, `CreateRule`), unique per
 * listener. A preview's API gets its PR number (PRs above 30000 wrap around); the further HTTP services get their own
 * band: see {@link serviceRulePriority}.
 */
export function listenerRulePriority(previewNumber: number): number {
  return ((previewNumber - 1) % 30000) + 1;
}

/**
 * The priority of the rule of a further HTTP service (`index` 1 to 9, its place among the stack's HTTP services):
 * 49991 to 49999 for staging's and production's own services, and 30001 to 48000 for previews (nine per PR, PRs
 * wrapping every 2000), so no preview's rule takes another's or staging's priority.
 */
export function serviceRulePriority(previewNumber: number | undefined, index: number): number {
  if (previewNumber === undefined) return 49990 + index;
  return 30000 + ((previewNumber - 1) % 2000) * 9 + index;
}
