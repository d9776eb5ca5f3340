import type { OfficeHours } from "../components/office-hours/hours";
import { DISASTER_RECOVERY_REGIONS } from "../components/aws-facts";
import {
  ConfigError,
  type ConfigCheck,
  type Environment,
  type NatMode,
  type RawStackConfig,
  type StackConfig,
} from "./config";
import { checkResolved } from "./config-rules";
import { parseConfig } from "./parse-config";
import { hostOf, resolvedServiceProblems } from "./service-rules";

/** The defaults that differ between environments. A stack file overrides a value only where it sets the key. */
export interface Preset {
  /** Whether the stack runs on the engineer's Docker (`dev`) or in AWS. */
  readonly target: "docker" | "aws";
  /** Pulumi `protect` and provider-side deletion protection on stateful resources (databases, caches, vaults, zones). */
  readonly protect: boolean;
  readonly network: {
    readonly cidr: string;
    readonly azCount: 2 | 3;
    readonly natGateways: NatMode;
    readonly flowLogRetentionDays: number;
  };
  readonly database: {
    readonly instanceClass: string;
    readonly engineVersion: string;
    readonly allocatedStorageGb: number;
    /** Storage autoscaling ceiling. */
    readonly maxAllocatedStorageGb: number;
    /** Automated backups / point-in-time recovery window (RDS caps it at 35 days). */
    readonly backupRetentionDays: number;
    readonly multiAz: boolean;
    /** AWS Backup plan (daily 7 d / weekly 4 w / monthly 12 m) on top of RDS's own backups. */
    readonly backupPlan: boolean;
    /** Copy every recovery point to a second region (the region is `database.backupCopyRegion` or the default pair). */
    readonly crossRegionCopy: boolean;
  };
  readonly cache: {
    readonly nodeType: string;
    readonly replicas: number;
    readonly snapshotRetentionDays: number;
  };
  readonly api: {
    readonly cpu: number;
    readonly memory: number;
    readonly minTasks: number;
    readonly maxTasks: number;
  };
  /** Retention of application and service logs. */
  readonly logs: { readonly retentionDays: number };
  /**
   * When the stack is awake: out of these hours its services run no task, its database and NAT instance are stopped
   * and its alarms are silent (components/office-hours). `always` for production and dev.
   */
  readonly officeHours: OfficeHours | "always";
  /**
   * Authenticated origin pulls verified by mutual TLS on the load balancer (`dns.authenticatedOriginPulls`): on in
   * production; off in the small staging, whose $4 a month trust store would take it over its $50 budget, and which
   * still admits Cloudflare's ranges only (docs/security.md lists the exception). Previews follow staging.
   */
  readonly authenticatedOriginPulls: boolean;
  readonly monitoring: {
    /** Monthly cost budget of the stack's tagged resources (USD): the cost estimate plus a margin. */
    readonly budgetMonthlyUsd: number;
    /**
     * What the budget grows by for each service beside the API (`services`), unless the stack file sets
     * `monitoring.budgetMonthlyUsd`: about 1.5 times an example service's estimate at the preset's sizes.
     */
    readonly budgetPerServiceUsd: number;
    /** Route 53 health checks of the public URLs, from us-east-1 (~$2.75 a month each). */
    readonly uptimeChecks: boolean;
    /** A CloudWatch dashboard ($3 a month beyond the account's first three). */
    readonly dashboard: boolean;
    /** ECS Container Insights on the cluster (~$6 a month of custom metrics; no alarm needs it). */
    readonly containerInsights: boolean;
  };
}

/**
 * How big a stack is: `small` (the default) serves a small SaaS within about $150 a month in production; `large` is
 * the previous generation of presets (m7g database and cache, three zones, a NAT gateway per zone, about $790).
 * `npm run synth -- <stack> --format cost` prices either; docs/cost.md compares them.
 */
export const SIZES = ["small", "large"] as const;
export type Size = (typeof SIZES)[number];

