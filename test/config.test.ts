import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, REDACTED, type RawStackConfig } from "../infra/config";
import { parseConfig } from "../infra/parse-config";
import { main } from "../synth/cli";
import type { StackFileConfig } from "../infra/stack-file";
import {
  FIXTURE_STACKS,
  physical,
  previewConfig,
  PROJECT,
  stackFile,
  STACKS,
  synthFailure,
  variant,
} from "./helpers/synth";
import { tempDir } from "./helpers/temp";

/** What `infra/program.ts` hands `parseConfig` for a stack file (namespace stripped). */
function raw(file: StackFileConfig): RawStackConfig {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(file.config)) {
    if (key.startsWith(`${PROJECT}:`)) values[key.slice(PROJECT.length + 1)] = value;
  }
  const secretKeys = new Set(file.secretKeys.map((k) => k.slice(PROJECT.length + 1)));
  return { project: file.project, stack: file.stack, values, secretKeys };
}

// The repository's own Pulumi.<stack>.yaml are the user's: test/examples.test.ts checks them.
describe("the test stack files", () => {
  test.each(STACKS)("Pulumi.%s.yaml parses and its environment matches the stack", (stack) => {
    const config = parseConfig(raw(stackFile(stack)));
    expect(config.environment).toBe(stack);
    expect(config.stackFile).toBe(`Pulumi.${stack}.yaml`);
  });

  test("a pr-<n> stack is a preview and knows its number", () => {
    const config = parseConfig(raw(previewConfig(42)));
    expect(config.environment).toBe("preview");
    expect(config.previewNumber).toBe(42);
  });
});

const F = "Pulumi.production.yaml";
/** The production file's api block, kept when a case changes other api keys. */
const API = JSON.parse(stackFile("production").config[`${PROJECT}:api`]!) as Record<string, unknown>;
const K = `${F}: ${PROJECT}`;

