import { Network } from "../components/network";
import { ApiService } from "../components/api-service";
import { ManagedPostgres } from "../components/managed-postgres";
import { WebApp } from "../components/web-app";
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
  const web = webApp(settings, providers);
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
    ...(web === undefined
      ? {}
      : { webProjectId: web.projectId, ...(web.url === undefined ? {} : { webUrl: web.url }) }),
  };
}

/**
 * The frontend: production and staging own a Vercel project each (previews of a project call staging's API); a
 * pr-<n> stack adds variables scoped to the PR's branch to staging's project, so that PR's frontend calls its API.
 */
function webApp(settings: Settings, providers: Extract<Providers, { target: "aws" }>): WebApp | undefined {
  const web = settings.web;
  if (web === undefined || providers.vercel === undefined) return undefined;
  const apiVariable = web.apiUrlVariable === undefined ? {} : { apiUrlVariable: web.apiUrlVariable };
  const opts = { providers: [providers.vercel] };
  if (settings.environment === "preview") {
    if (web.projectId === undefined || web.gitBranch === undefined) return undefined;
    return new WebApp(
      "web",
      {
        project: { existingProjectId: web.projectId },
        apiUrl: { preview: `https://api.${settings.domain}` },
        gitBranch: web.gitBranch,
        domains: [settings.domain],
        ...apiVariable,
      },
      opts,
    );
  }
  const production = settings.environment === "production";
  return new WebApp(
    "web",
    {
      project: {
        create: {
          name: `${settings.appName}-${settings.stack}`,
          ...(web.framework === undefined ? {} : { framework: web.framework }),
          ...(web.gitRepository === undefined ? {} : { gitRepository: web.gitRepository }),
          ...(web.rootDirectory === undefined ? {} : { rootDirectory: web.rootDirectory }),
          ...(web.buildCommand === undefined ? {} : { buildCommand: web.buildCommand }),
          ...(web.installCommand === undefined ? {} : { installCommand: web.installCommand }),
          ...(web.outputDirectory === undefined ? {} : { outputDirectory: web.outputDirectory }),
        },
      },
      apiUrl: {
        production: `https://api.${settings.domain}`,
        // Preview deployments never call the production API.
        preview: production ? `https://api.staging.${settings.domain}` : `https://api.${settings.domain}`,
      },
      domains: production ? [settings.domain, `www.${settings.domain}`] : [settings.domain],
      ...apiVariable,
    },
    opts,
  );
}

/** The AWS variant's outputs are always set in the cloud stack. */
function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("a cloud component is missing its AWS outputs");
  return value;
}
