import { Network } from "../components/network";
import { ApiService } from "../components/api-service";
import { iamConnectArn, iamUserSql, ManagedPostgres } from "../components/managed-postgres";
import { createHash } from "node:crypto";
import { WebApp } from "../components/web-app";
import { MonitoringBundle, SentryProjects } from "../components/monitoring";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DnsZone, OriginAuthentication, cloudflareOriginPrefixLists } from "../components/dns-zone";
import { namingScope, physicalName } from "../components/naming";
import { RedisCache } from "../components/redis-cache";
import { OfficeHoursSchedule } from "../components/office-hours";
import type { Settings } from "../infra/environments";
import type { Providers } from "../infra/providers";
import type { StackOutputs } from "./outputs";
import { apiImage } from "./api-image";
import { hostnames, proxiedHostnames, stagingApiHost, type Hostnames } from "./hostnames";
import { appSecretStore, cronService, httpService, secretArns, workerService } from "./services";
import {
  readSharedPlatform,
  SHARED_PLATFORM_OUTPUT,
  sharedLoadBalancer,
  sharedNetwork,
  sharedPlatformOutput,
  stagingStackName,
  type SharedPlatform,
} from "./shared-platform";

/**
 * The cloud topology. Staging and production own every tier. A preview (`pr-<n>`) joins staging's network, cluster
 * and load balancer (read through a StackReference) and owns only what it must: its API service, a disposable
 * database and cache, DNS records and certificate, and branch-scoped frontend variables.
 */
