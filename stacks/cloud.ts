import { Network } from "../components/network";
import { ApiService } from "../components/api-service";
import { ManagedPostgres } from "../components/managed-postgres";
import { RedisCache } from "../components/redis-cache";
import type { Settings } from "../infra/environments";
import type { Providers } from "../infra/providers";
import type { StackOutputs } from "../infra/program";
import { apiImage } from "./api-image";

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

  const database = new ManagedPostgres(
    "database",
    {
      target: "aws",
      network: vpc,
      instanceClass: settings.database.instanceClass,
      engineVersion: settings.database.engineVersion,
      allocatedStorageGb: settings.database.allocatedStorageGb,
      maxAllocatedStorageGb: settings.database.maxAllocatedStorageGb,
      backupRetentionDays: settings.database.backupRetentionDays,
      multiAz: settings.database.multiAz,
      logRetentionDays: settings.logs.retentionDays,
      applyImmediately: settings.environment !== "production",
      protect: settings.protect,
      backup: {
        enabled: settings.database.backupPlan,
        ...(settings.database.crossRegionCopy && settings.database.backupCopyRegion !== undefined
          ? { copyToRegion: settings.database.backupCopyRegion }
          : {}),
      },
      tags: { App: settings.appName },
    },
    { providers: [providers.aws] },
  );

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

  const api = new ApiService(
    "api",
    {
      target: "aws",
      network: vpc,
      image: apiImage(settings),
      certificateArn: settings.api.certificateArn ?? "",
      ...(settings.api.containerPort === undefined ? {} : { containerPort: settings.api.containerPort }),
      ...(settings.api.healthCheckPath === undefined ? {} : { healthCheckPath: settings.api.healthCheckPath }),
      cpu: settings.api.cpu,
      memory: settings.api.memory,
      minTasks: settings.api.minTasks,
      maxTasks: settings.api.maxTasks,
      logRetentionDays: settings.logs.retentionDays,
      accessLogRetentionDays: settings.logs.retentionDays,
      protect: settings.protect,
      environment: { ENV: settings.environment },
      secrets: { DATABASE_URL: required(database.secretArn), REDIS_URL: required(cache.secretArn) },
      secretKmsKeyArns: [required(database.kmsKeyArn)],
      tags: { App: settings.appName },
    },
    { providers: [providers.aws] },
  );
  const apiService = required(api.cloud);
  database.allowFrom("api", apiService.serviceSecurityGroupId);
  cache.allowFrom("api", apiService.serviceSecurityGroupId);

  return {
    environment: settings.environment,
    vpcId: vpc.vpcId,
    vpcCidr: vpc.cidr,
    availabilityZones: vpc.availabilityZones,
    publicSubnetIds: vpc.publicSubnetIds,
    privateSubnetIds: vpc.privateSubnetIds,
    natGatewayIds: vpc.natGatewayIds,
    flowLogGroupName: vpc.flowLogGroupName,
    databaseHost: database.host,
    databasePort: database.port,
    databaseName: database.databaseName,
    databaseUrl: database.url,
    databaseUrlSecretArn: database.secretArn,
    ...(database.backupVaultName ? { databaseBackupVault: database.backupVaultName } : {}),
    cacheHost: cache.host,
    cachePort: cache.port,
    cacheUrl: cache.url,
    cacheUrlSecretArn: cache.secretArn,
    apiUrl: `https://api.${settings.domain}`,
    apiLoadBalancerUrl: api.url,
    apiLoadBalancerDnsName: apiService.loadBalancerDnsName,
    apiImage: api.imageRef,
    apiClusterName: apiService.clusterName,
    apiServiceName: apiService.serviceName,
    apiLogGroup: apiService.logGroupName,
    ...(apiService.repositoryUrl ? { apiRepositoryUrl: apiService.repositoryUrl } : {}),
  };
}

/** The AWS variant's outputs are always set in the cloud stack. */
function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("a cloud component is missing its AWS outputs");
  return value;
}
