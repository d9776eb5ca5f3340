import { Network } from "../components/network";
import { RedisCache } from "../components/redis-cache";
import type { Settings } from "../infra/environments";
import type { Providers } from "../infra/providers";
import type { StackOutputs } from "../infra/program";

/** The cloud topology (staging, production, previews). Tiers are added here as they are built. */
export function cloudStack(settings: Settings, providers: Extract<Providers, { target: "aws" }>): StackOutputs {
  const network = new Network(
    "network",
    {
      target: "aws",
      cidr: settings.network.cidr,
      azCount: settings.network.azCount,
      natGateways: settings.network.natGateways,
      flowLogRetentionDays: settings.network.flowLogRetentionDays,
      ...(settings.network.availabilityZones ? { availabilityZones: settings.network.availabilityZones } : {}),
      tags: { App: settings.appName },
    },
    { providers: [providers.aws] },
  );
  const vpc = network.requireCloud("the cloud stack");

  const cache = new RedisCache(
    "cache",
    {
      target: "aws",
      network: vpc,
      nodeType: settings.cache.nodeType,
      replicas: settings.cache.replicas,
      snapshotRetentionDays: settings.cache.snapshotRetentionDays,
      logRetentionDays: settings.logs.retentionDays,
      // Production changes wait for the maintenance window; elsewhere they apply at once.
      applyImmediately: settings.environment !== "production",
      protect: settings.protect,
      tags: { App: settings.appName },
    },
    { providers: [providers.aws] },
  );

  return {
    environment: settings.environment,
    vpcId: vpc.vpcId,
    vpcCidr: vpc.cidr,
    availabilityZones: vpc.availabilityZones,
    publicSubnetIds: vpc.publicSubnetIds,
    privateSubnetIds: vpc.privateSubnetIds,
    natGatewayIds: vpc.natGatewayIds,
    flowLogGroupName: vpc.flowLogGroupName,
    cacheHost: cache.host,
    cachePort: cache.port,
    cacheUrl: cache.url,
    cacheUrlSecretArn: cache.secretArn,
  };
}
