import * as pulumi from "@pulumi/pulumi";
import { closest } from "fastest-levenshtein";
import { z } from "zod";
import { storageAutoscalingProblem } from "../components/managed-postgres/storage";
import { CLOUDFLARE_PLANS, rateLimitProblems } from "../components/dns-zone/plans";
import { SLACK_CHANNEL_ID, SLACK_WORKSPACE_ID } from "../components/monitoring/slack";
import { isVpcCidr } from "../components/network/subnets";
import { OFFICE_DAYS, officeHoursProblems, type OfficeHours } from "../components/office-hours/hours";
import { FARGATE_MEMORY_BY_CPU, HOSTNAME, LOG_RETENTION_DAYS, NAT_MODES } from "../components/aws-facts";

export { FARGATE_MEMORY_BY_CPU, HOSTNAME, LOG_RETENTION_DAYS, NAT_MODES, type NatMode } from "../components/aws-facts";

/** The four kinds of stack this program declares. `preview` is a short-lived `pr-<n>` stack. */
export const ENVIRONMENTS = ["dev", "staging", "production", "preview"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Where production's backup copies go by default: a nearby region in the same jurisdiction. Any other primary region
 * must set `database.backupCopyRegion`.
 */
export const DISASTER_RECOVERY_REGIONS: Readonly<Record<string, string>> = {
  "eu-west-1": "eu-central-1",
  "eu-west-2": "eu-west-1",
  "eu-west-3": "eu-central-1",
  "eu-central-1": "eu-west-1",
  "eu-north-1": "eu-central-1",
  "us-east-1": "us-west-2",
  "us-east-2": "us-west-2",
  "us-west-2": "us-east-1",
  "ca-central-1": "ca-west-1",
  "ap-southeast-2": "ap-southeast-4",
  "ap-northeast-1": "ap-northeast-3",
};

const int = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const bool = () => z.boolean({ error: "must be true or false" });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.map((v) => `"${v}"`).join(", ")}` });
const pattern = (re: RegExp, error: string) => z.string({ error }).regex(re, { error });

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

const cidr = z
  .string({ error: "must be an IPv4 CIDR block such as 10.20.0.0/16" })
  .refine((value) => isVpcCidr(value), {
    error:
      "must be an IPv4 network in CIDR form with prefix /16 to /24 whose address is the network's first address, such as 10.20.0.0/16",
  });

/** Settings of the VPC (cloud) that a stack file may override. */
const networkSchema = z.strictObject({
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

const databaseSchema = z.strictObject({
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

const cacheSchema = z.strictObject({
  nodeType: pattern(
    /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
    "must be an ElastiCache node type such as cache.t4g.small",
  ).optional(),
  replicas: int(0, 5).optional(),
  snapshotRetentionDays: int(0, 35).optional(),
});

const apiSchema = z.strictObject({
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
  build: z
    .strictObject({
      context: z.string({ error: "must be a folder relative to the project, such as examples/api" }).min(1),
      dockerfile: z.string({ error: "must be a file path such as Dockerfile" }).min(1).optional(),
      target: z.string({ error: "must be a build stage name" }).min(1).optional(),
    })
    .optional(),
  imageTag: pattern(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
    "must be a Docker tag (letters, digits, _ . -), such as a commit SHA",
  ).optional(),
  containerPort: int(1, 65535).optional(),
  healthCheckPath: pattern(/^\/[^\s]*$/, "must be a path starting with /, such as /health").optional(),
  certificateArn: pattern(
    /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/,
    "must be the ARN of an ACM certificate in awsRegion",
  ).optional(),
});

const webSchema = z.strictObject({
  framework: pattern(/^[a-z0-9-]+$/, "must be a Vercel framework preset such as nextjs, vite or remix").optional(),
  gitRepository: z
    .strictObject({
      type: oneOf(["github", "gitlab", "bitbucket"]),
      repo: pattern(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/name"'),
      productionBranch: z.string({ error: "must be a branch name" }).min(1).optional(),
    })
    .optional(),
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
const rateLimitSchema = z.strictObject({
  requests: z.number({ error: "must be a number of requests such as 10" }),
  periodSeconds: z.number({ error: "must be a number of seconds such as 10" }),
});

const dnsSchema = z.strictObject({
  accountId: pattern(/^[0-9a-f]{32}$/, "must be a Cloudflare account id (32 hex characters)").optional(),
  zoneId: pattern(/^[0-9a-f]{32}$/, "must be a Cloudflare zone id (32 hex characters)").optional(),
  proxied: bool().optional(),
  authenticatedOriginPulls: bool().optional(),
  plan: oneOf(CLOUDFLARE_PLANS).optional(),
  rateLimits: z
    .strictObject({
      api: rateLimitSchema.optional(),
      auth: rateLimitSchema
        .extend({
          paths: z
            .array(z.string({ error: "must be a URL path such as /auth" }))
            .min(1)
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

const nonNegative = (example: string) =>
  z
    .number({ error: `must be a non-negative number such as ${example}` })
    .min(0, { error: `must be a non-negative number such as ${example}` });

/** Usage the offline cost estimate assumes (`npm run synth -- <stack> --format cost`); the program ignores it. */
const costAssumptionsSchema = z.strictObject({
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

const monitoringSchema = z.strictObject({
  sentry: z
    .strictObject({
      organization: pattern(/^[a-z0-9][a-z0-9_-]{0,49}$/, "must be a Sentry organisation slug"),
      team: pattern(/^[a-z0-9][a-z0-9_-]{0,49}$/, "must be a Sentry team slug"),
    })
    .optional(),
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
const slackSchema = z.strictObject({
  workspaceId: pattern(
    SLACK_WORKSPACE_ID,
    "must be the Slack workspace id shown in the AWS Chatbot console after authorising the workspace, such as T0123ABCD",
  ),
  channelId: pattern(
    SLACK_CHANNEL_ID,
    "must be a Slack channel id (the end of the channel's link), such as C0123ABCDEF",
  ),
});

const alertsSchema = z.strictObject({
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
  logs: z.strictObject({ retentionDays: logRetention().optional() }).optional(),
  web: webSchema.optional(),
  dns: dnsSchema.optional(),
  monitoring: monitoringSchema.optional(),
  officeHours: officeHoursSchema.optional(),
  costAssumptions: costAssumptionsSchema.optional(),
});

/** The stack file's values after validation, before presets are applied. */
export type ParsedConfig = z.infer<typeof stackConfigSchema>;

/** Extra rules a caller adds to {@link parseConfig}; given only the keys that are valid on their own. */
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
        ...problems.map((p) => `  ${stackFile}: ${p.key} ${p.message}`),
      ].join("\n"),
    );
    this.name = "ConfigError";
  }
}

export const PREVIEW_STACK = /^pr-([1-9]\d{0,6})$/;

/** `Pulumi.<stack>.yaml`, the file a user edits to fix a problem. */
export const stackFileOf = (stack: string): string => `Pulumi.${stack}.yaml`;

/**
 * Parses and validates the stack config. Returns the typed config or throws one {@link ConfigError} listing every
 * problem, each naming the key, what is expected and what was found. Pure apart from wrapping secrets.
 */
export function parseConfig(raw: RawStackConfig, extraCheck?: ConfigCheck): StackConfig {
  const stackFile = stackFileOf(raw.stack);
  const ns = (path: readonly PropertyKey[]) => `${raw.project}:${path.map(String).join(".")}`;
  const problems: ConfigProblem[] = [];

  const decoded: Record<string, unknown> = {};
  const removed: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw.values)) {
    if (key in REMOVED_KEYS) removed[key] = text;
    else decoded[key] = decode(key, text);
  }
  for (const key of Object.keys(removed)) problems.push({ key: ns([key]), message: REMOVED_KEYS[key]! });

  const result = stackConfigSchema.safeParse(decoded);
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(...describeIssue(issue, decoded, ns, raw.secretKeys.has(String(issue.path[0]))));
    }
  }

  const environment = ENVIRONMENTS.find((e) => e === decoded["environment"]);
  const previewMatch = PREVIEW_STACK.exec(raw.stack);
  if (environment) problems.push(...checkStackName(raw.stack, environment, ns(["environment"])));

  // Rules across keys run on every key that is valid on its own, so one run reports every problem in the file.
  const valid = validFields(decoded);
  problems.push(...checkCombinations(valid, (key) => key in decoded, ns));
  if (extraCheck) problems.push(...extraCheck(valid, raw.project));

  if (problems.length > 0 || !result.success) {
    throw new ConfigError(stackFile, redactSecrets(problems, raw));
  }

  return {
    ...result.data,
    project: raw.project,
    stack: raw.stack,
    stackFile,
    ...(previewMatch ? { previewNumber: Number(previewMatch[1]) } : {}),
  };
}

/**
 * Problems never quote a value set with `--secret`: the schema's messages already say {@link REDACTED} for them, and
 * this removes any text of a secret (whole, or any string inside a secret object) that a cross-key rule quoted.
 */
export function redactSecrets(problems: readonly ConfigProblem[], raw: RawStackConfig): ConfigProblem[] {
  const texts = new Set<string>();
  const collect = (value: unknown): void => {
    // Short fragments (a port, a flag) would blank unrelated words; the schema never quotes a secret at all.
    if (typeof value === "string" && value.length >= 3) texts.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(collect);
  };
  for (const key of raw.secretKeys) {
    const text = raw.values[key];
    if (text === undefined) continue;
    texts.add(text);
    try {
      collect(JSON.parse(text));
    } catch {
      // Plain text: the whole value is collected above.
    }
  }
  // Longest first, so a secret that contains another is removed whole.
  const secrets = [...texts].sort((a, b) => b.length - a.length);
  return problems.map((p) => ({
    key: p.key,
    message: secrets.reduce((message, secret) => message.split(secret).join(`[${REDACTED}]`), p.message),
  }));
}

/** The top-level keys whose value passes its own schema, parsed. */
function validFields(decoded: Record<string, unknown>): Partial<ParsedConfig> {
  const valid: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(stackConfigSchema.shape as Record<string, z.ZodType>)) {
    if (!(key in decoded)) continue;
    const parsed = field.safeParse(decoded[key]);
    if (parsed.success) valid[key] = parsed.data;
  }
  return valid;
}

/** Pulumi passes numbers, booleans and objects as text; text fields are kept verbatim. */
function decode(key: string, text: string): unknown {
  const field = (stackConfigSchema.shape as Record<string, z.ZodType | undefined>)[key];
  if (field && isTextField(field)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isTextField(field: z.ZodType): boolean {
  const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
  return inner instanceof z.ZodString || inner instanceof z.ZodEnum;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  ns: (path: readonly PropertyKey[]) => string,
  secret: boolean,
): ConfigProblem[] {
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(shapeAt(issue.path));
    return issue.keys.map((k) => ({
      key: ns([...issue.path, k]),
      message: `is not a known setting${known.length > 0 ? ` (did you mean "${closest(k, known)}"?)` : ""}`,
    }));
  }
  const found = valueAt(input, issue.path);
  if (issue.code === "invalid_union" && typeof found === "object" && found !== null) {
    // An object given for a key that takes a word or an object (officeHours): report the object's own mistakes, by
    // their keys, rather than "must be one or the other".
    const branch = issue.errors.find(
      (errors) => errors.length > 0 && errors.every((e) => e.path.length > 0 || e.code === "unrecognized_keys"),
    );
    if (branch !== undefined) {
      return branch.flatMap((e) => describeIssue({ ...e, path: [...issue.path, ...e.path] }, input, ns, secret));
    }
  }
  const got = found === undefined ? "not set" : secret ? `got ${REDACTED}` : `got ${JSON.stringify(found)}`;
  return [{ key: ns(issue.path), message: `${issue.message} (${got})` }];
}

function shapeAt(path: readonly PropertyKey[]): Record<string, unknown> {
  let schema: z.ZodType = stackConfigSchema;
  const objectOf = (candidate: z.ZodType): z.ZodType => {
    const inner = candidate instanceof z.ZodOptional ? (candidate.unwrap() as z.ZodType) : candidate;
    if (inner instanceof z.ZodUnion) {
      return (inner.options as z.ZodType[]).find((option) => option instanceof z.ZodObject) ?? inner;
    }
    return inner;
  };
  for (const segment of path) {
    const inner = objectOf(schema);
    if (!(inner instanceof z.ZodObject)) return {};
    const next = (inner.shape as Record<string, z.ZodType | undefined>)[String(segment)];
    if (!next) return {};
    schema = next;
  }
  const inner = objectOf(schema);
  return inner instanceof z.ZodObject ? inner.shape : {};
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/** The environment must agree with the stack's name, so a copied stack file cannot deploy production settings. */
function checkStackName(stack: string, environment: Environment, key: string): ConfigProblem[] {
  const isPreviewStack = PREVIEW_STACK.test(stack);
  if (isPreviewStack && environment !== "preview") {
    return [{ key, message: `must be "preview" for a pr-<number> stack (got "${environment}")` }];
  }
  if (!isPreviewStack && environment === "preview") {
    return [
      { key, message: `"preview" is only for stacks named pr-<number>, such as pr-42 (this stack is "${stack}")` },
    ];
  }
  const named = ENVIRONMENTS.find((e) => e === stack);
  if (named && named !== environment) {
    return [{ key, message: `must be "${named}" in the ${stack} stack (got "${environment}")` }];
  }
  return [];
}

/** Rules that span several keys; they run once every key on its own is valid. */
function checkCombinations(
  c: Partial<ParsedConfig>,
  isSet: (key: keyof ParsedConfig) => boolean,
  ns: (path: readonly PropertyKey[]) => string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const cloud = c.environment !== undefined && c.environment !== "dev";
  if (cloud && !isSet("awsRegion")) {
    problems.push({
      key: ns(["awsRegion"]),
      message: `is required for a ${c.environment} stack: an AWS region code such as eu-west-1 (not set)`,
    });
  }
  const alertsInvalid = isSet("alerts") && c.alerts === undefined;
  if (
    (c.environment === "staging" || c.environment === "production") &&
    !alertsInvalid &&
    (c.alerts?.emails ?? []).length === 0
  ) {
    problems.push({
      key: ns(["alerts", "emails"]),
      message: `must list at least one address that receives ${c.environment} alerts (not set)`,
    });
  }
  if (c.environment === "production" && c.protect === false) {
    problems.push({
      key: ns(["protect"]),
      message:
        "cannot be false in production: stateful resources stay protected (unprotect one deliberately with `pulumi state unprotect`)",
    });
  }
  if ((c.environment === "production" || c.environment === "dev") && typeof c.officeHours === "object") {
    problems.push({
      key: ns(["officeHours"]),
      message:
        c.environment === "production"
          ? "cannot be set in production: production is always on (office hours put staging and previews to sleep)"
          : "has no effect in dev: your Docker stack runs when you start it (office hours apply to staging and previews)",
    });
  }
  if (c.environment === "production" && c.network?.natGateways === "none") {
    problems.push({
      key: ns(["network", "natGateways"]),
      message:
        'cannot be "none" in production: private services need egress; use "instance" (cheapest), "single" or "perAz" (HA) (got "none")',
    });
  }
  const api = c.api;
  if (api?.image !== undefined && api.build !== undefined) {
    problems.push({
      key: ns(["api", "image"]),
      message: "and api.build are both set: give a prebuilt image or a build context, not both",
    });
  }
  if (
    c.environment !== undefined &&
    !(isSet("api") && api === undefined) &&
    api?.image === undefined &&
    api?.build === undefined
  ) {
    problems.push({
      key: ns(["api", "build"]),
      message:
        "or api.image must be set: the build context of the API (such as examples/api) or a prebuilt image (not set)",
    });
  }
  const dns = c.dns;
  if (cloud && !isSet("dns") && !(isSet("api") && api === undefined) && api?.certificateArn === undefined) {
    problems.push({
      key: ns(["api", "certificateArn"]),
      message:
        "is required for a cloud stack without a dns section: the ACM certificate of the API's hostname in awsRegion (not set)",
    });
  }
  if (dns !== undefined && api?.certificateArn !== undefined) {
    problems.push({
      key: ns(["api", "certificateArn"]),
      message: "must not be set with a dns section: the DNS zone creates and validates the API's certificate",
    });
  }
  if (dns !== undefined && (dns.accountId === undefined) === (dns.zoneId === undefined)) {
    problems.push({
      key: ns(["dns", dns.accountId === undefined ? "zoneId" : "accountId"]),
      message:
        dns.accountId === undefined
          ? "or dns.accountId must be set: adopt an existing zone by id, or create one in a Cloudflare account (not set)"
          : "and dns.zoneId are both set: give the account to create the zone in, or the zone to adopt, not both",
    });
  }
  if (
    dns !== undefined &&
    c.environment !== undefined &&
    c.environment !== "production" &&
    dns.accountId !== undefined
  ) {
    problems.push({
      key: ns(["dns", "accountId"]),
      message: "is only for production, which owns the zone; other stacks adopt it with dns.zoneId",
    });
  }
  if (c.stagingStack !== undefined && c.environment !== undefined && c.environment !== "preview") {
    problems.push({
      key: ns(["stagingStack"]),
      message: "is only for a pr-<number> stack: it names the staging stack whose network and load balancer it joins",
    });
  }
  if (dns?.rateLimits !== undefined) {
    if (c.environment !== undefined && c.environment !== "production") {
      problems.push({
        key: ns(["dns", "rateLimits"]),
        message: "is only for production, which owns the zone and its one rate-limiting ruleset",
      });
    }
    for (const [key, message] of rateLimitProblems(dns.plan ?? "free", dns.rateLimits)) {
      problems.push({ key: ns(["dns", "rateLimits", ...key.split(".")]), message });
    }
  }
  if (dns?.authenticatedOriginPulls === true && dns.proxied === false) {
    problems.push({
      key: ns(["dns", "authenticatedOriginPulls"]),
      message:
        "needs dns.proxied: true: only Cloudflare's proxy presents the client certificate, so an unproxied API would refuse every client; remove one of the two",
    });
  }
  if (dns !== undefined && c.environment === "dev") {
    problems.push({ key: ns(["dns"]), message: "is for cloud stacks; dev runs on localhost" });
  }
  const web = c.web;
  if (
    web !== undefined &&
    c.environment !== "preview" &&
    (web.projectId !== undefined || web.gitBranch !== undefined)
  ) {
    problems.push({
      key: ns(["web", web.projectId !== undefined ? "projectId" : "gitBranch"]),
      message: "is only for a pr-<number> stack, which adds branch-scoped variables to staging's project",
    });
  }
  if (
    web !== undefined &&
    c.environment === "preview" &&
    (web.projectId === undefined) !== (web.gitBranch === undefined)
  ) {
    problems.push({
      key: ns(["web", web.projectId === undefined ? "projectId" : "gitBranch"]),
      message:
        "must be set together with web.projectId and web.gitBranch: staging's project and the PR's branch (not set)",
    });
  }
  const copyRegion = c.database?.backupCopyRegion;
  if (copyRegion !== undefined && copyRegion === c.awsRegion) {
    problems.push({
      key: ns(["database", "backupCopyRegion"]),
      message: `must be another region than awsRegion: a copy in the same region does not survive a regional outage (got "${copyRegion}")`,
    });
  }
  if (
    c.environment === "production" &&
    c.awsRegion !== undefined &&
    copyRegion === undefined &&
    !(c.awsRegion in DISASTER_RECOVERY_REGIONS) &&
    !(isSet("database") && c.database === undefined)
  ) {
    problems.push({
      key: ns(["database", "backupCopyRegion"]),
      message: `must name the region that keeps production's backup copies: awsRegion ${c.awsRegion} has no default pair (not set)`,
    });
  }
  const zones = c.network?.availabilityZones;
  if (zones) {
    if (new Set(zones).size !== zones.length) {
      problems.push({
        key: ns(["network", "availabilityZones"]),
        message: `must not repeat a zone (got ${JSON.stringify(zones)})`,
      });
    }
    const region = c.awsRegion;
    const foreign = region === undefined ? [] : zones.filter((z) => z.slice(0, -1) !== region);
    if (foreign.length > 0) {
      problems.push({
        key: ns(["network", "availabilityZones"]),
        message: `must be zones of awsRegion ${region} (got ${JSON.stringify(foreign)})`,
      });
    }
  }
  return problems;
}