export async function cloudStack(
  settings: Settings,
  providers: Extract<Providers, { target: "aws" }>,
): Promise<StackOutputs> {
  const preview = settings.environment === "preview";
  const platform = preview ? await readSharedPlatform(settings) : undefined;
  const vpc =
    platform === undefined
      ? new Network(
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
        ).cloud
      : sharedNetwork(platform);

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
      ...(vpc.logsKmsKeyArn === undefined ? {} : { logsKmsKeyArn: vpc.logsKmsKeyArn }),
      applyImmediately: settings.environment !== "production",
      protect: settings.protect,
      // A preview's data is throwaway: no final snapshot, so `pulumi destroy` leaves nothing behind.
      finalSnapshot: !preview,
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
      ...(vpc.logsKmsKeyArn === undefined ? {} : { logsKmsKeyArn: vpc.logsKmsKeyArn }),
      // One data key per stack: the database's encrypts the cache and its URL secret too.
      kmsKeyArn: database.cloud.kmsKeyArn,
      // Production changes wait for the maintenance window; elsewhere they apply at once.
      applyImmediately: settings.environment !== "production",
      protect: settings.protect,
      tags: { App: settings.appName },
    },
    { providers: [providers.aws] },
  );

  const hosts = hostnames(settings);
  const dns = dnsZone(settings, providers, hosts);
  const proxied = settings.dns?.proxied ?? true;
  // With the API behind Cloudflare's proxy, the load balancer admits only Cloudflare's ranges (a preview's shared
  // load balancer is staging's, with staging's rules).
  const edge =
    platform === undefined && dns !== undefined && proxied && providers.cloudflare !== undefined
      ? cloudflareOriginPrefixLists(physicalName(namingScope(), "api-edge"), {
          aws: providers.aws,
          cloudflare: providers.cloudflare,
        })
      : undefined;

  const origin = originAuthentication(settings, providers, hosts, dns, proxied, platform);

  const sentryConfig = settings.monitoring.sentry;
  const sentryProjects =
    sentryConfig === undefined || providers.sentry === undefined
      ? undefined
      : new SentryProjects("sentry", { ...sentryConfig, prefix: settings.appName }, { providers: [providers.sentry] });

  const api = new ApiService(
    "api",
    {
      target: "aws",
      network: vpc,
      image: apiImage(settings),
      certificateArn: dns?.certificateArn ?? settings.api.certificateArn ?? "",
      // Behind Cloudflare, the load balancer needs no public IPv4 (Cloudflare reaches AAAA-only origins).
      ...(edge === undefined ? {} : { ingressPrefixListIds: [edge.ipv4, edge.ipv6], publicIpv4: false }),
      ...(origin?.trustStoreArn === undefined ? {} : { clientCertificateTrustStoreArn: origin.trustStoreArn }),
      ...(platform === undefined
        ? {}
        : {
            sharedLoadBalancer: sharedLoadBalancer(platform, [hosts.api], settings.previewNumber ?? 0),
            // Spot capacity where staging's cluster offers it (clusters from before this version do not).
            capacity: platform.cluster.capacityProviders.includes("FARGATE_SPOT") ? "FARGATE_SPOT" : "FARGATE",
          }),
      ...(settings.api.containerPort === undefined ? {} : { containerPort: settings.api.containerPort }),
      ...(settings.api.healthCheckPath === undefined ? {} : { healthCheckPath: settings.api.healthCheckPath }),
      ...(settings.api.containerHealthCheck === undefined
        ? {}
        : { containerHealthCheck: settings.api.containerHealthCheck }),
      cpu: settings.api.cpu,
      memory: settings.api.memory,
      containerInsights: settings.monitoring.containerInsights,
      minTasks: settings.api.minTasks,
      maxTasks: settings.api.maxTasks,
      scheduledScaling: settings.officeHours !== "always",
      logRetentionDays: settings.logs.retentionDays,
      ...(vpc.logsKmsKeyArn === undefined ? {} : { logsKmsKeyArn: vpc.logsKmsKeyArn }),
      accessLogRetentionDays: settings.logs.retentionDays,
      protect: settings.protect,
      // IAM database authentication: the app may sign a token for its own database user (no password to rotate);
      // DATABASE_URL (the admin) stays for migrations and for apps that do not sign tokens.
      permissions: [{ actions: ["rds-db:connect"], resources: [databaseConnectArn(database)] }],
      environment: {
        ENV: settings.environment,
        DATABASE_IAM_USER: database.cloud.iamAuth.user,
        DATABASE_HOST: database.host,
        DATABASE_PORT: database.port.apply(String),
        DATABASE_NAME: database.databaseName,
        ...(sentryProjects === undefined
          ? {}
          : { SENTRY_DSN: sentryProjects.apiDsn, SENTRY_ENVIRONMENT: settings.environment }),
      },
      secrets: { DATABASE_URL: database.cloud.secretArn, REDIS_URL: cache.cloud.secretArn },
      secretKmsKeyArns: [database.cloud.kmsKeyArn],
      // Both rules of each path exist before the tasks and the migration start (the ingress keeps allowFrom's URN).
      connections: [database.connectionFor("api"), cache.connectionFor("api")],
      ...(settings.api.migration === undefined ? {} : { migration: settings.api.migration }),
      tags: { App: settings.appName },
    },
    { providers: [providers.aws] },
  );
  const apiService = api.cloud;
  dns?.pointApiAt(proxiedHostnames(hosts), apiService.loadBalancerDnsName, proxied, origin?.ready ?? []);
  const serviceContext = {
    settings,
    providers,
    network: vpc,
    hosts,
    database,
    cache,
    api,
    platform,
    certificateArn: dns?.certificateArn ?? settings.api.certificateArn ?? "",
    logsKmsKeyArn: vpc.logsKmsKeyArn,
  };
  const appSecret = appSecretStore(serviceContext);
  // Further HTTP services: each behind a host-header rule of the API's listener, on its cluster.
  const http = settings.services
    .filter((service) => service.kind === "http")
    .map((service, i) => ({
      settings: service,
      component: httpService(serviceContext, service, i + 1, secretArns(serviceContext, service.secrets, appSecret)),
    }));
  const httpServices = Object.fromEntries(http.map((x) => [x.settings.name, x.component]));
  // Workers: no load balancer, on the same cluster.
  const workers = settings.services
    .filter((service) => service.kind === "worker")
    .map((service) => ({
      settings: service,
      component: workerService(serviceContext, service, secretArns(serviceContext, service.secrets, appSecret)),
    }));

  const web = webApp(settings, providers, hosts, sentryProjects?.webDsn);
  createDatabaseIamUser(api, database);

  const monitoring = new MonitoringBundle(
    "monitoring",
    {
      production: settings.environment === "production",
      emails: settings.alerts.emails,
      ...(settings.alerts.slack === undefined ? {} : { slack: settings.alerts.slack }),
      watch: {
        api,
        services: httpServices,
        workers: Object.fromEntries(workers.map((w) => [w.settings.name, w.component.cloud])),
        database,
        cache,
      },
      // Uptime needs public names, which the DNS zone provides. The preset decides the rest: a preview pages nobody
      // (alarms to the notify topic and its budget, no uptime checks or dashboard), staging's small size skips them.
      ...(dns === undefined || !settings.monitoring.uptimeChecks
        ? {}
        : {
            uptime: {
              apiHealthUrl: `https://${hosts.api}${settings.api.healthCheckPath ?? "/health"}`,
              serviceHealthUrls: Object.fromEntries(
                settings.services.flatMap((service) =>
                  service.kind === "http"
                    ? [[service.name, `https://${hosts.services[service.name]}${service.healthCheckPath}`]]
                    : [],
                ),
              ),
              ...(servesWeb(settings) ? { webUrl: `https://${hosts.web[0]}` } : {}),
            },
            usEast1: providers.awsUsEast1,
          }),
      dashboard: settings.monitoring.dashboard,
      alarmActionsScheduled: settings.officeHours !== "always",
      // One key for the stack's operational data: the network's logs key also encrypts the alarm topics.
      ...(vpc.logsKmsKeyArn === undefined ? {} : { topicsKmsKeyArn: vpc.logsKmsKeyArn }),
      ...(settings.monitoring.budgetMonthlyUsd > 0 ? { monthlyBudgetUsd: settings.monitoring.budgetMonthlyUsd } : {}),
      thresholds: {
        ...(settings.monitoring.latencyP50Ms === undefined ? {} : { latencyP50Ms: settings.monitoring.latencyP50Ms }),
        ...(settings.monitoring.latencyP99Ms === undefined ? {} : { latencyP99Ms: settings.monitoring.latencyP99Ms }),
        ...(settings.monitoring.errorRatePercent === undefined
          ? {}
          : { errorRatePercent: settings.monitoring.errorRatePercent }),
      },
      tags: { App: settings.appName },
    },
    { providers: [providers.aws] },
  );

  // Scheduled jobs: their failure alarm notifies (a failed nightly job waits for working hours).
  const crons = settings.services
    .filter((service) => service.kind === "cron")
    .map((service) => ({
      settings: service,
      component: cronService(
        serviceContext,
        service,
        secretArns(serviceContext, service.secrets, appSecret),
        monitoring.notifyTopicArn,
      ),
    }));

  const officeHours = settings.officeHours;
  const sleep =
    officeHours === "always"
      ? undefined
      : // Out of office hours: no task, the database and the NAT instance stopped, the alarms silent. A preview's
        // NAT is staging's, which follows staging's hours.
        new OfficeHoursSchedule(
          "office-hours",
          {
            hours: officeHours,
            services: [
              {
                name: "api",
                scalableTargetResourceId: scalableTargetOf(apiService),
                minTasks: settings.api.minTasks,
                maxTasks: settings.api.maxTasks,
              },
              ...[...http, ...workers].map((service) => ({
                name: service.settings.name,
                scalableTargetResourceId: scalableTargetOf(service.component.cloud),
                minTasks: service.settings.minTasks,
                maxTasks: service.settings.maxTasks,
              })),
            ],
            databases: [
              {
                name: "database",
                identifier: database.cloud.instanceIdentifier,
                arn: database.cloud.instanceArn,
              },
            ],
            instances: vpc.natInstance === undefined ? [] : [{ name: "nat", ...vpc.natInstance }],
            alarms: {
              names: [...monitoring.regionalAlarms.names, ...crons.map((c) => c.component.cloud.alarmName)],
              arns: [...monitoring.regionalAlarms.arns, ...crons.map((c) => c.component.cloud.alarmArn)],
            },
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
    ...(vpc.natInstance === undefined ? {} : { natInstanceId: vpc.natInstance.id }),
    flowLogGroupName: vpc.flowLogGroupName,
    databaseHost: database.host,
    databaseInstanceId: database.cloud.instanceIdentifier,
    databasePort: database.port,
    databaseName: database.databaseName,
    databaseUrl: database.url,
    databaseUrlSecretArn: database.cloud.secretArn,
    ...(database.cloud.backupVaultName ? { databaseBackupVault: database.cloud.backupVaultName } : {}),
    cacheHost: cache.host,
    cachePort: cache.port,
    cacheUrl: cache.url,
    cacheUrlSecretArn: cache.cloud.secretArn,
    apiUrl: `https://${hosts.api}`,
    apiLoadBalancerUrl: api.url,
    apiLoadBalancerDnsName: apiService.loadBalancerDnsName,
    apiImage: api.imageRef,
    apiClusterName: apiService.clusterName,
    apiServiceName: apiService.serviceName,
    apiLogGroup: apiService.logGroupName,
    ...(settings.services.length === 0
      ? {}
      : {
          services: Object.fromEntries([
            ...http.map(({ settings: service, component }) => [
              service.name,
              {
                kind: "http",
                url: `https://${hosts.services[service.name]}`,
                serviceName: component.cloud.serviceName,
                logGroup: component.cloud.logGroupName,
                image: component.imageRef,
              },
            ]),
            ...workers.map(({ settings: service, component }) => [
              service.name,
              {
                kind: "worker",
                serviceName: component.cloud.serviceName,
                logGroup: component.cloud.logGroupName,
                image: component.imageRef,
              },
            ]),
            ...crons.map(({ settings: service, component }) => [
              service.name,
              {
                kind: "cron",
                schedule: service.schedule,
                stateMachineArn: component.cloud.stateMachineArn,
                logGroup: component.cloud.logGroupName,
                runCommand: component.runCommand,
                image: component.imageRef,
              },
            ]),
          ]),
        }),
    ...(apiService.repositoryUrl ? { apiRepositoryUrl: apiService.repositoryUrl } : {}),
    // Previews read this from staging; they add nothing of their own to it.
    ...(settings.environment === "staging"
      ? { [SHARED_PLATFORM_OUTPUT]: sharedPlatformOutput(vpc, apiService, origin?.certificateId) }
      : {}),
    ...(platform === undefined ? {} : { stagingStack: stagingStackName(pulumi.getOrganization(), settings) }),
    ...(sleep === undefined ? {} : { officeHoursScheduleGroup: sleep.groupName }),
    alarmPageTopicArn: monitoring.pageTopicArn,
    alarmNotifyTopicArn: monitoring.notifyTopicArn,
    ...(monitoring.dashboardName === undefined
      ? {}
      : {
          dashboardName: monitoring.dashboardName,
          dashboardUrl: pulumi.interpolate`https://${settings.awsRegion}.console.aws.amazon.com/cloudwatch/home?region=${settings.awsRegion}#dashboards:name=${monitoring.dashboardName}`,
        }),
    ...(dns === undefined
      ? {}
      : {
          dnsZoneId: dns.zoneId,
          ...(dns.nameServers === undefined ? {} : { dnsNameServers: dns.nameServers }),
          ...(dns.dsRecord === undefined ? {} : { dnsDsRecord: dns.dsRecord }),
        }),
    ...(web === undefined
      ? {}
      : { webProjectId: web.projectId, ...(web.url === undefined ? {} : { webUrl: web.url }) }),
  };
}