/**
 * When staging and previews are awake by default: weekdays 08:00 to 19:00 UTC (33 % of the week). A stack file sets
 * its own hours and time zone under `officeHours`, and docs/runbooks/wake-a-sleeping-stack.md wakes one on demand.
 */
const OFFICE_HOURS: OfficeHours = { days: "MON-FRI", from: 8, to: 19, timezone: "UTC" };

/**
 * The `small` presets (the default size). Production is the safest (Multi-AZ database, a cache replica, two tasks in
 * two zones, backups 7/28/365 copied to a second region, every alarm, protected) at about $135 a month; staging
 * mirrors its shape at single-AZ sizes; preview is the cheapest and disposable; dev runs locally, where only the
 * container-relevant values matter. Figures: `npm run synth -- <stack> --format cost` (docs/cost.md).
 */
export const PRESETS = {
  dev: {
    target: "docker",
    protect: false,
    network: { cidr: "10.10.0.0/16", azCount: 2, natGateways: "none", flowLogRetentionDays: 7 },
    database: {
      instanceClass: "db.t4g.micro",
      engineVersion: "17",
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 20,
      backupRetentionDays: 1,
      multiAz: false,
      backupPlan: false,
      crossRegionCopy: false,
    },
    cache: { nodeType: "cache.t4g.micro", replicas: 0, snapshotRetentionDays: 0 },
    api: { cpu: 256, memory: 512, minTasks: 1, maxTasks: 1 },
    logs: { retentionDays: 7 },
    officeHours: "always",
    authenticatedOriginPulls: false,
    monitoring: {
      budgetPerServiceUsd: 0,
      budgetMonthlyUsd: 0,
      uptimeChecks: false,
      dashboard: false,
      containerInsights: false,
    },
  },
  preview: {
    target: "aws",
    protect: false,
    network: { cidr: "10.30.0.0/16", azCount: 2, natGateways: "none", flowLogRetentionDays: 3 },
    database: {
      instanceClass: "db.t4g.micro",
      engineVersion: "17",
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 20,
      backupRetentionDays: 1,
      multiAz: false,
      backupPlan: false,
      crossRegionCopy: false,
    },
    cache: { nodeType: "cache.t4g.micro", replicas: 0, snapshotRetentionDays: 0 },
    api: { cpu: 256, memory: 512, minTasks: 1, maxTasks: 1 },
    logs: { retentionDays: 3 },
    officeHours: OFFICE_HOURS,
    authenticatedOriginPulls: false,
    // About $0.79 a day asleep out of office hours: the budget is a month of it with a margin, and a guard against a
    // forgotten preview.
    monitoring: {
      budgetPerServiceUsd: 4,
      budgetMonthlyUsd: 30,
      uptimeChecks: false,
      dashboard: false,
      containerInsights: false,
    },
  },
  staging: {
    target: "aws",
    protect: false,
    network: { cidr: "10.20.0.0/16", azCount: 2, natGateways: "instance", flowLogRetentionDays: 30 },
    database: {
      instanceClass: "db.t4g.micro",
      engineVersion: "17",
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 100,
      backupRetentionDays: 7,
      multiAz: false,
      // RDS's own 7 days of point-in-time recovery; staging's data is rebuilt, not kept for a year.
      backupPlan: false,
      crossRegionCopy: false,
    },
    cache: { nodeType: "cache.t4g.micro", replicas: 0, snapshotRetentionDays: 1 },
    api: { cpu: 256, memory: 512, minTasks: 1, maxTasks: 2 },
    logs: { retentionDays: 30 },
    officeHours: OFFICE_HOURS,
    authenticatedOriginPulls: false,
    monitoring: {
      budgetPerServiceUsd: 6,
      budgetMonthlyUsd: 60,
      uptimeChecks: false,
      dashboard: false,
      containerInsights: false,
    },
  },
  production: {
    target: "aws",
    protect: true,
    network: { cidr: "10.0.0.0/16", azCount: 2, natGateways: "instance", flowLogRetentionDays: 90 },
    database: {
      instanceClass: "db.t4g.micro",
      engineVersion: "17",
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 100,
      backupRetentionDays: 14,
      multiAz: true,
      backupPlan: true,
      crossRegionCopy: true,
    },
    cache: { nodeType: "cache.t4g.micro", replicas: 1, snapshotRetentionDays: 7 },
    api: { cpu: 256, memory: 512, minTasks: 2, maxTasks: 4 },
    logs: { retentionDays: 90 },
    officeHours: "always",
    authenticatedOriginPulls: true,
    monitoring: {
      budgetPerServiceUsd: 20,
      budgetMonthlyUsd: 175,
      uptimeChecks: true,
      dashboard: true,
      containerInsights: false,
    },
  },
} as const satisfies Record<Environment, Preset>;