/** Each malformed config (changes to the test production file) and the exact line its error must contain. */
const CATALOGUE: Array<[string, StackFileConfig, string]> = [
  [
    "a word where a number belongs",
    variant("production", { database: { backupRetentionDays: "seven" } }),
    `${K}:database.backupRetentionDays must be an integer from 1 to 35 (got "seven")`,
  ],
  [
    "retention beyond what RDS allows",
    variant("production", { database: { backupRetentionDays: 36 } }),
    `${K}:database.backupRetentionDays must be an integer from 1 to 35 (got 36)`,
  ],
  [
    "an unknown environment",
    variant("production", { environment: "prod" }),
    `${K}:environment must be one of "dev", "staging", "production", "preview" (got "prod")`,
  ],
  [
    "a missing app name",
    variant("production", { appName: undefined }),
    `${K}:appName must be 3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (not set)`,
  ],
  [
    "a URL where a domain belongs",
    variant("production", { domain: "https://acme-app.com" }),
    `${K}:domain must be a lowercase DNS name such as example.com (got "https://acme-app.com")`,
  ],
  [
    "a region that is not a region code",
    variant("production", { awsRegion: "europe" }),
    `${K}:awsRegion must be an AWS region code such as eu-west-1 (got "europe")`,
  ],
  [
    "an account id that is not one",
    variant("production", { awsAccountId: "1234-5678" }),
    `${K}:awsAccountId must be a 12-digit AWS account id such as "123456789012" (quoted in YAML) (got "1234-5678")`,
  ],
  [
    "backup copies in the primary region",
    variant("production", { database: { backupCopyRegion: "eu-west-1" } }),
    `${K}:database.backupCopyRegion must be another region than awsRegion: a copy in the same region does not survive a regional outage (got "eu-west-1")`,
  ],
  [
    "production in a region without a default backup pair",
    variant("production", { awsRegion: "sa-east-1" }),
    `${K}:database.backupCopyRegion must name the region that keeps production's backup copies: awsRegion sa-east-1 has no default pair (not set)`,
  ],
  [
    "a cloud stack without a region",
    variant("production", { awsRegion: undefined }),
    `${K}:awsRegion is required for a production stack: an AWS region code such as eu-west-1 (not set)`,
  ],
  [
    "a VPC block too large",
    variant("production", { network: { cidr: "10.0.0.0/8" } }),
    `${K}:network.cidr must be an IPv4 network in CIDR form with prefix /16 to /24 whose address is the network's first address, such as 10.20.0.0/16 (got "10.0.0.0/8")`,
  ],
  [
    "a VPC block with host bits set",
    variant("production", { network: { cidr: "10.0.0.1/16" } }),
    `${K}:network.cidr must be an IPv4 network in CIDR form with prefix /16 to /24 whose address is the network's first address, such as 10.20.0.0/16 (got "10.0.0.1/16")`,
  ],
  [
    "four availability zones",
    variant("production", { network: { azCount: 4 } }),
    `${K}:network.azCount must be 2 or 3 (got 4)`,
  ],
  [
    "an unknown NAT mode",
    variant("production", { network: { natGateways: "two" } }),
    `${K}:network.natGateways must be one of "none", "instance", "single", "perAz" (got "two")`,
  ],
  [
    "no NAT in production",
    variant("production", { network: { natGateways: "none" } }),
    `${K}:network.natGateways cannot be "none" in production: private services need egress; use "instance" (cheapest), "single" or "perAz" (HA) (got "none")`,
  ],
  [
    "a log retention CloudWatch rejects",
    variant("production", { network: { flowLogRetentionDays: 10 } }),
    `${K}:network.flowLogRetentionDays must be one of the retention periods CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) (got 10)`,
  ],
  [
    "an alert recipient that is not an address",
    variant("production", { alerts: { emails: ["ops-at-acme"] } }),
    `${K}:alerts.emails.0 must be an email address (got "ops-at-acme")`,
  ],
  [
    "production without alert recipients",
    variant("production", { alerts: undefined }),
    `${K}:alerts.emails must list at least one address that receives production alerts (not set)`,
  ],
  [
    "unprotected production",
    variant("production", { protect: false }),
    `${K}:protect cannot be false in production: stateful resources stay protected (unprotect one deliberately with \`pulumi state unprotect\`)`,
  ],
  [
    "a misspelt top-level key",
    variant("production", { databse: { multiAz: true } }),
    `${K}:databse is not a known setting (did you mean "database"?)`,
  ],
  [
    "a misspelt nested key",
    variant("production", { database: { multiAZ: true } }),
    `${K}:database.multiAZ is not a known setting (did you mean "multiAz"?)`,
  ],
  [
    "a yes where a boolean belongs",
    variant("production", { database: { multiAz: "yes" } }),
    `${K}:database.multiAz must be true or false (got "yes")`,
  ],
  [
    "a negative usage assumption",
    variant("production", { costAssumptions: { natDataGb: -1 } }),
    `${K}:costAssumptions.natDataGb must be a non-negative number such as 10 (got -1)`,
  ],
  [
    "an unknown usage assumption",
    variant("production", { costAssumptions: { natGb: 1 } }),
    `${K}:costAssumptions.natGb is not a known setting (did you mean "natDataGb"?)`,
  ],
  [
    "an unknown size",
    variant("production", { size: "medium" }),
    `${K}:size must be one of "small", "large" (got "medium")`,
  ],
  [
    "the removed Slack webhook key",
    variant("production", { slackWebhookUrl: "https://hooks.slack.com/services/T/B/x" }),
    `${K}:slackWebhookUrl is no longer read: SNS cannot deliver to a Slack incoming webhook (it never confirms the subscription). Remove it (\`pulumi config rm slackWebhookUrl\`) and set alerts.slack.workspaceId and alerts.slack.channelId (see docs/components/monitoring.md)`,
  ],
  [
    "a Slack channel name where its id belongs",
    variant("production", {
      alerts: { emails: ["a@b.co"], slack: { workspaceId: "T0123ABCD", channelId: "#alerts" } },
    }),
    `${K}:alerts.slack.channelId must be a Slack channel id (the end of the channel's link), such as C0123ABCDEF (got "#alerts")`,
  ],
  [
    "a lowercase Slack workspace id",
    variant("production", { alerts: { emails: ["a@b.co"], slack: { workspaceId: "acme", channelId: "C0123ABCDEF" } } }),
    `${K}:alerts.slack.workspaceId must be the Slack workspace id shown in the AWS Chatbot console after authorising the workspace, such as T0123ABCD (got "acme")`,
  ],
  [
    "a prebuilt image and a build context both given",
    variant("production", { api: { ...API, image: "ghcr.io/acme/api:1.4.2" } }),
    `${K}:api.image and api.build are both set: give a prebuilt image or a build context, not both`,
  ],
  [
    "neither an image nor a build context",
    variant("production", { api: { certificateArn: API["certificateArn"] } }),
    `${K}:api.build or api.image must be set: the build context of the API (such as examples/api) or a prebuilt image (not set)`,
  ],
  [
    "a cloud stack with neither a DNS zone nor a certificate for the API",
    variant("production", { dns: undefined }),
    `${K}:api.certificateArn is required for a cloud stack without a dns section: the ACM certificate of the API's hostname in awsRegion (not set)`,
  ],
  [
    "a certificate given while the DNS zone makes one",
    variant("production", { api: { ...API, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0000" } }),
    `${K}:api.certificateArn must not be set with a dns section: the DNS zone creates and validates the API's certificate`,
  ],
  [
    "origin pulls authenticated for an API Cloudflare does not proxy",
    variant("production", {
      dns: { zoneId: "fedcba9876543210fedcba9876543210", proxied: false, authenticatedOriginPulls: true },
    }),
    `${K}:dns.authenticatedOriginPulls needs dns.proxied: true: only Cloudflare's proxy presents the client certificate, so an unproxied API would refuse every client; remove one of the two`,
  ],
  [
    "an origin-pull switch that is not a boolean",
    variant("production", { dns: { zoneId: "fedcba9876543210fedcba9876543210", authenticatedOriginPulls: "yes" } }),
    `${K}:dns.authenticatedOriginPulls must be true or false (got "yes")`,
  ],
  [
    "a staging stack that tries to create the zone",
    variant("staging", { dns: { accountId: "0123456789abcdef0123456789abcdef" } }),
    `Pulumi.staging.yaml: ${PROJECT}:dns.accountId is only for production, which owns the zone; other stacks adopt it with dns.zoneId`,
  ],
  [
    "a zone both created and adopted",
    variant("production", {
      dns: { accountId: "0123456789abcdef0123456789abcdef", zoneId: "fedcba9876543210fedcba9876543210" },
    }),
    `${K}:dns.accountId and dns.zoneId are both set: give the account to create the zone in, or the zone to adopt, not both`,
  ],
  [
    "a rate-limit period Cloudflare does not offer",
    variant("production", {
      dns: {
        accountId: "0123456789abcdef0123456789abcdef",
        plan: "pro",
        rateLimits: { api: { requests: 100, periodSeconds: 45 } },
      },
    }),
    `${K}:dns.rateLimits.api.periodSeconds must be a period Cloudflare offers: 10, 60, 120, 300, 600, 3600 (got 45)`,
  ],
  [
    "a rate-limit period beyond the zone's plan",
    variant("production", {
      dns: { accountId: "0123456789abcdef0123456789abcdef", rateLimits: { auth: { requests: 5, periodSeconds: 600 } } },
    }),
    `${K}:dns.rateLimits.auth.periodSeconds must be at most 10 on the Free plan, which Cloudflare limits to periods of 10 s (got 600); raise dns.plan if the zone has a higher plan`,
  ],
  [
    "an API-wide rate limit on the Free plan, which allows one rule",
    variant("production", {
      dns: { accountId: "0123456789abcdef0123456789abcdef", rateLimits: { api: { requests: 100, periodSeconds: 10 } } },
    }),
    `${K}:dns.rateLimits.api needs a second rate-limiting rule, and the Free plan allows 1 (used by rateLimits.auth); remove it or raise dns.plan`,
  ],
  [
    "rate limits on staging, which does not own the zone",
    variant("staging", {
      dns: { zoneId: "fedcba9876543210fedcba9876543210", rateLimits: { auth: { requests: 5, periodSeconds: 10 } } },
    }),
    `Pulumi.staging.yaml: ${PROJECT}:dns.rateLimits is only for production, which owns the zone and its one rate-limiting ruleset`,
  ],
  [
    "a branch-scoped frontend outside a preview stack",
    variant("production", { web: { framework: "nextjs", gitBranch: "feature/x" } }),
    `${K}:web.gitBranch is only for a pr-<number> stack, which adds branch-scoped variables to staging's project`,
  ],
  [
    "a preview with staging's project but no branch",
    variant("staging", { environment: "preview", web: { projectId: "prj_AbC123" } }, "pr-7"),
    `Pulumi.pr-7.yaml: ${PROJECT}:web.gitBranch must be set together with web.projectId and web.gitBranch: staging's project and the PR's branch (not set)`,
  ],
  [
    "a staging environment in the production stack",
    variant("production", { environment: "staging", dns: { zoneId: "fedcba9876543210fedcba9876543210" } }),
    `${K}:environment must be "production" in the production stack (got "staging")`,
  ],
  [
    "a CPU size Fargate does not offer",
    variant("production", { api: { ...API, cpu: 300 } }),
    `${K}:api.cpu must be one of the Fargate CPU sizes 256, 512, 1024, 2048, 4096, 8192, 16384 (got 300)`,
  ],
  [
    "a memory size that does not fit the CPU",
    variant("production", { api: { ...API, cpu: 256, memory: 4096 } }),
    `${K}:api.memory must be a memory size Fargate offers for api.cpu 256: 512, 1024, 2048 MiB (got 4096)`,
  ],
  [
    "more minimum than maximum tasks",
    variant("production", { api: { ...API, minTasks: 5, maxTasks: 2 } }),
    `${K}:api.minTasks must not exceed api.maxTasks (2) (got 5)`,
  ],
  [
    "a storage ceiling below the allocated storage",
    variant("production", { database: { allocatedStorageGb: 100, maxAllocatedStorageGb: 50 } }),
    `${K}:database.maxAllocatedStorageGb must equal the allocated storage (100) to turn storage autoscaling off, or be at least 110: RDS refuses a ceiling less than 10 % above the allocation (got 50)`,
  ],
  [
    "a storage ceiling less than 10 % above the allocated storage",
    variant("production", { database: { allocatedStorageGb: 100, maxAllocatedStorageGb: 105 } }),
    `${K}:database.maxAllocatedStorageGb must equal the allocated storage (100) to turn storage autoscaling off, or be at least 110: RDS refuses a ceiling less than 10 % above the allocation (got 105)`,
  ],
  [
    "a zone listed twice",
    variant("production", { network: { azCount: 3, availabilityZones: ["eu-west-1a", "eu-west-1a", "eu-west-1b"] } }),
    `${K}:network.availabilityZones must not repeat a zone (got ["eu-west-1a","eu-west-1a","eu-west-1b"])`,
  ],
  [
    "a zone of another region",
    variant("production", { network: { azCount: 3, availabilityZones: ["eu-west-1a", "eu-west-1b", "us-east-1a"] } }),
    `${K}:network.availabilityZones must be zones of awsRegion eu-west-1 (got ["us-east-1a"])`,
  ],
  [
    "fewer zones than azCount",
    variant("production", { network: { azCount: 3, availabilityZones: ["eu-west-1a", "eu-west-1b"] } }),
    `${K}:network.availabilityZones must list exactly network.azCount (3) zones (got 2)`,
  ],
  [
    "a region AWS does not have",
    variant("production", { awsRegion: "eu-west-9" }),
    `${K}:awsRegion must be a region AWS offers, such as eu-west-1 (got "eu-west-9"; did you mean "eu-west-1"?)`,
  ],
  [
    "a backup copy region AWS does not have",
    variant("production", { database: { backupCopyRegion: "eu-centrl-1" } }),
    `${K}:database.backupCopyRegion must be a region AWS offers, such as eu-west-1 (got "eu-centrl-1"; did you mean "eu-central-1"?)`,
  ],
  [
    "a public range for the VPC",
    variant("production", { network: { cidr: "52.20.0.0/16" } }),
    `${K}:network.cidr must be a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): a public range hides those internet addresses from the VPC and collides with real hosts (got "52.20.0.0/16")`,
  ],
  [
    "a cloud-only key in dev",
    variant("dev", { database: { multiAz: true } }),
    `Pulumi.dev.yaml: ${PROJECT}:database has no effect in dev: the Docker stack uses only environment, appName, domain and api's image, port and health path; remove it`,
  ],
  [
    "a cloud-only api key in dev",
    variant("dev", { api: { build: { context: "test/fixtures/api" }, cpu: 512 } }),
    `Pulumi.dev.yaml: ${PROJECT}:api.cpu has no effect in dev: the Docker stack uses only environment, appName, domain and api's image, port and health path; remove it`,
  ],
  [
    "a build context that does not exist",
    variant("production", { api: { build: { context: "no/such/api" } } }),
    `${K}:api.build.context must be an existing folder (got "no/such/api")`,
  ],
  [
    "a Dockerfile missing from the build context",
    variant("production", { api: { build: { context: "test/fixtures/api", dockerfile: "Prod.Dockerfile" } } }),
    `${K}:api.build.dockerfile must be a file in the context (no test/fixtures/api/Prod.Dockerfile)`,
  ],
  [
    "a staging domain with no apex above it",
    variant("staging", { domain: "acme-app.com" }),
    `Pulumi.staging.yaml: ${PROJECT}:domain must be one label below the zone's apex, such as staging.acme-app.com (got "acme-app.com": its apex would be "com", and the API's name api-acme-app.com)`,
  ],
  [
    "a staging backup retention the policy pack would refuse",
    variant("staging", { database: { backupRetentionDays: 3 } }),
    `Pulumi.staging.yaml: ${PROJECT}:database.backupRetentionDays must be at least 7 in staging (policy rds-backup-retention) (got 3)`,
  ],
  [
    "office hours in production",
    variant("production", { officeHours: { from: 8 } }),
    `${K}:officeHours cannot be set in production: production is always on (office hours put staging and previews to sleep)`,
  ],
  [
    "office hours in dev",
    variant("dev", { officeHours: { from: 8 } }),
    `Pulumi.dev.yaml: ${PROJECT}:officeHours has no effect in dev: your Docker stack runs when you start it (office hours apply to staging and previews)`,
  ],
  [
    "office hours that end before the preset's start",
    variant("staging", { officeHours: { to: 6 } }),
    `Pulumi.staging.yaml: ${PROJECT}:officeHours.to must be a later hour than from (8) (got 6)`,
  ],
  [
    "office hours in a time zone that does not exist",
    variant("staging", { officeHours: { timezone: "Europe/Atlantis" } }),
    `Pulumi.staging.yaml: ${PROJECT}:officeHours.timezone must be an IANA time zone such as UTC or Europe/Dublin (got "Europe/Atlantis")`,
  ],
  [
    "office hours given as a word other than always",
    variant("staging", { officeHours: "never" }),
    `Pulumi.staging.yaml: ${PROJECT}:officeHours must be "always" or an object with days, from, to and timezone (got "never")`,
  ],
  [
    "a preview stack that claims to be staging",
    variant("staging", { environment: "staging" }, "pr-7"),
    `Pulumi.pr-7.yaml: ${PROJECT}:environment must be "preview" for a pr-<number> stack (got "staging")`,
  ],
  [
    "preview settings in a stack not named pr-<n>",
    variant("staging", { environment: "preview" }),
    `Pulumi.staging.yaml: ${PROJECT}:environment "preview" is only for stacks named pr-<number>, such as pr-42 (this stack is "staging")`,
  ],
];

describe("a malformed config is rejected before any resource is declared", () => {
  test.each(CATALOGUE)("%s", async (_what, config, line) => {
    const error = await synthFailure(config);
    expect(error.cause).toBeInstanceOf(ConfigError);
    expect(error.message.split("\n")).toContain(`  ${line}`);
    expect(error.message.split("\n")).toHaveLength(2);
    expect(physical(error.declared)).toEqual([]);
    expect(error.declared.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});

describe("a stack file with three mistakes", () => {
  const dir = tempDir("synth-three-mistakes");
  copyFileSync(join(FIXTURE_STACKS, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  writeFileSync(
    join(dir, "Pulumi.production.yaml"),
    [
      "config:",
      "  saas-platform:environment: production",
      "  saas-platform:appName: Acme_App",
      "  saas-platform:domain: acme-app.com",
      "  saas-platform:awsRegion: eu-west-1",
      "  saas-platform:alerts:",
      "    emails: [ops@acme-app.com]",
      "  saas-platform:database:",
      "    backupRetentionDays: seven",
      "  saas-platform:netwrk:",
      "    cidr: 10.0.0.0/16",
      "  saas-platform:api:",
      "    image: ghcr.io/acme/api:1.4.2",
      "    certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000",
      "",
    ].join("\n"),
  );

  test("prints three named errors and exits non-zero", async () => {
    const { code, out, err } = await main(["production"], dir);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toBe(
      [
        "error: Pulumi.production.yaml has 3 configuration problems:",
        `  ${K}:appName must be 3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (got "Acme_App")`,
        `  ${K}:database.backupRetentionDays must be an integer from 1 to 35 (got "seven")`,
        `  ${K}:netwrk is not a known setting (did you mean "network"?)`,
        "",
      ].join("\n"),
    );
  });
});

test("problems on single keys, across keys and against the preset are all reported in one run", async () => {
  const error = await synthFailure(
    variant("production", {
      appName: "Acme_App",
      awsRegion: undefined,
      protect: false,
      api: { ...API, cpu: 256, memory: 4096 },
    }),
  );
  expect(error.message.split("\n")).toEqual([
    "Pulumi.production.yaml has 4 configuration problems:",
    `  ${K}:appName must be 3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (got "Acme_App")`,
    `  ${K}:awsRegion is required for a production stack: an AWS region code such as eu-west-1 (not set)`,
    `  ${K}:protect cannot be false in production: stateful resources stay protected (unprotect one deliberately with \`pulumi state unprotect\`)`,
    `  ${K}:api.memory must be a memory size Fargate offers for api.cpu 256: 512, 1024, 2048 MiB (got 4096)`,
  ]);
});

test("a key that is invalid on its own is not reported again by the rules across keys", async () => {
  const error = await synthFailure(variant("production", { alerts: { emails: "ops@acme-app.com" } }));
  expect(error.message.split("\n")).toEqual([
    "Pulumi.production.yaml has 1 configuration problem:",
    `  ${K}:alerts.emails must be a list of email addresses (got "ops@acme-app.com")`,
  ]);
});

describe("a value set with --secret is never printed", () => {
  const secretValue = "s3cr3t-Region-Value";
  const base = raw(stackFile("production"));
  const withSecret = (key: string, value: string): RawStackConfig => ({
    ...base,
    values: { ...base.values, [key]: value },
    secretKeys: new Set([key]),
  });
  const messageOf = (config: RawStackConfig): string => {
    try {
      parseConfig(config);
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    throw new Error("expected a ConfigError");
  };

  test("an invalid secret value is named by its key, not quoted", () => {
    const message = messageOf(withSecret("awsRegion", secretValue));
    expect(message).toContain(`saas-platform:awsRegion must be an AWS region code such as eu-west-1 (got ${REDACTED})`);
    expect(message).not.toContain(secretValue);
  });

  test("the same invalid value set in plain text is quoted, so the redaction is what hides it", () => {
    const message = messageOf({ ...withSecret("awsRegion", secretValue), secretKeys: new Set() });
    expect(message).toContain(`(got "${secretValue}")`);
  });

  test("a secret inside an object is not quoted by a rule across keys either", () => {
    // backupCopyRegion equal to awsRegion: the cross-key rule quotes the region it got.
    const config = withSecret("database", JSON.stringify({ backupCopyRegion: "eu-west-1" }));
    const message = messageOf(config);
    expect(message).toContain("saas-platform:database.backupCopyRegion must be another region than awsRegion");
    expect(message).not.toContain('"eu-west-1"');
    expect(message).toContain(`[${REDACTED}]`);
  });
});