/**
 * The frontend: production and staging own a Vercel project each (previews of a project call staging's API); a
 * pr-<n> stack adds variables scoped to the PR's branch to staging's project, so that PR's frontend calls its API.
 */
function webApp(
  settings: Settings,
  providers: Extract<Providers, { target: "aws" }>,
  hosts: Hostnames,
  sentryDsn: pulumi.Output<string> | undefined,
): WebApp | undefined {
  const web = settings.web;
  const sentry = sentryDsn === undefined ? {} : { sentryDsn };
  if (web === undefined || providers.vercel === undefined) return undefined;
  const apiVariable = web.apiUrlVariable === undefined ? {} : { apiUrlVariable: web.apiUrlVariable };
  const opts = { providers: [providers.vercel] };
  if (settings.environment === "preview") {
    if (web.projectId === undefined || web.gitBranch === undefined) return undefined;
    return new WebApp(
      "web",
      {
        project: { existingProjectId: web.projectId },
        apiUrl: { preview: `https://${hosts.api}` },
        gitBranch: web.gitBranch,
        domains: hosts.web,
        ...apiVariable,
        ...sentry,
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
        production: `https://${hosts.api}`,
        // Preview deployments never call the production API.
        preview: production ? `https://${stagingApiHost(settings.domain)}` : `https://${hosts.api}`,
      },
      domains: hosts.web,
      ...apiVariable,
      ...sentry,
    },
    opts,
  );
}

