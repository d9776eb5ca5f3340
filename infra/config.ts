import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CLOUDFLARE_PLANS } from "../components/dns-zone/plans";
import { SLACK_CHANNEL_ID, SLACK_WORKSPACE_ID } from "../components/monitoring/slack";
import { vpcCidrProblem } from "../components/network/subnets";
import { containerHealthCheckProblem } from "../components/api-service/health";
import { TASK_RUN_TIMEOUT_SECONDS } from "../components/ecs-task-run";
import { OFFICE_DAYS } from "../components/office-hours/hours";
import {
  FARGATE_MEMORY_BY_CPU,
  HOSTNAME,
  LOG_RETENTION_DAYS,
  NAT_MODES,
  SQS_QUEUE_NAME,
} from "../components/aws-facts";
import { oneLine } from "../components/validation";

export { type NatMode } from "../components/aws-facts";

/** The four kinds of stack this program declares. `preview` is a short-lived `pr-<n>` stack. */
export const ENVIRONMENTS = ["dev", "staging", "production", "preview"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

const int = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const bool = () => z.boolean({ error: "must be true or false" });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.map((v) => `"${v}"`).join(", ")}` });
const pattern = (re: RegExp, error: string) => z.string({ error }).regex(re, { error });
/** A group of keys (a YAML mapping): its own message when given a word, a number or a list instead. */
const SECTION = "must be a group of settings (key: value lines indented under it)";
const section = <T extends z.core.$ZodLooseShape>(shape: T) => z.strictObject(shape, { error: SECTION });

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

const cidr = z.string({ error: "must be an IPv4 CIDR block such as 10.20.0.0/16" }).superRefine((value, ctx) => {
  const problem = vpcCidrProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

/** Settings of the VPC (cloud) that a stack file may override. */
const networkSchema = section({
  cidr: cidr.optional(),
  azCount: z.union([z.literal(2), z.literal(3)], { error: "must be 2 or 3" }).optional(),
  natGateways: oneOf(NAT_MODES).optional(),
  flowLogRetentionDays: logRetention().optional(),
  availabilityZones: z
    .array(pattern(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, "must be an availability zone name such as eu-west-1a"), {
      error: "must be a list of availability zone names such as [eu-west-1a, eu-west-1b]",
    })
    .optional(),
});

function logRetention() {
  const error = `must be one of the retention periods CloudWatch accepts (${LOG_RETENTION_DAYS.join(", ")})`;
  return z.number({ error }).refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), { error });
}

const databaseSchema = section({
  instanceClass: pattern(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "must be an RDS instance class such as db.t4g.small").optional(),
  engineVersion: pattern(
    /^\d{2}(\.\d+)?$/,
    'must be a PostgreSQL major or major.minor version such as "17" or "16.4"',
  ).optional(),
  allocatedStorageGb: int(20, 65536).optional(),
  maxAllocatedStorageGb: int(20, 65536).optional(),
  backupRetentionDays: int(1, 35).optional(),
  multiAz: bool().optional(),
  backupCopyRegion: pattern(AWS_REGION, "must be an AWS region code such as eu-central-1").optional(),
});

const cacheSchema = section({
  nodeType: pattern(
    /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
    "must be an ElastiCache node type such as cache.t4g.small",
  ).optional(),
  replicas: int(0, 5).optional(),
  snapshotRetentionDays: int(0, 35).optional(),
});

const MIGRATION_COMMAND = 'must be a command of non-empty words such as ["npm", "run", "migrate"]';

const apiSchema = section({
  cpu: z
    .number({ error: "must be one of the Fargate CPU sizes 256, 512, 1024, 2048, 4096, 8192, 16384" })
    .refine((v) => v in FARGATE_MEMORY_BY_CPU, {
      error: "must be one of the Fargate CPU sizes 256, 512, 1024, 2048, 4096, 8192, 16384",
    })
    .optional(),
  memory: int(512, 122880).optional(),
  minTasks: int(1, 100).optional(),
  maxTasks: int(1, 100).optional(),
  image: pattern(/^[a-z0-9][^\s]*$/, "must be an image reference such as ghcr.io/acme/api:1.4.2").optional(),
  build: section({
    context: z.string({ error: "must be a folder relative to the project, such as examples/api" }).min(1),
    dockerfile: z.string({ error: "must be a file path such as Dockerfile" }).min(1).optional(),
    target: z.string({ error: "must be a build stage name" }).min(1).optional(),
  }).optional(),
  imageTag: pattern(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
    "must be a Docker tag (letters, digits, _ . -), such as a commit SHA",
  ).optional(),
  containerPort: int(1, 65535).optional(),
  healthCheckPath: pattern(/^\/[^\s]*$/, "must be a path starting with /, such as /health").optional(),
  containerHealthCheck: z
    .array(z.string({ error: "must be a word of the command, as text" }), {
      error: 'must be a command such as ["CMD", "curl", "-f", "http://127.0.0.1:8080/health"]',
    })
    .superRefine((value, ctx) => {
      const problem = containerHealthCheckProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  migration: section({
    command: z
      .array(z.string({ error: MIGRATION_COMMAND }).min(1, { error: MIGRATION_COMMAND }), {
        error: MIGRATION_COMMAND,
      })
      .min(1, { error: MIGRATION_COMMAND }),
    timeoutSeconds: int(TASK_RUN_TIMEOUT_SECONDS.min, TASK_RUN_TIMEOUT_SECONDS.max).optional(),
  }).optional(),
  certificateArn: pattern(
    /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/,
    "must be the ARN of an ACM certificate in awsRegion",
  ).optional(),
});

/** The kinds of service a stack file declares under `services` (docs/services.md). */
export const SERVICE_KINDS = ["http", "worker", "cron"] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** A service's name: part of physical names (the ECS service, its log group, roles), so short. */
export const SERVICE_NAME = /^[a-z][a-z0-9-]{0,13}[a-z0-9]$/;
/** An environment variable's name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Where a service's secret comes from: the data tier's URLs or a value of the stack's `appSecrets`. */
export const SECRET_REFERENCE = /^(database\.url|cache\.url|appSecrets\.[A-Za-z0-9_-]{1,64})$/;
/** A word of a service's command. */
const COMMAND_WORD = 'must be a non-empty word of the command, such as "worker.js"';
const command = () =>
  z
    .array(z.string({ error: COMMAND_WORD }).min(1, { error: COMMAND_WORD }), {
      error: 'must be a command as a list, such as ["node", "worker.js"]',
    })
    .min(1, { error: 'must be a command as a list, such as ["node", "worker.js"]' });

/**
 * One service of `services`: the keys of every kind, checked on their own here; which keys a kind takes, the
 * references and the hosts are checked across keys (./service-rules.ts), so a misplaced key gets its own message.
 */
const serviceSchema = section({
  kind: oneOf(SERVICE_KINDS),
  image: apiSchema.shape.image,
  build: apiSchema.shape.build,
  imageTag: apiSchema.shape.imageTag,
  command: command().optional(),
  port: int(1, 65535).optional(),
  host: pattern(
    /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
    "must be one DNS label such as ai (production serves ai.<domain>, staging ai-staging.<apex>)",
  ).optional(),
  healthCheckPath: apiSchema.shape.healthCheckPath,
  containerHealthCheck: apiSchema.shape.containerHealthCheck,
  cpu: apiSchema.shape.cpu,
  memory: apiSchema.shape.memory,
  minTasks: int(1, 100).optional(),
  maxTasks: int(1, 100).optional(),
  environment: z
    .record(
      pattern(ENV_NAME, "must be an environment variable name such as LOG_LEVEL"),
      z.string({ error: 'must be text (quote numbers and true or false in YAML, such as "5")' }),
      {
        error: "must map variable names to text, such as { LOG_LEVEL: info }",
      },
    )
    .optional(),
  secrets: z
    .record(
      pattern(ENV_NAME, "must be an environment variable name such as STRIPE_KEY"),
      pattern(SECRET_REFERENCE, "must be database.url, cache.url or appSecrets.<name>"),
      { error: "must map variable names to references, such as { DATABASE_URL: database.url }" },
    )
    .optional(),
  schedule: pattern(
    /^(cron\(\S+( \S+){5}\)|rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\))$/,
    "must be an EventBridge Scheduler expression such as cron(0 3 * * ? *) or rate(1 hour)",
  ).optional(),
  timezone: z.string({ error: "must be an IANA time zone such as UTC or Europe/Dublin" }).optional(),
  timeoutMinutes: int(1, 1440).optional(),
  retries: int(0, 10).optional(),
  migration: z
    .strictObject(
      { command: command(), timeoutSeconds: int(60, 3600).optional() },
      {
        error: 'must be an object such as { command: ["npm", "run", "migrate"] }',
      },
    )
    .optional(),
  mount: section({
    hostPath: z.string({ error: "must be a folder of the project, such as examples/api" }).min(1),
    containerPath: pattern(/^\/\S*$/, "must be an absolute path in the container, such as /app"),
  }).optional(),
  queue: section({
    name: pattern(
      SQS_QUEUE_NAME,
      "must be an SQS queue name (1 to 80 letters, digits, - or _, ending in .fifo for a FIFO queue)",
    ),
    messagesPerTask: int(1, 100000),
  }).optional(),
});

const servicesSchema = z.record(
  pattern(SERVICE_NAME, "must be a service name of 2 to 15 lowercase letters, digits or hyphens, such as worker"),
  serviceSchema,
  { error: "must map service names to services, such as { worker: { kind: worker, build: { context: worker } } }" },
);

const webSchema = section({
  framework: pattern(/^[a-z0-9-]+$/, "must be a Vercel framework preset such as nextjs, vite or remix").optional(),
  gitRepository: section({
    type: oneOf(["github", "gitlab", "bitbucket"]),
    repo: pattern(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/name"'),
    productionBranch: z.string({ error: "must be a branch name" }).min(1).optional(),
  }).optional(),
  rootDirectory: z.string({ error: "must be a folder of the repository" }).min(1).optional(),
  buildCommand: z.string({ error: "must be a command" }).min(1).optional(),
  installCommand: z.string({ error: "must be a command" }).min(1).optional(),
  outputDirectory: z.string({ error: "must be a folder" }).min(1).optional(),
  apiUrlVariable: pattern(
    /^[A-Z][A-Z0-9_]*$/,
    "must be a variable name such as NEXT_PUBLIC_API_URL or VITE_API_URL",
  ).optional(),
  team: z.string({ error: "must be a Vercel team id or slug" }).min(1).optional(),
  projectId: pattern(/^prj_[A-Za-z0-9]+$/, "must be a Vercel project id such as prj_AbC123").optional(),
  gitBranch: z.string({ error: "must be a git branch name" }).min(1).optional(),
});

// Rate-limit values are checked against the zone's plan by the DnsZone component's own rule (rateLimitProblems).
const rateLimitSchema = section({
  requests: z.number({ error: "must be a number of requests such as 10" }),
  periodSeconds: z.number({ error: "must be a number of seconds such as 10" }),
});

/** The paths the auth rate limit covers. */
const AUTH_PATHS = "must be a list of one or more URL paths such as [/auth, /login]";
const dnsSchema = section({
  accountId: pattern(/^[0-9a-f]{32}$/, "must be a Cloudflare account id (32 hex characters)").optional(),
  zoneId: pattern(/^[0-9a-f]{32}$/, "must be a Cloudflare zone id (32 hex characters)").optional(),
  proxied: bool().optional(),
  authenticatedOriginPulls: bool().optional(),
  plan: oneOf(CLOUDFLARE_PLANS).optional(),
  rateLimits: section({
    api: rateLimitSchema.optional(),
    auth: rateLimitSchema
      .extend({
        paths: z
          .array(z.string({ error: "must be a URL path such as /auth" }), { error: AUTH_PATHS })
          .min(1, { error: AUTH_PATHS })
          .optional(),
      })
      .optional(),
  }).optional(),
});

const nonNegative = (example: string) =>
  z
    .number({ error: `must be a non-negative number such as ${example}` })
    .min(0, { error: `must be a non-negative number such as ${example}` });

/** Usage the offline cost estimate assumes (`npm run synth -- <stack> --format cost`); the program ignores it. */
const costAssumptionsSchema = section({
  natDataGb: nonNegative("10").optional(),
  loadBalancerLcu: nonNegative("1").optional(),
  appLogGb: nonNegative("2").optional(),
  flowLogGb: nonNegative("1").optional(),
  dataLogGb: nonNegative("0.5").optional(),
  backupMonthlyChange: nonNegative("0.1").optional(),
  imageRepositoryGb: nonNegative("3").optional(),
  containerInsightsMetrics: nonNegative("20").optional(),
  accessLogGb: nonNegative("1").optional(),
});

/**
 * When a staging or preview stack is awake (components/office-hours): `always`, or the days, hours and time zone;
 * keys left out keep the preset's (MON-FRI, 7 to 20, UTC).
 */
const officeHoursSchema = z.union(
  [
    z.literal("always"),
    z.strictObject({
      days: oneOf(OFFICE_DAYS).optional(),
      from: int(1, 22).optional(),
      to: int(2, 23).optional(),
      timezone: z.string({ error: "must be an IANA time zone such as UTC or Europe/Dublin" }).optional(),
    }),
  ],
  { error: 'must be "always" or an object with days, from, to and timezone' },
);

const monitoringSchema = section({
  sentry: section({
    organization: pattern(/^[a-z0-9][a-z0-9_-]{0,49}$/, "must be a Sentry organisation slug"),
    team: pattern(/^[a-z0-9][a-z0-9_-]{0,49}$/, "must be a Sentry team slug"),
  }).optional(),
  budgetMonthlyUsd: z
    .number({ error: "must be an amount in USD such as 500" })
    .positive({ error: "must be an amount in USD such as 500" })
    .optional(),
  uptimeChecks: bool().optional(),
  dashboard: bool().optional(),
  containerInsights: bool().optional(),
  latencyP50Ms: int(1, 60000).optional(),
  latencyP99Ms: int(1, 60000).optional(),
  errorRatePercent: z
    .number({ error: "must be a percentage from 0 to 100" })
    .min(0, { error: "must be a percentage from 0 to 100" })
    .max(100, { error: "must be a percentage from 0 to 100" })
    .optional(),
});

/**
 * A Slack channel that receives the alarms through AWS Chatbot (Amazon Q Developer in chat applications), its ids
 * checked with the Chatbot API's patterns (components/monitoring/slack.ts).
 */
const slackSchema = section({
  workspaceId: pattern(
    SLACK_WORKSPACE_ID,
    "must be the Slack workspace id shown in the AWS Chatbot console after authorising the workspace, such as T0123ABCD",
  ),
  channelId: pattern(
    SLACK_CHANNEL_ID,
    "must be a Slack channel id (the end of the channel's link), such as C0123ABCDEF",
  ),
});

const alertsSchema = section({
  emails: z
    .array(z.email({ error: "must be an email address" }), { error: "must be a list of email addresses" })
    .optional(),
  slack: slackSchema.optional(),
});

/**
 * The whole stack config under the project's namespace (`<project>:<key>`), as written in `Pulumi.<stack>.yaml`.
 * Tier objects are partial: a key that is set overrides the environment preset, an absent one keeps it.
 */
export const stackConfigSchema = z.strictObject({
  environment: oneOf(ENVIRONMENTS),
  appName: pattern(
    /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/,
    "must be 3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen",
  ),
  domain: pattern(HOSTNAME, "must be a lowercase DNS name such as example.com"),
  namePrefix: pattern(
    /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/,
    "must be 3 to 24 lowercase letters, digits or hyphens, such as acme-app (the first part of every physical name)",
  ).optional(),
  awsRegion: pattern(AWS_REGION, "must be an AWS region code such as eu-west-1").optional(),
  awsAccountId: pattern(
    /^\d{12}$/,
    'must be a 12-digit AWS account id such as "123456789012" (quoted in YAML)',
  ).optional(),
  protect: bool().optional(),
  size: oneOf(["small", "large"]).optional(),
  stagingStack: pattern(
    /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
    "must be a fully qualified stack name <organization>/<project>/<stack>, such as acme/saas-platform/staging",
  ).optional(),
  alerts: alertsSchema.optional(),
  network: networkSchema.optional(),
  database: databaseSchema.optional(),
  cache: cacheSchema.optional(),
  api: apiSchema.optional(),
  /** Further services beside the API: HTTP services, workers and scheduled jobs (docs/services.md). */
  services: servicesSchema.optional(),
  /**
   * The app's own secret values by name (Stripe keys, OAuth secrets), set with `pulumi config set --secret --path
   * 'appSecrets.<name>'`; services read them as `appSecrets.<name>`.
   */
  appSecrets: z
    .record(
      pattern(/^[A-Za-z0-9_-]{1,64}$/, "must be a name of 1 to 64 letters, digits, - or _"),
      z.string({ error: "must be text" }).min(1, { error: "must be text" }),
      { error: "must map names to secret values" },
    )
    .optional(),
  logs: section({ retentionDays: logRetention().optional() }).optional(),
  web: webSchema.optional(),
  dns: dnsSchema.optional(),
  monitoring: monitoringSchema.optional(),
  officeHours: officeHoursSchema.optional(),
  costAssumptions: costAssumptionsSchema.optional(),
});

/** The stack file's values after validation, before presets are applied. */
export type ParsedConfig = z.infer<typeof stackConfigSchema>;

/** Extra rules a caller adds to `parseConfig` (./parse-config.ts); given only the keys that are valid on their own. */
export type ConfigCheck = (valid: Partial<ParsedConfig>, project: string) => ConfigProblem[];

/** Keys earlier versions read, with what replaced them. */
export const REMOVED_KEYS: Readonly<Record<string, string>> = {
  slackWebhookUrl:
    "is no longer read: SNS cannot deliver to a Slack incoming webhook (it never confirms the subscription). Remove it (`pulumi config rm slackWebhookUrl`) and set alerts.slack.workspaceId and alerts.slack.channelId (see docs/components/monitoring.md)",
};

/** What a problem message says instead of a value that was set with `--secret`. */
export const REDACTED = "a secret value, not shown";

/** Config as Pulumi hands it to the program: every `<project>:<key>` value is text (objects as JSON). */
export interface RawStackConfig {
  readonly project: string;
  readonly stack: string;
  /** Values by key without the `<project>:` namespace. */
  readonly values: Readonly<Record<string, string>>;
  /** Keys (without namespace) whose value was set with `--secret`. */
  readonly secretKeys: ReadonlySet<string>;
  /**
   * Values of `appSecrets` the stack file holds in plain text beside encrypted ones (`appSecrets.<name>`), when the
   * program could read the file: the Pulumi runtime cannot tell them apart.
   */
  readonly plainSecretPaths?: readonly string[];
}

/** The validated stack config: plain typed values. */
export interface StackConfig extends ParsedConfig {
  readonly project: string;
  readonly stack: string;
  /** The `Pulumi.<stack>.yaml` file the values came from, for messages. */
  readonly stackFile: string;
  /** The pull request number of a `pr-<n>` preview stack. */
  readonly previewNumber?: number;
}

/** One problem in a stack file; `key` is the full dotted key, e.g. `saas-platform:database.multiAz`. */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

/** Thrown for invalid config: a RunError, so `pulumi up` prints the message without a stack trace. */
export class ConfigError extends pulumi.RunError {
  constructor(
    readonly stackFile: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      [
        `${stackFile} has ${problems.length} configuration problem${problems.length === 1 ? "" : "s"}:`,
        ...problems.map((p) => `  ${stackFile}: ${p.key} ${oneLine(p.message)}`),
      ].join("\n"),
    );
    this.name = "ConfigError";
  }
}

export const PREVIEW_STACK = /^pr-([1-9]\d{0,6})$/;

/** `Pulumi.<stack>.yaml`, the file a user edits to fix a problem. */
export const stackFileOf = (stack: string): string => `Pulumi.${stack}.yaml`;