/** Rules on the settings after the preset is applied (a stack file may set only one side of a pair). */
export function checkResolved(
  s: {
    readonly api: {
      readonly cpu: number;
      readonly memory: number;
      readonly minTasks: number;
      readonly maxTasks: number;
    };
    readonly database: { readonly allocatedStorageGb: number; readonly maxAllocatedStorageGb: number };
    readonly network: { readonly azCount: number; readonly availabilityZones?: readonly string[] | undefined };
    readonly officeHours?: OfficeHours | "always";
  },
  project: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (typeof s.officeHours === "object") {
    for (const problem of officeHoursProblems(s.officeHours)) {
      problems.push({ key: `${project}:officeHours.${problem.key}`, message: problem.message });
    }
  }
  const allowed = FARGATE_MEMORY_BY_CPU[s.api.cpu] ?? [];
  if (!allowed.includes(s.api.memory)) {
    problems.push({
      key: `${project}:api.memory`,
      message: `must be a memory size Fargate offers for api.cpu ${s.api.cpu}: ${allowed.join(", ")} MiB (got ${s.api.memory})`,
    });
  }
  if (s.api.minTasks > s.api.maxTasks) {
    problems.push({
      key: `${project}:api.minTasks`,
      message: `must not exceed api.maxTasks (${s.api.maxTasks}) (got ${s.api.minTasks})`,
    });
  }
  const storage = storageAutoscalingProblem(s.database);
  if (storage !== undefined) {
    problems.push({ key: `${project}:database.maxAllocatedStorageGb`, message: storage });
  }
  const zones = s.network.availabilityZones;
  if (zones && zones.length !== s.network.azCount) {
    problems.push({
      key: `${project}:network.availabilityZones`,
      message: `must list exactly network.azCount (${s.network.azCount}) zones (got ${zones.length})`,
    });
  }
  return problems;
}