/** The `large` size of the long-lived stacks: the presets before the small defaults, one setting away (`size`). */
export const LARGE_PRESETS = {
  staging: {
    target: "aws",
    protect: false,
    network: { cidr: "10.20.0.0/16", azCount: 2, natGateways: "single", flowLogRetentionDays: 30 },
    database: {
      instanceClass: "db.t4g.small",
      engineVersion: "17",
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 100,
      backupRetentionDays: 7,
      multiAz: false,
      backupPlan: true,
      crossRegionCopy: false,
    },
    cache: { nodeType: "cache.t4g.small", replicas: 0, snapshotRetentionDays: 1 },
    api: { cpu: 512, memory: 1024, minTasks: 1, maxTasks: 3 },
    logs: { retentionDays: 30 },
    officeHours: "always",
    authenticatedOriginPulls: true,
    monitoring: {
      budgetPerServiceUsd: 12,
      budgetMonthlyUsd: 220,
      uptimeChecks: true,
      dashboard: true,
      containerInsights: true,
    },
  },
  production: {
    target: "aws",
    protect: true,
    network: { cidr: "10.0.0.0/16", azCount: 3, natGateways: "perAz", flowLogRetentionDays: 365 },
    database: {
      instanceClass: "db.m7g.large",
      engineVersion: "17",
      allocatedStorageGb: 100,
      maxAllocatedStorageGb: 500,
      backupRetentionDays: 14,
      multiAz: true,
      backupPlan: true,
      crossRegionCopy: true,
    },
    cache: { nodeType: "cache.m7g.large", replicas: 1, snapshotRetentionDays: 7 },
    api: { cpu: 1024, memory: 2048, minTasks: 2, maxTasks: 10 },
    logs: { retentionDays: 90 },
    officeHours: "always",
    authenticatedOriginPulls: true,
    monitoring: {
      budgetPerServiceUsd: 60,
      budgetMonthlyUsd: 1000,
      uptimeChecks: true,
      dashboard: true,
      containerInsights: true,
    },
  },
} as const satisfies Record<"staging" | "production", Preset>;

/** The preset of an environment at a size (dev and previews have one size). */
export function presetOf(environment: Environment, size: Size | undefined): Preset {
  if (size === "large" && (environment === "staging" || environment === "production")) {
    return LARGE_PRESETS[environment];
  }
  return PRESETS[environment];
}

/** Where the API's image comes from, and how it is reached (set in the stack file, not by presets). */
export interface ApiSource {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile?: string; readonly target?: string };
  readonly imageTag?: string;
  readonly containerPort?: number;
  readonly healthCheckPath?: string;
  /** Opt-in container health check (Docker's form); the load balancer's HTTP check is the default. */
  readonly containerHealthCheck?: readonly string[];
  /** Runs before each release of a new image (cloud stacks; dev ignores it): see ApiService's `migration`. */
  readonly migration?: { readonly command: readonly string[]; readonly timeoutSeconds?: number };
  readonly certificateArn?: string;
}

