/** The config's rules across keys and against the preset; the schema (./config.ts) checks each key on its own. */
import { closest } from "fastest-levenshtein";
import {
  COMMERCIAL_REGIONS,
  DISASTER_RECOVERY_REGIONS,
  FARGATE_MEMORY_BY_CPU,
  isAwsRegion,
  partitionProblem,
} from "../components/aws-facts";
import { imageSourceOf, imageSourceProblems } from "../components/api-service/image";
import { MIN_BACKUP_RETENTION_DAYS } from "../components/managed-postgres/retention";
import { rateLimitProblems } from "../components/dns-zone/plans";
import { storageAutoscalingProblem } from "../components/managed-postgres/storage";
import { officeHoursProblems, type OfficeHours } from "../components/office-hours/hours";
import { ENVIRONMENTS, PREVIEW_STACK, type ConfigProblem, type Environment, type ParsedConfig } from "./config";

/** The environment must agree with the stack's name, so a copied stack file cannot deploy production settings. */
export function checkStackName(stack: string, environment: Environment, key: string): ConfigProblem[] {
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

/** Keys dev never reads (its stack runs on Docker: stacks/local.ts); `dns`, `officeHours` and `stagingStack` have their own messages. */
const DEV_IGNORED: ReadonlyArray<readonly [keyof ParsedConfig, string?]> = [
  ["awsRegion"],
  ["awsAccountId"],
  ["protect"],
  ["size"],
  ["alerts"],
  ["network"],
  ["database"],
  ["cache"],
  ["logs"],
  ["web"],
  ["monitoring"],
  ["costAssumptions"],
  ["api", "cpu"],
  ["api", "memory"],
  ["api", "minTasks"],
  ["api", "maxTasks"],
  ["api", "certificateArn"],
];

/** Rules that span several keys; they run once every key on its own is valid. */
export function checkCombinations(
  c: Partial<ParsedConfig>,
  isSet: (key: keyof ParsedConfig) => boolean,
  ns: (path: readonly PropertyKey[]) => string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const cloud = c.environment !== undefined && c.environment !== "dev";
  for (const [path, region] of [
    [["awsRegion"], c.awsRegion],
    [["database", "backupCopyRegion"], c.database?.backupCopyRegion],
  ] as const) {
    if (region === undefined) continue;
    const problem = isAwsRegion(region)
      ? partitionProblem(region)
      : `must be a region AWS offers, such as eu-west-1 (got "${region}"; did you mean "${closest(region, [...COMMERCIAL_REGIONS])}"?)`;
    if (problem !== undefined) problems.push({ key: ns(path), message: problem });
  }
  if (c.environment === "dev") {
    for (const [top, sub] of DEV_IGNORED) {
      const set = sub === undefined ? isSet(top) : (c[top] as Record<string, unknown> | undefined)?.[sub] !== undefined;
      if (set) {
        problems.push({
          key: ns(sub === undefined ? [top] : [top, sub]),
          message:
            "has no effect in dev: the Docker stack uses only environment, appName, domain and api's image, port and health path; remove it",
        });
      }
    }
  }
  if ((c.environment === "staging" || c.environment === "preview") && c.domain !== undefined) {
    const apex = c.domain.slice(c.domain.indexOf(".") + 1);
    if (!apex.includes(".")) {
      problems.push({
        key: ns(["domain"]),
        message: `must be one label below the zone's apex, such as staging.${c.domain} (got "${c.domain}": its apex would be "${apex}", and the API's name api-${c.domain.split(".")[0]}.${apex})`,
      });
    }
  }
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
  // In dev the section is refused as a whole (below): no advice on how to fill it in.
  if (dns !== undefined && c.environment !== "dev" && (dns.accountId === undefined) === (dns.zoneId === undefined)) {
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
    c.environment !== "dev" &&
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
    c.environment !== undefined &&
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
    isAwsRegion(c.awsRegion) &&
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
    readonly database: {
      readonly allocatedStorageGb: number;
      readonly maxAllocatedStorageGb: number;
      readonly backupRetentionDays?: number;
      readonly multiAz?: boolean;
    };
    readonly network: { readonly azCount: number; readonly availabilityZones?: readonly string[] | undefined };
    readonly officeHours?: OfficeHours | "always";
    readonly environment?: string;
    readonly cacheReplicas?: number;
    readonly apiSource?: Parameters<typeof imageSourceOf>[0];
  },
  project: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  problems.push(...policyAgreement(s, project));
  if (s.apiSource !== undefined) {
    const source = imageSourceOf(s.apiSource);
    // The component's own check (components/api-service/image.ts), reported under the stack file's keys.
    for (const problem of source === undefined ? [] : imageSourceProblems(source)) {
      const [field = "", ...rest] = problem.split(" ");
      const key = IMAGE_KEYS[field];
      if (key !== undefined) problems.push({ key: `${project}:${key}`, message: rest.join(" ") });
    }
  }
  if (typeof s.officeHours === "object") {
    for (const problem of officeHoursProblems(s.officeHours)) {
      problems.push({ key: `${project}:officeHours.${problem.key}`, message: problem.message });
    }
  }
  // Dev runs no Fargate task: its api sizes are refused as keys of their own (checkCombinations), not compared here.
  const fargate = s.environment !== "dev";
  const allowed = FARGATE_MEMORY_BY_CPU[s.api.cpu] ?? [];
  if (fargate && !allowed.includes(s.api.memory)) {
    problems.push({
      key: `${project}:api.memory`,
      message: `must be a memory size Fargate offers for api.cpu ${s.api.cpu}: ${allowed.join(", ")} MiB (got ${s.api.memory})`,
    });
  }
  if (fargate && s.api.minTasks > s.api.maxTasks) {
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

/** Where the API's image fields live in a stack file. */
const IMAGE_KEYS: Readonly<Record<string, string>> = {
  "image.image": "api.image",
  "image.build.context": "api.build.context",
  "image.build.dockerfile": "api.build.dockerfile",
  "image.tag": "api.imageTag",
};

/**
 * The policy pack's thresholds on what the config sets, checked here so that no value passes the config and then
 * fails a rule under an AWS property name: `rds-backup-retention` (staging, production), `rds-multi-az` and
 * `elasticache-failover` (production).
 */
function policyAgreement(
  s: {
    readonly environment?: string;
    readonly database: { readonly backupRetentionDays?: number; readonly multiAz?: boolean };
    readonly cacheReplicas?: number;
  },
  project: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const longLived = s.environment === "staging" || s.environment === "production";
  const days = s.database.backupRetentionDays;
  if (longLived && days !== undefined && days < MIN_BACKUP_RETENTION_DAYS) {
    problems.push({
      key: `${project}:database.backupRetentionDays`,
      message: `must be at least ${MIN_BACKUP_RETENTION_DAYS} in ${s.environment} (policy rds-backup-retention) (got ${days})`,
    });
  }
  if (s.environment === "production" && s.database.multiAz === false) {
    problems.push({
      key: `${project}:database.multiAz`,
      message:
        "cannot be false in production: a standby in a second zone takes over in a zone outage (policy rds-multi-az)",
    });
  }
  if (s.environment === "production" && s.cacheReplicas === 0) {
    problems.push({
      key: `${project}:cache.replicas`,
      message:
        "must be at least 1 in production: automatic failover and Multi-AZ need a replica (policy elasticache-failover) (got 0)",
    });
  }
  return problems;
}