/**
 * Authenticated origin pulls for the API's proxied name: a stack with its own load balancer makes a CA, uploads the
 * client certificate it signs and hands the trust store to the listener (when `authenticatedOriginPulls`: the preset's
 * or `dns.authenticatedOriginPulls`); a preview associates its name with the certificate staging shares, when staging's listener verifies it.
 */
function originAuthentication(
  settings: Settings,
  providers: Extract<Providers, { target: "aws" }>,
  hosts: Hostnames,
  dns: DnsZone | undefined,
  proxied: boolean,
  platform: SharedPlatform | undefined,
): OriginAuthentication | undefined {
  const opts = {
    providers: providers.cloudflare === undefined ? [providers.aws] : [providers.cloudflare, providers.aws],
  };
  const tags = { App: settings.appName };
  if (platform !== undefined) {
    const shared = platform.originAuthentication;
    if (shared === undefined) return undefined;
    if (dns === undefined || !proxied) {
      throw new pulumi.RunError(
        `${settings.stack} joins the load balancer of staging, whose listener admits only Cloudflare's client certificate: ` +
          `its API needs a dns section with proxied: true in ${settings.stackFile} (or staging's dns.authenticatedOriginPulls: false)`,
      );
    }
    return new OriginAuthentication(
      "origin",
      {
        zoneId: dns.zoneId,
        hostnames: proxiedHostnames(hosts),
        certificate: { existingCertificateId: shared.certificateId },
        tags,
      },
      opts,
    );
  }
  if (dns === undefined || !proxied || !settings.authenticatedOriginPulls) return undefined;
  return new OriginAuthentication(
    "origin",
    {
      zoneId: dns.zoneId,
      hostnames: proxiedHostnames(hosts),
      // Staging's previews use its certificate by id: a renewal must not delete it under them.
      certificate: { create: true, keepReplaced: settings.environment === "staging" },
      tags,
    },
    opts,
  );
}