/** What every kind of service has, with the preset's sizes filled in. */
interface ServiceBase {
  readonly name: string;
  readonly image?: string;
  readonly build?: ApiSource["build"];
  readonly imageTag?: string;
  readonly command?: readonly string[];
  readonly containerHealthCheck?: readonly string[];
  /** Dev only: a folder of the project bind-mounted into the container, for a `command` that reloads on change. */
  readonly mount?: { readonly hostPath: string; readonly containerPath: string };
  readonly cpu: number;
  readonly memory: number;
  /** Plain environment values. */
  readonly environment: Readonly<Record<string, string>>;
  /** Secret environment values by reference: `database.url`, `cache.url` or `appSecrets.<name>`. */
  readonly secrets: Readonly<Record<string, string>>;
}

/** A migration run before a service's release (`services.<name>.migration`). */
export interface MigrationSettings {
  readonly command: readonly string[];
  readonly timeoutSeconds: number;
}

/** An HTTP service: behind the stack's load balancer at `host`. */
export interface HttpServiceSettings extends ServiceBase {
  readonly kind: "http";
  readonly host: string;
  readonly port: number;
  readonly healthCheckPath: string;
  readonly minTasks: number;
  readonly maxTasks: number;
  readonly migration?: MigrationSettings;
}

/** A background worker: no load balancer; scales on CPU, or on a queue's depth. */
export interface WorkerServiceSettings extends ServiceBase {
  readonly kind: "worker";
  readonly minTasks: number;
  readonly maxTasks: number;
  readonly queue?: { readonly name: string; readonly messagesPerTask: number };
}

/** A scheduled job: one task per run of its schedule, with a timeout, retries and an alarm on failure. */
export interface CronServiceSettings extends ServiceBase {
  readonly kind: "cron";
  readonly schedule: string;
  readonly timezone: string;
  readonly timeoutMinutes: number;
  readonly retries: number;
}

export type ServiceSettings = HttpServiceSettings | WorkerServiceSettings | CronServiceSettings;

/** Everything the stacks need: the validated config with every preset value filled in. */
export interface Settings extends Preset {
  readonly project: string;
  readonly stack: string;
  readonly stackFile: string;
  readonly environment: Environment;
  readonly appName: string;
  /**
   * The first part of every physical name (`<namePrefix>-<stack>-…`): `namePrefix` from the stack file, by default
   * `appName`, so two apps in one AWS account never collide. A stack deployed before names followed the app pins the
   * Pulumi project's name here to keep its resources (docs/configuration.md#physical-names).
   */
  readonly namePrefix: string;
  readonly domain: string;
  /** Set for every cloud stack (the config check enforces it); absent for dev. */
  readonly awsRegion?: string;
  /** The only AWS account this stack may deploy to, when set. */
  readonly awsAccountId?: string;
  readonly previewNumber?: number;
  /** A preview's staging stack, when not `<organization>/<project>/staging`. */
  readonly stagingStack?: string;
  readonly alerts: {
    readonly emails: readonly string[];
    /** The Slack channel alarms go to through AWS Chatbot; absent without `alerts.slack`. */
    readonly slack?: { readonly workspaceId: string; readonly channelId: string };
  };
  readonly network: Preset["network"] & { readonly availabilityZones?: readonly string[] };
  readonly database: Preset["database"] & { readonly backupCopyRegion?: string };
  readonly api: Preset["api"] & ApiSource;
  /** The services beside the API, in the stack file's order (docs/services.md). */
  readonly services: readonly ServiceSettings[];
  /** The app's own secret values (`appSecrets`), set with --secret; wrap with `pulumi.secret` before use. */
  readonly appSecrets: Readonly<Record<string, string>>;
  /** The frontend on Vercel; absent when the stack file has no `web` section. */
  readonly web?: StackConfig["web"];
  /** The Cloudflare zone; absent when the stack file has no `dns` section. */
  readonly dns?: StackConfig["dns"];
  readonly monitoring: Preset["monitoring"] & Omit<NonNullable<StackConfig["monitoring"]>, "budgetMonthlyUsd">;
}

/**
 * The config check and the preset in one step: parses the stack's config and fills the preset, reporting every
 * problem of the file (on its own keys, across keys, and against the preset) in one {@link ConfigError}.
 */
export function loadSettings(raw: RawStackConfig): Settings {
  return resolveSettings(parseConfig(raw, presetCheck));
}

/** The rules that span the file and the preset, on the tiers that are valid on their own. */
export const presetCheck: ConfigCheck = (valid, project) => {
  if (valid.environment === undefined) return [];
  const preset: Preset = presetOf(valid.environment, valid.size);
  return checkResolved(
    {
      api: overlay(preset.api, valid.api),
      database: overlay(preset.database, valid.database),
      network: overlay(preset.network, valid.network),
      officeHours: officeHoursOf(preset, valid.officeHours),
      environment: valid.environment,
      cacheReplicas: overlay(preset.cache, valid.cache).replicas,
      ...(valid.api === undefined ? {} : { apiSource: valid.api }),
    },
    project,
  ).concat(
    valid.services === undefined
      ? []
      : resolvedServiceProblems(resolveServices(valid.services, preset), valid, project, {
          fargate: preset.target === "aws",
          // Production never sleeps, whatever a (refused) officeHours key says.
          officeHours: valid.environment === "production" ? "always" : officeHoursOf(preset, valid.officeHours),
        }),
  );
};

/** How long a migration may run by default before the `up` fails. */
export const MIGRATION_TIMEOUT_SECONDS = 600;

/**
 * The services of the stack file with the preset's sizes: an http service or a worker is sized like the API, a cron
 * gets the smallest task; a worker runs one task and may grow to the API's maximum.
 */
export function resolveServices(services: StackConfig["services"], preset: Preset): ServiceSettings[] {
  return Object.entries(services ?? {}).map(([name, s]): ServiceSettings => {
    const base = {
      name,
      ...(s.image === undefined ? {} : { image: s.image }),
      ...(s.build === undefined ? {} : { build: s.build }),
      ...(s.imageTag === undefined ? {} : { imageTag: s.imageTag }),
      ...(s.command === undefined ? {} : { command: s.command }),
      ...(s.containerHealthCheck === undefined ? {} : { containerHealthCheck: s.containerHealthCheck }),
      ...(s.mount === undefined ? {} : { mount: s.mount }),
      environment: s.environment ?? {},
      secrets: s.secrets ?? {},
    };
    const migration =
      s.migration === undefined
        ? {}
        : {
            migration: {
              command: s.migration.command,
              timeoutSeconds: s.migration.timeoutSeconds ?? MIGRATION_TIMEOUT_SECONDS,
            },
          };
    switch (s.kind) {
      case "http":
        return {
          ...base,
          ...migration,
          kind: "http",
          host: hostOf(name, s),
          port: s.port ?? 8080,
          healthCheckPath: s.healthCheckPath ?? "/health",
          cpu: s.cpu ?? preset.api.cpu,
          memory: s.memory ?? preset.api.memory,
          minTasks: s.minTasks ?? preset.api.minTasks,
          maxTasks: s.maxTasks ?? Math.max(preset.api.maxTasks, s.minTasks ?? 0),
        };
      case "worker":
        return {
          ...base,
          kind: "worker",
          cpu: s.cpu ?? preset.api.cpu,
          memory: s.memory ?? preset.api.memory,
          minTasks: s.minTasks ?? 1,
          maxTasks: s.maxTasks ?? Math.max(preset.api.maxTasks, s.minTasks ?? 1),
          ...(s.queue === undefined ? {} : { queue: s.queue }),
        };
      case "cron":
        return {
          ...base,
          kind: "cron",
          cpu: s.cpu ?? 256,
          memory: s.memory ?? 512,
          schedule: s.schedule ?? "",
          timezone: s.timezone ?? "UTC",
          timeoutMinutes: s.timeoutMinutes ?? 60,
          retries: s.retries ?? 2,
        };
    }
  });
}