/**
 * The Cloudflare zone: production creates (or adopts) it and manages the zone-wide settings and rulesets; staging
 * and previews adopt it by id and add only their records and certificate.
 */
function dnsZone(
  settings: Settings,
  providers: Extract<Providers, { target: "aws" }>,
  hosts: Hostnames,
): DnsZone | undefined {
  const dns = settings.dns;
  if (dns === undefined || providers.cloudflare === undefined) return undefined;
  const production = settings.environment === "production";
  return new DnsZone(
    "dns",
    {
      zone:
        dns.accountId !== undefined
          ? { create: { name: hosts.apex, accountId: dns.accountId } }
          : { existingZoneId: dns.zoneId ?? "" },
      manageZone: production,
      apexDomain: hosts.apex,
      apiHostnames: proxiedHostnames(hosts),
      // The zone owner's rate limits cover the names of each of its HTTP services, in every stack of the zone.
      rateLimitedHostLabels: [
        "api",
        ...settings.services.flatMap((service) => (service.kind === "http" ? [service.host] : [])),
      ],
      ...(servesWeb(settings) ? { webHostnames: hosts.web } : {}),
      hstsPreload: production,
      authenticatedOriginPulls: settings.authenticatedOriginPulls,
      plan: dns.plan ?? "free",
      ...(dns.rateLimits === undefined ? {} : { rateLimits: dns.rateLimits }),
      protect: settings.protect,
    },
    { providers: [providers.cloudflare, providers.aws] },
  );
}

/** Whether this stack puts a frontend on Vercel (a preview only with staging's project and the PR's branch). */
function servesWeb(settings: Settings): boolean {
  const web = settings.web;
  if (web === undefined) return false;
  return settings.environment !== "preview" || (web.projectId !== undefined && web.gitBranch !== undefined);
}

/** A PostgreSQL client image (the official image, from ECR Public: no Docker Hub rate limit, no credentials). */
export const POSTGRES_CLIENT_IMAGE = "public.ecr.aws/docker/library/postgres:17-alpine";

/** `rds-db:connect` for the app's IAM user on this stack's database. */
function databaseConnectArn(database: ManagedPostgres<"aws">): pulumi.Output<string> {
  const iam = database.cloud.iamAuth;
  const identity = aws.getCallerIdentityOutput({}, { parent: database });
  const region = aws.getRegionOutput({}, { parent: database });
  return pulumi
    .all([region.region, identity.accountId, iam.resourceId])
    .apply(([r, account, id]) => iamConnectArn(r, account, id, iam.user));
}

/**
 * Creates the app's IAM database user on `pulumi up`, once per database (and again if the grants change): a one-off
 * task of the API with a PostgreSQL client, the admin URL and the API's network path to the database (a one-off task
 * waits for the service's `connections` rules).
 */
function createDatabaseIamUser(api: ApiService<"aws">, database: ManagedPostgres<"aws">): void {
  const iam = database.cloud.iamAuth;
  const sql = pulumi
    .all([database.databaseName, iam.adminUsername])
    .apply(([name, admin]) => iamUserSql(name, admin, iam.user));
  api.runTask("database-iam-user", {
    image: POSTGRES_CLIENT_IMAGE,
    command: ["sh", "-c", 'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "$GRANTS"'],
    environment: { GRANTS: sql },
    secrets: ["DATABASE_URL"],
    trigger: pulumi
      .all([sql, iam.resourceId])
      .apply(([text, id]) => createHash("sha256").update(`${id}\n${text}`).digest("hex")),
    timeoutSeconds: 300,
  });
}

/** The API's scalable target, which `scheduledScaling` (set with office hours) guarantees. */
function scalableTargetOf(api: { readonly scalableTargetResourceId: pulumi.Output<string> | undefined }) {
  if (api.scalableTargetResourceId === undefined) {
    throw new pulumi.RunError("office hours need the API's scalable target: ApiService's scheduledScaling is off");
  }
  return api.scalableTargetResourceId;
}