/** Fills every unset value from the environment's preset, then checks the rules that span both. Pure. */
export function resolveSettings(config: StackConfig): Settings {
  const preset: Preset = presetOf(config.environment, config.size);
  const settings: Settings = {
    project: config.project,
    stack: config.stack,
    stackFile: config.stackFile,
    environment: config.environment,
    appName: config.appName,
    namePrefix: config.namePrefix ?? config.appName,
    domain: config.domain,
    ...(config.awsRegion === undefined ? {} : { awsRegion: config.awsRegion }),
    ...(config.awsAccountId === undefined ? {} : { awsAccountId: config.awsAccountId }),
    ...(config.previewNumber === undefined ? {} : { previewNumber: config.previewNumber }),
    ...(config.stagingStack === undefined ? {} : { stagingStack: config.stagingStack }),
    target: preset.target,
    protect: config.protect ?? preset.protect,
    alerts: {
      emails: config.alerts?.emails ?? [],
      ...(config.alerts?.slack === undefined ? {} : { slack: config.alerts.slack }),
    },
    network: overlay(preset.network, config.network),
    database: withCopyRegion(overlay(preset.database, config.database), config.awsRegion),
    cache: overlay(preset.cache, config.cache),
    api: overlay(preset.api, config.api),
    services: resolveServices(config.services, preset),
    appSecrets: config.appSecrets ?? {},
    logs: overlay(preset.logs, config.logs),
    officeHours: officeHoursOf(preset, config.officeHours),
    authenticatedOriginPulls: config.dns?.authenticatedOriginPulls ?? preset.authenticatedOriginPulls,
    monitoring: withServiceBudget(overlay(preset.monitoring, config.monitoring), config),
    ...(config.web === undefined ? {} : { web: config.web }),
    ...(config.dns === undefined ? {} : { dns: config.dns }),
  };
  const problems = [
    ...checkResolved({ ...settings, cacheReplicas: settings.cache.replicas, apiSource: settings.api }, config.project),
    ...resolvedServiceProblems(settings.services, config, config.project, {
      fargate: preset.target === "aws",
      containerInsights: settings.monitoring.containerInsights,
    }),
  ];
  if (problems.length > 0) throw new ConfigError(config.stackFile, problems);
  return settings;
}

/** The preset's budget grown by its allowance per service beside the API, unless the stack file sets its own. */
function withServiceBudget<M extends Preset["monitoring"]>(monitoring: M, config: StackConfig): M {
  if (config.monitoring?.budgetMonthlyUsd !== undefined) return monitoring;
  const services = Object.keys(config.services ?? {}).length;
  return { ...monitoring, budgetMonthlyUsd: monitoring.budgetMonthlyUsd + services * monitoring.budgetPerServiceUsd };
}

/** The preset's office hours with the keys the stack file sets (on an always-on preset, the default hours). */
function officeHoursOf(preset: Preset, file: StackConfig["officeHours"] | undefined): OfficeHours | "always" {
  if (file === undefined) return preset.officeHours;
  if (file === "always") return "always";
  return overlay<OfficeHours, typeof file>(preset.officeHours === "always" ? OFFICE_HOURS : preset.officeHours, file);
}

/** The copy region of a stack that copies backups: the file's choice or the primary region's default pair. */
function withCopyRegion<D extends Preset["database"] & { readonly backupCopyRegion?: string }>(
  database: D,
  awsRegion: string | undefined,
): D {
  if (!database.crossRegionCopy || database.backupCopyRegion !== undefined || awsRegion === undefined) return database;
  const pair = DISASTER_RECOVERY_REGIONS[awsRegion];
  return pair === undefined ? database : { ...database, backupCopyRegion: pair };
}

/** Shallow overlay that ignores keys the stack file left unset (so `0` and `false` still override). */
function overlay<T extends object, O extends Partial<Record<keyof T, unknown>>>(
  base: T,
  override: O | undefined,
): T & O {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override ?? {})) {
    if (value !== undefined) out[key] = value;
  }
  return out as T & O;
}
