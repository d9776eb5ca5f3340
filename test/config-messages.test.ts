/**
 * The problem line a user reads for every key of the stack-file schema (infra/config.ts) when its value has the wrong
 * type (a number where text is expected, text where a number, flag, list or object is expected) and, for keys with a
 * pattern, a list of choices or bounds, when a value of the right type has the wrong form. Each case gives one key a
 * wrong value in an otherwise valid stack file and asserts the exact list of lines, so a blanked, swapped or extra
 * message fails. The expected text is the specification and is written out here, not taken from the source.
 */
import { ConfigError, type RawStackConfig } from "../infra/config";
import { API_CONTEXT } from "./helpers/synth";
import { rawConfig as raw, problemLines as lines } from "./helpers/config";

const P = "saas-platform";
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";

const STAGING = {
  environment: "staging",
  appName: "acme-app",
  domain: "staging.acme-app.com",
  awsRegion: "eu-west-1",
  alerts: { emails: ["ops@acme-app.com"] },
  api: { build: { context: API_CONTEXT }, certificateArn: CERT },
};
const PRODUCTION = { ...STAGING, environment: "production", domain: "acme-app.com" };

/** The staging file with some top-level keys replaced. */
const staging = (changes: Record<string, unknown>): RawStackConfig => raw({ ...STAGING, ...changes }, "staging");
/** The production file with some top-level keys replaced (for keys only production takes, such as dns.rateLimits). */
const production = (changes: Record<string, unknown>): RawStackConfig =>
  raw({ ...PRODUCTION, ...changes }, "production");
/** The staging file with keys of the api section replaced. */
const api = (changes: Record<string, unknown>): RawStackConfig => staging({ api: { ...STAGING.api, ...changes } });
/** The staging file with one worker service whose keys are replaced. */
const worker = (changes: Record<string, unknown>): RawStackConfig =>
  staging({ services: { worker: { kind: "worker", build: { context: API_CONTEXT }, ...changes } } });
/** The staging file with appSecrets set with --secret, as it must be. */
const appSecrets = (value: unknown): RawStackConfig =>
  raw({ ...STAGING, appSecrets: value }, "staging", ["appSecrets"]);

type Case = readonly [title: string, file: RawStackConfig, expected: readonly string[]];

const check = (_title: string, file: RawStackConfig, expected: readonly string[]): void => {
  expect(lines(file)).toEqual(expected);
};

const RETENTION =
  "must be one of the retention periods CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)";
const CPU = "must be one of the Fargate CPU sizes 256, 512, 1024, 2048, 4096, 8192, 16384";
const MIGRATION_COMMAND = 'must be a command of non-empty words such as ["npm", "run", "migrate"]';
const SERVICE_COMMAND = 'must be a command as a list, such as ["node", "worker.js"]';
const TIME_ZONE = "must be an IANA time zone such as UTC or Europe/Dublin";

describe("top-level keys", () => {
  test.each<Case>([
    [
      "environment: a word that is not an environment gets the list of environments",
      staging({ environment: "prod" }),
      [`${P}:environment must be one of "dev", "staging", "production", "preview" (got "prod")`],
    ],
    [
      "appName: capitals get the app-name rule",
      staging({ appName: "Acme" }),
      [
        `${P}:appName must be 3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (got "Acme")`,
      ],
    ],
    [
      "domain: a name with capitals gets the DNS-name message",
      staging({ domain: "Staging.Acme.com" }),
      [`${P}:domain must be a lowercase DNS name such as example.com (got "Staging.Acme.com")`],
    ],
    [
      "namePrefix: a name ending in a hyphen gets the name-prefix rule",
      staging({ namePrefix: "acme-" }),
      [
        `${P}:namePrefix must be 3 to 24 lowercase letters, digits or hyphens, such as acme-app (the first part of every physical name) (got "acme-")`,
      ],
    ],
    [
      "awsRegion: a word that is not a region code gets the region message",
      staging({ awsRegion: "ireland" }),
      [`${P}:awsRegion must be an AWS region code such as eu-west-1 (got "ireland")`],
    ],
    [
      "awsAccountId: a short id gets the account-id message",
      staging({ awsAccountId: "12345" }),
      [`${P}:awsAccountId must be a 12-digit AWS account id such as "123456789012" (quoted in YAML) (got "12345")`],
    ],
    [
      "protect: a word instead of a flag gets true-or-false",
      staging({ protect: "yes" }),
      [`${P}:protect must be true or false (got "yes")`],
    ],
    [
      "protect: a number instead of a flag gets true-or-false",
      staging({ protect: 1 }),
      [`${P}:protect must be true or false (got 1)`],
    ],
    [
      "size: a size that is not offered gets the list of sizes",
      staging({ size: "medium" }),
      [`${P}:size must be one of "small", "large" (got "medium")`],
    ],
    [
      "stagingStack: a bare stack name gets the fully-qualified-name message",
      raw({ ...STAGING, environment: "preview", domain: "pr-7.acme-app.com", stagingStack: "staging" }, "pr-7"),
      [
        `${P}:stagingStack must be a fully qualified stack name <organization>/<project>/<stack>, such as acme/saas-platform/staging (got "staging")`,
      ],
    ],
  ])("%s", check);
});

describe("alerts", () => {
  test.each<Case>([
    [
      "alerts.emails: one address as text instead of a list gets the list message",
      staging({ alerts: { emails: "ops@acme-app.com" } }),
      [`${P}:alerts.emails must be a list of email addresses (got "ops@acme-app.com")`],
    ],
    [
      "alerts.emails: a number in the list gets the email-address message",
      staging({ alerts: { emails: [5] } }),
      [`${P}:alerts.emails.0 must be an email address (got 5)`],
    ],
    [
      "alerts.emails: a word that is not an address gets the email-address message",
      staging({ alerts: { emails: ["ops"] } }),
      [`${P}:alerts.emails.0 must be an email address (got "ops")`],
    ],
    [
      "alerts.slack.workspaceId: a number instead of text gets the workspace-id message",
      staging({ alerts: { emails: ["ops@acme-app.com"], slack: { workspaceId: 5, channelId: "C0123ABCDEF" } } }),
      [
        `${P}:alerts.slack.workspaceId must be the Slack workspace id shown in the AWS Chatbot console after authorising the workspace, such as T0123ABCD (got 5)`,
      ],
    ],
    [
      "alerts.slack.workspaceId: lowercase letters get the workspace-id message",
      staging({ alerts: { emails: ["ops@acme-app.com"], slack: { workspaceId: "acme", channelId: "C0123ABCDEF" } } }),
      [
        `${P}:alerts.slack.workspaceId must be the Slack workspace id shown in the AWS Chatbot console after authorising the workspace, such as T0123ABCD (got "acme")`,
      ],
    ],
    [
      "alerts.slack.channelId: a number instead of text gets the channel-id message",
      staging({ alerts: { emails: ["ops@acme-app.com"], slack: { workspaceId: "T0123ABCD", channelId: 5 } } }),
      [
        `${P}:alerts.slack.channelId must be a Slack channel id (the end of the channel's link), such as C0123ABCDEF (got 5)`,
      ],
    ],
    [
      "alerts.slack.channelId: a channel name with # gets the channel-id message",
      staging({ alerts: { emails: ["ops@acme-app.com"], slack: { workspaceId: "T0123ABCD", channelId: "#ops" } } }),
      [
        `${P}:alerts.slack.channelId must be a Slack channel id (the end of the channel's link), such as C0123ABCDEF (got "#ops")`,
      ],
    ],
  ])("%s", check);
});

describe("network", () => {
  test.each<Case>([
    [
      "network.cidr: a number instead of text gets the CIDR message",
      staging({ network: { cidr: 10 } }),
      [`${P}:network.cidr must be an IPv4 CIDR block such as 10.20.0.0/16 (got 10)`],
    ],
    [
      "network.cidr: an address without a prefix gets the CIDR-form message",
      staging({ network: { cidr: "10.20.0.0" } }),
      [
        `${P}:network.cidr must be an IPv4 network in CIDR form with prefix /16 to /24 whose address is the network's first address, such as 10.20.0.0/16 (got "10.20.0.0")`,
      ],
    ],
    [
      "network.azCount: text instead of a number gets 2-or-3",
      staging({ network: { azCount: "2" } }),
      [`${P}:network.azCount must be 2 or 3 (got "2")`],
    ],
    [
      "network.azCount: 4 gets 2-or-3",
      staging({ network: { azCount: 4 } }),
      [`${P}:network.azCount must be 2 or 3 (got 4)`],
    ],
    [
      "network.natGateways: a mode that does not exist gets the list of modes",
      staging({ network: { natGateways: "double" } }),
      [`${P}:network.natGateways must be one of "none", "instance", "single", "perAz" (got "double")`],
    ],
    [
      "network.natGateways: a number gets the list of modes",
      staging({ network: { natGateways: 2 } }),
      [`${P}:network.natGateways must be one of "none", "instance", "single", "perAz" (got 2)`],
    ],
    [
      "network.flowLogRetentionDays: text instead of a number gets the retention periods",
      staging({ network: { flowLogRetentionDays: "7" } }),
      [`${P}:network.flowLogRetentionDays ${RETENTION} (got "7")`],
    ],
    [
      "network.flowLogRetentionDays: a period CloudWatch does not offer gets the retention periods",
      staging({ network: { flowLogRetentionDays: 10 } }),
      [`${P}:network.flowLogRetentionDays ${RETENTION} (got 10)`],
    ],
    [
      "network.availabilityZones: text instead of a list gets the list message",
      staging({ network: { availabilityZones: "eu-west-1a" } }),
      [
        `${P}:network.availabilityZones must be a list of availability zone names such as [eu-west-1a, eu-west-1b] (got "eu-west-1a")`,
      ],
    ],
    [
      "network.availabilityZones: a region instead of a zone gets the zone-name message",
      staging({ network: { availabilityZones: ["eu-west-1", "eu-west-1b"] } }),
      [`${P}:network.availabilityZones.0 must be an availability zone name such as eu-west-1a (got "eu-west-1")`],
    ],
    [
      "network.availabilityZones: a number in the list gets the zone-name message",
      staging({ network: { availabilityZones: ["eu-west-1a", 2] } }),
      [`${P}:network.availabilityZones.1 must be an availability zone name such as eu-west-1a (got 2)`],
    ],
  ])("%s", check);
});

describe("database", () => {
  test.each<Case>([
    [
      "database.instanceClass: a number gets the instance-class message",
      staging({ database: { instanceClass: 5 } }),
      [`${P}:database.instanceClass must be an RDS instance class such as db.t4g.small (got 5)`],
    ],
    [
      "database.instanceClass: a class without db. gets the instance-class message",
      staging({ database: { instanceClass: "t4g.small" } }),
      [`${P}:database.instanceClass must be an RDS instance class such as db.t4g.small (got "t4g.small")`],
    ],
    [
      "database.engineVersion: a number gets the version message",
      staging({ database: { engineVersion: 17 } }),
      [`${P}:database.engineVersion must be a PostgreSQL major or major.minor version such as "17" or "16.4" (got 17)`],
    ],
    [
      "database.engineVersion: a word gets the version message",
      staging({ database: { engineVersion: "latest" } }),
      [
        `${P}:database.engineVersion must be a PostgreSQL major or major.minor version such as "17" or "16.4" (got "latest")`,
      ],
    ],
    [
      "database.allocatedStorageGb: text gets the storage range",
      staging({ database: { allocatedStorageGb: "20" } }),
      [`${P}:database.allocatedStorageGb must be an integer from 20 to 65536 (got "20")`],
    ],
    [
      "database.allocatedStorageGb: below 20 gets the storage range",
      staging({ database: { allocatedStorageGb: 10 } }),
      [`${P}:database.allocatedStorageGb must be an integer from 20 to 65536 (got 10)`],
    ],
    [
      "database.maxAllocatedStorageGb: text gets the storage range",
      staging({ database: { maxAllocatedStorageGb: "100" } }),
      [`${P}:database.maxAllocatedStorageGb must be an integer from 20 to 65536 (got "100")`],
    ],
    [
      "database.maxAllocatedStorageGb: above 65536 gets the storage range",
      staging({ database: { maxAllocatedStorageGb: 70000 } }),
      [`${P}:database.maxAllocatedStorageGb must be an integer from 20 to 65536 (got 70000)`],
    ],
    [
      "database.backupRetentionDays: text gets the retention range",
      staging({ database: { backupRetentionDays: "7" } }),
      [`${P}:database.backupRetentionDays must be an integer from 1 to 35 (got "7")`],
    ],
    [
      "database.backupRetentionDays: a fraction gets the retention range",
      staging({ database: { backupRetentionDays: 7.5 } }),
      [`${P}:database.backupRetentionDays must be an integer from 1 to 35 (got 7.5)`],
    ],
    [
      "database.multiAz: a word gets true-or-false",
      staging({ database: { multiAz: "yes" } }),
      [`${P}:database.multiAz must be true or false (got "yes")`],
    ],
    [
      "database.backupCopyRegion: a number gets the region message",
      staging({ database: { backupCopyRegion: 1 } }),
      [`${P}:database.backupCopyRegion must be an AWS region code such as eu-central-1 (got 1)`],
    ],
    [
      "database.backupCopyRegion: a city name gets the region message",
      staging({ database: { backupCopyRegion: "frankfurt" } }),
      [`${P}:database.backupCopyRegion must be an AWS region code such as eu-central-1 (got "frankfurt")`],
    ],
  ])("%s", check);
});

describe("cache", () => {
  test.each<Case>([
    [
      "cache.nodeType: a number gets the node-type message",
      staging({ cache: { nodeType: 5 } }),
      [`${P}:cache.nodeType must be an ElastiCache node type such as cache.t4g.small (got 5)`],
    ],
    [
      "cache.nodeType: an RDS class gets the node-type message",
      staging({ cache: { nodeType: "db.t4g.small" } }),
      [`${P}:cache.nodeType must be an ElastiCache node type such as cache.t4g.small (got "db.t4g.small")`],
    ],
    [
      "cache.replicas: text gets the replicas range",
      staging({ cache: { replicas: "1" } }),
      [`${P}:cache.replicas must be an integer from 0 to 5 (got "1")`],
    ],
    [
      "cache.replicas: 6 gets the replicas range",
      staging({ cache: { replicas: 6 } }),
      [`${P}:cache.replicas must be an integer from 0 to 5 (got 6)`],
    ],
    [
      "cache.snapshotRetentionDays: text gets the snapshot range",
      staging({ cache: { snapshotRetentionDays: "7" } }),
      [`${P}:cache.snapshotRetentionDays must be an integer from 0 to 35 (got "7")`],
    ],
    [
      "cache.snapshotRetentionDays: a negative number gets the snapshot range",
      staging({ cache: { snapshotRetentionDays: -1 } }),
      [`${P}:cache.snapshotRetentionDays must be an integer from 0 to 35 (got -1)`],
    ],
  ])("%s", check);
});

describe("api", () => {
  test.each<Case>([
    ["api.cpu: text gets the Fargate CPU sizes", api({ cpu: "256" }), [`${P}:api.cpu ${CPU} (got "256")`]],
    ["api.cpu: a size Fargate does not offer gets the CPU sizes", api({ cpu: 300 }), [`${P}:api.cpu ${CPU} (got 300)`]],
    [
      "api.memory: text gets the memory range",
      api({ memory: "512" }),
      [`${P}:api.memory must be an integer from 512 to 122880 (got "512")`],
    ],
    [
      "api.memory: below 512 gets the memory range",
      api({ memory: 256 }),
      [`${P}:api.memory must be an integer from 512 to 122880 (got 256)`],
    ],
    [
      "api.minTasks: text gets the task range",
      api({ minTasks: "1" }),
      [`${P}:api.minTasks must be an integer from 1 to 100 (got "1")`],
    ],
    [
      "api.minTasks: 0 gets the task range",
      api({ minTasks: 0 }),
      [`${P}:api.minTasks must be an integer from 1 to 100 (got 0)`],
    ],
    [
      "api.maxTasks: text gets the task range",
      api({ maxTasks: "2" }),
      [`${P}:api.maxTasks must be an integer from 1 to 100 (got "2")`],
    ],
    [
      "api.maxTasks: 101 gets the task range",
      api({ maxTasks: 101 }),
      [`${P}:api.maxTasks must be an integer from 1 to 100 (got 101)`],
    ],
    [
      "api.image: a number gets the image-reference message",
      api({ image: 5 }),
      [`${P}:api.image must be an image reference such as ghcr.io/acme/api:1.4.2 (got 5)`],
    ],
    [
      "api.image: a reference with a space gets the image-reference message",
      api({ image: "ghcr.io/acme/api 1.4" }),
      [`${P}:api.image must be an image reference such as ghcr.io/acme/api:1.4.2 (got "ghcr.io/acme/api 1.4")`],
    ],
    [
      "api.build.context: a number gets the folder message",
      api({ build: { context: 5 } }),
      [`${P}:api.build.context must be a folder relative to the project, such as examples/api (got 5)`],
    ],
    [
      "api.build.context: an empty folder gets the folder message",
      api({ build: { context: "" } }),
      [`${P}:api.build.context must be a folder relative to the project, such as examples/api (got "")`],
    ],
    [
      "api.build.dockerfile: a number gets the file-path message",
      api({ build: { context: API_CONTEXT, dockerfile: 5 } }),
      [`${P}:api.build.dockerfile must be a file path such as Dockerfile (got 5)`],
    ],
    [
      "api.build.dockerfile: an empty path gets the file-path message",
      api({ build: { context: API_CONTEXT, dockerfile: "" } }),
      [`${P}:api.build.dockerfile must be a file path such as Dockerfile (got "")`],
    ],
    [
      "api.build.target: a number gets the build-stage message",
      api({ build: { context: API_CONTEXT, target: 5 } }),
      [`${P}:api.build.target must be a build stage name (got 5)`],
    ],
    [
      "api.build.target: an empty name gets the build-stage message",
      api({ build: { context: API_CONTEXT, target: "" } }),
      [`${P}:api.build.target must be a build stage name (got "")`],
    ],
    [
      "api.imageTag: a number gets the Docker-tag message",
      api({ imageTag: 5 }),
      [`${P}:api.imageTag must be a Docker tag (letters, digits, _ . -), such as a commit SHA (got 5)`],
    ],
    [
      "api.imageTag: a tag starting with a hyphen gets the Docker-tag message",
      api({ imageTag: "-latest" }),
      [`${P}:api.imageTag must be a Docker tag (letters, digits, _ . -), such as a commit SHA (got "-latest")`],
    ],
    [
      "api.containerPort: text gets the port range",
      api({ containerPort: "8080" }),
      [`${P}:api.containerPort must be an integer from 1 to 65535 (got "8080")`],
    ],
    [
      "api.containerPort: 70000 gets the port range",
      api({ containerPort: 70000 }),
      [`${P}:api.containerPort must be an integer from 1 to 65535 (got 70000)`],
    ],
    [
      "api.healthCheckPath: a number gets the path message",
      api({ healthCheckPath: 5 }),
      [`${P}:api.healthCheckPath must be a path starting with /, such as /health (got 5)`],
    ],
    [
      "api.healthCheckPath: a path without / gets the path message",
      api({ healthCheckPath: "health" }),
      [`${P}:api.healthCheckPath must be a path starting with /, such as /health (got "health")`],
    ],
    [
      "api.containerHealthCheck: text instead of a list gets the command message",
      api({ containerHealthCheck: "curl -f http://127.0.0.1:8080/health" }),
      [
        `${P}:api.containerHealthCheck must be a command such as ["CMD", "curl", "-f", "http://127.0.0.1:8080/health"] (got "curl -f http://127.0.0.1:8080/health")`,
      ],
    ],
    [
      "api.containerHealthCheck: a list without CMD gets Docker's form",
      api({ containerHealthCheck: ["curl", "-f", "http://127.0.0.1:8080/health"] }),
      [
        `${P}:api.containerHealthCheck must be a command in Docker's form: ["CMD", "<executable>", "<arg>", …] or ["CMD-SHELL", "<shell command>"] (got ["curl","-f","http://127.0.0.1:8080/health"])`,
      ],
    ],
    [
      "api.migration.command: text instead of a list gets the migration-command message",
      api({ migration: { command: "npm run migrate" } }),
      [`${P}:api.migration.command ${MIGRATION_COMMAND} (got "npm run migrate")`],
    ],
    [
      "api.migration.command: an empty list gets the migration-command message",
      api({ migration: { command: [] } }),
      [`${P}:api.migration.command ${MIGRATION_COMMAND} (got [])`],
    ],
    [
      "api.migration.command: a number as a word gets the migration-command message",
      api({ migration: { command: ["npm", 5] } }),
      [`${P}:api.migration.command.1 ${MIGRATION_COMMAND} (got 5)`],
    ],
    [
      "api.migration.command: an empty word gets the migration-command message",
      api({ migration: { command: ["npm", ""] } }),
      [`${P}:api.migration.command.1 ${MIGRATION_COMMAND} (got "")`],
    ],
    [
      "api.migration.timeoutSeconds: text gets the timeout range",
      api({ migration: { command: ["npm", "run", "migrate"], timeoutSeconds: "600" } }),
      [`${P}:api.migration.timeoutSeconds must be an integer from 60 to 3600 (got "600")`],
    ],
    [
      "api.migration.timeoutSeconds: 30 gets the timeout range",
      api({ migration: { command: ["npm", "run", "migrate"], timeoutSeconds: 30 } }),
      [`${P}:api.migration.timeoutSeconds must be an integer from 60 to 3600 (got 30)`],
    ],
    [
      "api.certificateArn: a number gets the certificate-ARN message",
      api({ certificateArn: 5 }),
      [`${P}:api.certificateArn must be the ARN of an ACM certificate in awsRegion (got 5)`],
    ],
    [
      "api.certificateArn: a certificate id without the ARN gets the certificate-ARN message",
      api({ certificateArn: "00000000-0000-4000-8000-000000000000" }),
      [
        `${P}:api.certificateArn must be the ARN of an ACM certificate in awsRegion (got "00000000-0000-4000-8000-000000000000")`,
      ],
    ],
  ])("%s", check);
});

describe("services", () => {
  const S = `${P}:services.worker`;

  test.each<Case>([
    [
      "services: a list instead of a map gets the services message",
      staging({ services: ["worker"] }),
      [
        `${P}:services must map service names to services, such as { worker: { kind: worker, build: { context: worker } } } (got ["worker"])`,
      ],
    ],
    [
      "services: a name with capitals gets the service-name rule",
      staging({ services: { Worker: { kind: "worker", build: { context: API_CONTEXT } } } }),
      [
        `${P}:services.Worker must be a service name of 2 to 15 lowercase letters, digits or hyphens, such as worker (got "Worker")`,
      ],
    ],
    [
      "services.*.kind: a kind that does not exist gets the list of kinds",
      worker({ kind: "job" }),
      [`${S}.kind must be one of "http", "worker", "cron" (got "job")`],
    ],
    [
      "services.*.kind: a number gets the list of kinds",
      worker({ kind: 1 }),
      [`${S}.kind must be one of "http", "worker", "cron" (got 1)`],
    ],
    [
      "services.*.image: a number gets the image-reference message",
      worker({ build: undefined, image: 5 }),
      [`${S}.image must be an image reference such as ghcr.io/acme/api:1.4.2 (got 5)`],
    ],
    [
      "services.*.build.context: a number gets the folder message",
      worker({ build: { context: 5 } }),
      [`${S}.build.context must be a folder relative to the project, such as examples/api (got 5)`],
    ],
    [
      "services.*.imageTag: a tag with a colon gets the Docker-tag message",
      worker({ imageTag: "v1:2" }),
      [`${S}.imageTag must be a Docker tag (letters, digits, _ . -), such as a commit SHA (got "v1:2")`],
    ],
    [
      "services.*.command: text instead of a list gets the command message",
      worker({ command: "node worker.js" }),
      [`${S}.command ${SERVICE_COMMAND} (got "node worker.js")`],
    ],
    [
      "services.*.command: an empty list gets the command message",
      worker({ command: [] }),
      [`${S}.command ${SERVICE_COMMAND} (got [])`],
    ],
    [
      "services.*.port: text gets the port range",
      worker({ port: "8080" }),
      [`${S}.port must be an integer from 1 to 65535 (got "8080")`],
    ],
    [
      "services.*.port: 0 gets the port range",
      worker({ port: 0 }),
      [`${S}.port must be an integer from 1 to 65535 (got 0)`],
    ],
    [
      "services.*.host: a number gets the DNS-label message",
      worker({ host: 5 }),
      [`${S}.host must be one DNS label such as ai (production serves ai.<domain>, staging ai-staging.<apex>) (got 5)`],
    ],
    [
      "services.*.host: a name with a dot gets the DNS-label message",
      worker({ host: "ai.acme-app.com" }),
      [
        `${S}.host must be one DNS label such as ai (production serves ai.<domain>, staging ai-staging.<apex>) (got "ai.acme-app.com")`,
      ],
    ],
    [
      "services.*.healthCheckPath: a path without / gets the path message",
      worker({ healthCheckPath: "health" }),
      [`${S}.healthCheckPath must be a path starting with /, such as /health (got "health")`],
    ],
    [
      "services.*.containerHealthCheck: text instead of a list gets the command message",
      worker({ containerHealthCheck: "true" }),
      [
        `${S}.containerHealthCheck must be a command such as ["CMD", "curl", "-f", "http://127.0.0.1:8080/health"] (got "true")`,
      ],
    ],
    ["services.*.cpu: text gets the Fargate CPU sizes", worker({ cpu: "512" }), [`${S}.cpu ${CPU} (got "512")`]],
    ["services.*.cpu: 100 gets the Fargate CPU sizes", worker({ cpu: 100 }), [`${S}.cpu ${CPU} (got 100)`]],
    [
      "services.*.memory: text gets the memory range",
      worker({ memory: "1024" }),
      [`${S}.memory must be an integer from 512 to 122880 (got "1024")`],
    ],
    [
      "services.*.minTasks: text gets the task range",
      worker({ minTasks: "1" }),
      [`${S}.minTasks must be an integer from 1 to 100 (got "1")`],
    ],
    [
      "services.*.minTasks: 0 gets the task range",
      worker({ minTasks: 0 }),
      [`${S}.minTasks must be an integer from 1 to 100 (got 0)`],
    ],
    [
      "services.*.maxTasks: text gets the task range",
      worker({ maxTasks: "3" }),
      [`${S}.maxTasks must be an integer from 1 to 100 (got "3")`],
    ],
    [
      "services.*.maxTasks: 101 gets the task range",
      worker({ maxTasks: 101 }),
      [`${S}.maxTasks must be an integer from 1 to 100 (got 101)`],
    ],
    [
      "services.*.environment: a list instead of a map gets the environment message",
      worker({ environment: ["LOG_LEVEL=info"] }),
      [`${S}.environment must map variable names to text, such as { LOG_LEVEL: info } (got ["LOG_LEVEL=info"])`],
    ],
    [
      "services.*.environment: a name with a hyphen gets the variable-name message",
      worker({ environment: { "LOG-LEVEL": "info" } }),
      [`${S}.environment.LOG-LEVEL must be an environment variable name such as LOG_LEVEL (got "LOG-LEVEL")`],
    ],
    [
      "services.*.secrets: text instead of a map gets the secrets message",
      worker({ secrets: "DATABASE_URL" }),
      [
        `${S}.secrets must map variable names to references, such as { DATABASE_URL: database.url } (got "DATABASE_URL")`,
      ],
    ],
    [
      "services.*.secrets: a name with a hyphen gets the variable-name message",
      worker({ secrets: { "STRIPE-KEY": "database.url" } }),
      [`${S}.secrets.STRIPE-KEY must be an environment variable name such as STRIPE_KEY (got "STRIPE-KEY")`],
    ],
    [
      "services.*.secrets: a reference that is not one gets the reference message",
      worker({ secrets: { DATABASE_URL: "database" } }),
      [`${S}.secrets.DATABASE_URL must be database.url, cache.url or appSecrets.<name> (got "database")`],
    ],
    [
      "services.*.secrets: a number as a reference gets the reference message",
      worker({ secrets: { DATABASE_URL: 5 } }),
      [`${S}.secrets.DATABASE_URL must be database.url, cache.url or appSecrets.<name> (got 5)`],
    ],
    [
      "services.*.schedule: a number gets the schedule-expression message",
      worker({ schedule: 5 }),
      [`${S}.schedule must be an EventBridge Scheduler expression such as cron(0 3 * * ? *) or rate(1 hour) (got 5)`],
    ],
    [
      "services.*.schedule: a word gets the schedule-expression message",
      worker({ schedule: "daily" }),
      [
        `${S}.schedule must be an EventBridge Scheduler expression such as cron(0 3 * * ? *) or rate(1 hour) (got "daily")`,
      ],
    ],
    [
      "services.*.timezone: a number instead of text gets the time-zone message",
      worker({ timezone: 5 }),
      [`${S}.timezone ${TIME_ZONE} (got 5)`],
    ],
    [
      "services.*.timezone: a name that is not an IANA zone gets the time-zone message",
      staging({
        services: {
          nightly: {
            kind: "cron",
            build: { context: API_CONTEXT },
            schedule: "cron(0 3 * * ? *)",
            timezone: "Mars/Olympus",
          },
        },
      }),
      [`${P}:services.nightly.timezone ${TIME_ZONE} (got "Mars/Olympus")`],
    ],
    [
      "services.*.timeoutMinutes: text gets the timeout range",
      worker({ timeoutMinutes: "30" }),
      [`${S}.timeoutMinutes must be an integer from 1 to 1440 (got "30")`],
    ],
    [
      "services.*.timeoutMinutes: 1441 gets the timeout range",
      worker({ timeoutMinutes: 1441 }),
      [`${S}.timeoutMinutes must be an integer from 1 to 1440 (got 1441)`],
    ],
    [
      "services.*.retries: text gets the retries range",
      worker({ retries: "2" }),
      [`${S}.retries must be an integer from 0 to 10 (got "2")`],
    ],
    [
      "services.*.retries: 11 gets the retries range",
      worker({ retries: 11 }),
      [`${S}.retries must be an integer from 0 to 10 (got 11)`],
    ],
    [
      "services.*.migration: a list instead of an object gets the migration-object message",
      worker({ migration: ["npm", "run", "migrate"] }),
      [`${S}.migration must be an object such as { command: ["npm", "run", "migrate"] } (got ["npm","run","migrate"])`],
    ],
    [
      "services.*.migration.command: text instead of a list gets the command message",
      worker({ migration: { command: "npm run migrate" } }),
      [`${S}.migration.command ${SERVICE_COMMAND} (got "npm run migrate")`],
    ],
    [
      "services.*.migration.timeoutSeconds: 4000 gets the timeout range",
      worker({ migration: { command: ["npm", "run", "migrate"], timeoutSeconds: 4000 } }),
      [`${S}.migration.timeoutSeconds must be an integer from 60 to 3600 (got 4000)`],
    ],
    [
      "services.*.migration.timeoutSeconds: text gets the timeout range",
      worker({ migration: { command: ["npm", "run", "migrate"], timeoutSeconds: "600" } }),
      [`${S}.migration.timeoutSeconds must be an integer from 60 to 3600 (got "600")`],
    ],
    [
      "services.*.mount.hostPath: a number gets the project-folder message",
      worker({ mount: { hostPath: 5, containerPath: "/app" } }),
      [`${S}.mount.hostPath must be a folder of the project, such as examples/api (got 5)`],
    ],
    [
      "services.*.mount.hostPath: an empty folder gets the project-folder message",
      worker({ mount: { hostPath: "", containerPath: "/app" } }),
      [`${S}.mount.hostPath must be a folder of the project, such as examples/api (got "")`],
    ],
    [
      "services.*.mount.containerPath: a relative path gets the absolute-path message",
      worker({ mount: { hostPath: API_CONTEXT, containerPath: "app" } }),
      [`${S}.mount.containerPath must be an absolute path in the container, such as /app (got "app")`],
    ],
    [
      "services.*.mount.containerPath: a slash inside a relative path does not make it absolute",
      worker({ mount: { hostPath: API_CONTEXT, containerPath: "app/src" } }),
      [`${S}.mount.containerPath must be an absolute path in the container, such as /app (got "app/src")`],
    ],
    [
      "services.*.mount.containerPath: a space after the path is refused",
      worker({ mount: { hostPath: API_CONTEXT, containerPath: "/app src" } }),
      [`${S}.mount.containerPath must be an absolute path in the container, such as /app (got "/app src")`],
    ],
    [
      "services.*.mount.containerPath: a number gets the absolute-path message",
      worker({ mount: { hostPath: API_CONTEXT, containerPath: 5 } }),
      [`${S}.mount.containerPath must be an absolute path in the container, such as /app (got 5)`],
    ],
    [
      "services.*.queue.name: a name with a space gets the queue-name message",
      worker({ queue: { name: "jobs queue", messagesPerTask: 10 } }),
      [
        `${S}.queue.name must be an SQS queue name (1 to 80 letters, digits, - or _, ending in .fifo for a FIFO queue) (got "jobs queue")`,
      ],
    ],
    [
      "services.*.queue.name: a number gets the queue-name message",
      worker({ queue: { name: 5, messagesPerTask: 10 } }),
      [
        `${S}.queue.name must be an SQS queue name (1 to 80 letters, digits, - or _, ending in .fifo for a FIFO queue) (got 5)`,
      ],
    ],
    [
      "services.*.queue.messagesPerTask: text gets the messages range",
      worker({ queue: { name: "jobs", messagesPerTask: "10" } }),
      [`${S}.queue.messagesPerTask must be an integer from 1 to 100000 (got "10")`],
    ],
    [
      "services.*.queue.messagesPerTask: 0 gets the messages range",
      worker({ queue: { name: "jobs", messagesPerTask: 0 } }),
      [`${S}.queue.messagesPerTask must be an integer from 1 to 100000 (got 0)`],
    ],
  ])("%s", check);
});

describe("appSecrets (set with --secret, so values are never shown)", () => {
  test.each<Case>([
    [
      "appSecrets: a list instead of a map gets the secret-values message",
      appSecrets(["sk_live_123"]),
      [`${P}:appSecrets must map names to secret values (got a secret value, not shown)`],
    ],
    [
      "appSecrets: a name with a dot gets the secret-name rule",
      appSecrets({ "stripe.key": "sk_live_123" }),
      [`${P}:appSecrets.stripe.key must be a name of 1 to 64 letters, digits, - or _ (got "stripe.key")`],
    ],
    [
      "appSecrets: a number as a value gets must-be-text",
      appSecrets({ stripe: 5 }),
      [`${P}:appSecrets.stripe must be text (got a secret value, not shown)`],
    ],
    [
      "appSecrets: an empty value gets must-be-text",
      appSecrets({ stripe: "" }),
      [`${P}:appSecrets.stripe must be text (got a secret value, not shown)`],
    ],
  ])("%s", check);
});

describe("logs", () => {
  test.each<Case>([
    [
      "logs.retentionDays: text gets the retention periods",
      staging({ logs: { retentionDays: "30" } }),
      [`${P}:logs.retentionDays ${RETENTION} (got "30")`],
    ],
    [
      "logs.retentionDays: a period CloudWatch does not offer gets the retention periods",
      staging({ logs: { retentionDays: 31 } }),
      [`${P}:logs.retentionDays ${RETENTION} (got 31)`],
    ],
  ])("%s", check);
});

describe("web", () => {
  const REPO = { type: "github", repo: "acme/app" };

  test.each<Case>([
    [
      "web.framework: a number gets the framework-preset message",
      staging({ web: { framework: 5 } }),
      [`${P}:web.framework must be a Vercel framework preset such as nextjs, vite or remix (got 5)`],
    ],
    [
      "web.framework: a display name gets the framework-preset message",
      staging({ web: { framework: "Next.js" } }),
      [`${P}:web.framework must be a Vercel framework preset such as nextjs, vite or remix (got "Next.js")`],
    ],
    [
      "web.gitRepository.type: a host that is not offered gets the list of hosts",
      staging({ web: { gitRepository: { ...REPO, type: "svn" } } }),
      [`${P}:web.gitRepository.type must be one of "github", "gitlab", "bitbucket" (got "svn")`],
    ],
    [
      "web.gitRepository.type: a number gets the list of hosts",
      staging({ web: { gitRepository: { ...REPO, type: 1 } } }),
      [`${P}:web.gitRepository.type must be one of "github", "gitlab", "bitbucket" (got 1)`],
    ],
    [
      "web.gitRepository.repo: a number gets owner/name",
      staging({ web: { gitRepository: { ...REPO, repo: 5 } } }),
      [`${P}:web.gitRepository.repo must be "owner/name" (got 5)`],
    ],
    [
      "web.gitRepository.repo: a name without the owner gets owner/name",
      staging({ web: { gitRepository: { ...REPO, repo: "app" } } }),
      [`${P}:web.gitRepository.repo must be "owner/name" (got "app")`],
    ],
    [
      "web.gitRepository.productionBranch: a number gets the branch-name message",
      staging({ web: { gitRepository: { ...REPO, productionBranch: 5 } } }),
      [`${P}:web.gitRepository.productionBranch must be a branch name (got 5)`],
    ],
    [
      "web.gitRepository.productionBranch: an empty name gets the branch-name message",
      staging({ web: { gitRepository: { ...REPO, productionBranch: "" } } }),
      [`${P}:web.gitRepository.productionBranch must be a branch name (got "")`],
    ],
    [
      "web.rootDirectory: a number gets the repository-folder message",
      staging({ web: { rootDirectory: 5 } }),
      [`${P}:web.rootDirectory must be a folder of the repository (got 5)`],
    ],
    [
      "web.rootDirectory: empty text gets the same message",
      staging({ web: { rootDirectory: "" } }),
      [`${P}:web.rootDirectory must be a folder of the repository (got "")`],
    ],
    [
      "web.buildCommand: a list gets the command message",
      staging({ web: { buildCommand: ["npm", "run", "build"] } }),
      [`${P}:web.buildCommand must be a command (got ["npm","run","build"])`],
    ],
    [
      "web.buildCommand: empty text gets the same message",
      staging({ web: { buildCommand: "" } }),
      [`${P}:web.buildCommand must be a command (got "")`],
    ],
    [
      "web.installCommand: a number gets the command message",
      staging({ web: { installCommand: 5 } }),
      [`${P}:web.installCommand must be a command (got 5)`],
    ],
    [
      "web.installCommand: empty text gets the same message",
      staging({ web: { installCommand: "" } }),
      [`${P}:web.installCommand must be a command (got "")`],
    ],
    [
      "web.outputDirectory: a number gets the folder message",
      staging({ web: { outputDirectory: 5 } }),
      [`${P}:web.outputDirectory must be a folder (got 5)`],
    ],
    [
      "web.outputDirectory: empty text gets the same message",
      staging({ web: { outputDirectory: "" } }),
      [`${P}:web.outputDirectory must be a folder (got "")`],
    ],
    [
      "web.apiUrlVariable: a lowercase name gets the variable-name message",
      staging({ web: { apiUrlVariable: "api_url" } }),
      [`${P}:web.apiUrlVariable must be a variable name such as NEXT_PUBLIC_API_URL or VITE_API_URL (got "api_url")`],
    ],
    [
      "web.apiUrlVariable: a number gets the variable-name message",
      staging({ web: { apiUrlVariable: 5 } }),
      [`${P}:web.apiUrlVariable must be a variable name such as NEXT_PUBLIC_API_URL or VITE_API_URL (got 5)`],
    ],
    [
      "web.team: a number instead of text gets the team message",
      staging({ web: { team: 5 } }),
      [`${P}:web.team must be a Vercel team id or slug (got 5)`],
    ],
    [
      "web.team: empty text gets the same message",
      staging({ web: { team: "" } }),
      [`${P}:web.team must be a Vercel team id or slug (got "")`],
    ],
    [
      "web.projectId: a number gets the project-id message",
      staging({ web: { projectId: 5 } }),
      [`${P}:web.projectId must be a Vercel project id such as prj_AbC123 (got 5)`],
    ],
    [
      "web.projectId: an id without prj_ gets the project-id message",
      staging({ web: { projectId: "AbC123" } }),
      [`${P}:web.projectId must be a Vercel project id such as prj_AbC123 (got "AbC123")`],
    ],
    [
      "web.gitBranch: a number gets the git-branch message",
      staging({ web: { gitBranch: 5 } }),
      [`${P}:web.gitBranch must be a git branch name (got 5)`],
    ],
    [
      "web.gitBranch: empty text gets the same message",
      staging({ web: { gitBranch: "" } }),
      [`${P}:web.gitBranch must be a git branch name (got "")`],
    ],
  ])("%s", check);
});

describe("dns", () => {
  const ZONE = "0123456789abcdef0123456789abcdef";
  const LIMIT = { requests: 10, periodSeconds: 10 };

  test.each<Case>([
    [
      "dns.accountId: a number gets the account-id message",
      production({ dns: { accountId: 5 } }),
      [`${P}:dns.accountId must be a Cloudflare account id (32 hex characters) (got 5)`],
    ],
    [
      "dns.accountId: capitals get the account-id message",
      production({ dns: { accountId: ZONE.toUpperCase() } }),
      [
        `${P}:dns.accountId must be a Cloudflare account id (32 hex characters) (got "0123456789ABCDEF0123456789ABCDEF")`,
      ],
    ],
    [
      "dns.zoneId: a number gets the zone-id message",
      staging({ dns: { zoneId: 5 } }),
      [`${P}:dns.zoneId must be a Cloudflare zone id (32 hex characters) (got 5)`],
    ],
    [
      "dns.zoneId: a short id gets the zone-id message",
      staging({ dns: { zoneId: "0123abcd" } }),
      [`${P}:dns.zoneId must be a Cloudflare zone id (32 hex characters) (got "0123abcd")`],
    ],
    [
      "dns.proxied: a word gets true-or-false",
      staging({ dns: { zoneId: ZONE, proxied: "on" } }),
      [`${P}:dns.proxied must be true or false (got "on")`],
    ],
    [
      "dns.authenticatedOriginPulls: a number gets true-or-false",
      staging({ dns: { zoneId: ZONE, authenticatedOriginPulls: 1 } }),
      [`${P}:dns.authenticatedOriginPulls must be true or false (got 1)`],
    ],
    [
      "dns.plan: a plan Cloudflare does not sell gets the list of plans",
      production({ dns: { accountId: ZONE, plan: "gold" } }),
      [`${P}:dns.plan must be one of "free", "pro", "business", "enterprise" (got "gold")`],
    ],
    [
      "dns.rateLimits.api.requests: text instead of a number gets the requests message",
      production({ dns: { accountId: ZONE, rateLimits: { api: { ...LIMIT, requests: "10" } } } }),
      [`${P}:dns.rateLimits.api.requests must be a number of requests such as 10 (got "10")`],
    ],
    [
      "dns.rateLimits.api.periodSeconds: text instead of a number gets the seconds message",
      production({ dns: { accountId: ZONE, rateLimits: { api: { ...LIMIT, periodSeconds: "10" } } } }),
      [`${P}:dns.rateLimits.api.periodSeconds must be a number of seconds such as 10 (got "10")`],
    ],
    [
      "dns.rateLimits.auth.requests: text instead of a number gets the requests message",
      production({ dns: { accountId: ZONE, rateLimits: { auth: { ...LIMIT, requests: "ten" } } } }),
      [`${P}:dns.rateLimits.auth.requests must be a number of requests such as 10 (got "ten")`],
    ],
    [
      "dns.rateLimits.auth.periodSeconds: text instead of a number gets the seconds message",
      production({ dns: { accountId: ZONE, rateLimits: { auth: { ...LIMIT, periodSeconds: "1m" } } } }),
      [`${P}:dns.rateLimits.auth.periodSeconds must be a number of seconds such as 10 (got "1m")`],
    ],
    [
      "dns.rateLimits.auth.paths: a number as a path gets the URL-path message",
      production({ dns: { accountId: ZONE, rateLimits: { auth: { ...LIMIT, paths: ["/auth", 5] } } } }),
      [`${P}:dns.rateLimits.auth.paths.1 must be a URL path such as /auth (got 5)`],
    ],
  ])("%s", check);
});

describe("monitoring", () => {
  const SENTRY = { organization: "acme", team: "backend" };

  test.each<Case>([
    [
      "monitoring.sentry.organization: a number gets the organisation-slug message",
      staging({ monitoring: { sentry: { ...SENTRY, organization: 5 } } }),
      [`${P}:monitoring.sentry.organization must be a Sentry organisation slug (got 5)`],
    ],
    [
      "monitoring.sentry.organization: capitals get the organisation-slug message",
      staging({ monitoring: { sentry: { ...SENTRY, organization: "Acme" } } }),
      [`${P}:monitoring.sentry.organization must be a Sentry organisation slug (got "Acme")`],
    ],
    [
      "monitoring.sentry.organization: a name with a space gets the organisation-slug message",
      staging({ monitoring: { sentry: { ...SENTRY, organization: "acme corp" } } }),
      [`${P}:monitoring.sentry.organization must be a Sentry organisation slug (got "acme corp")`],
    ],
    [
      "monitoring.sentry.organization: 51 characters, one more than a slug holds",
      staging({ monitoring: { sentry: { ...SENTRY, organization: "a".repeat(51) } } }),
      [`${P}:monitoring.sentry.organization must be a Sentry organisation slug (got "${"a".repeat(51)}")`],
    ],
    [
      "monitoring.sentry.team: a number gets the team-slug message",
      staging({ monitoring: { sentry: { ...SENTRY, team: 5 } } }),
      [`${P}:monitoring.sentry.team must be a Sentry team slug (got 5)`],
    ],
    [
      "monitoring.sentry.team: a name with a space gets the team-slug message",
      staging({ monitoring: { sentry: { ...SENTRY, team: "back end" } } }),
      [`${P}:monitoring.sentry.team must be a Sentry team slug (got "back end")`],
    ],
    [
      "monitoring.budgetMonthlyUsd: text gets the USD-amount message",
      staging({ monitoring: { budgetMonthlyUsd: "500" } }),
      [`${P}:monitoring.budgetMonthlyUsd must be an amount in USD such as 500 (got "500")`],
    ],
    [
      "monitoring.budgetMonthlyUsd: 0 gets the USD-amount message",
      staging({ monitoring: { budgetMonthlyUsd: 0 } }),
      [`${P}:monitoring.budgetMonthlyUsd must be an amount in USD such as 500 (got 0)`],
    ],
    [
      "monitoring.uptimeChecks: a word gets true-or-false",
      staging({ monitoring: { uptimeChecks: "yes" } }),
      [`${P}:monitoring.uptimeChecks must be true or false (got "yes")`],
    ],
    [
      "monitoring.dashboard: a number gets true-or-false",
      staging({ monitoring: { dashboard: 0 } }),
      [`${P}:monitoring.dashboard must be true or false (got 0)`],
    ],
    [
      "monitoring.containerInsights: a word gets true-or-false",
      staging({ monitoring: { containerInsights: "enabled" } }),
      [`${P}:monitoring.containerInsights must be true or false (got "enabled")`],
    ],
    [
      "monitoring.latencyP50Ms: text gets the latency range",
      staging({ monitoring: { latencyP50Ms: "200" } }),
      [`${P}:monitoring.latencyP50Ms must be an integer from 1 to 60000 (got "200")`],
    ],
    [
      "monitoring.latencyP50Ms: 0 gets the latency range",
      staging({ monitoring: { latencyP50Ms: 0 } }),
      [`${P}:monitoring.latencyP50Ms must be an integer from 1 to 60000 (got 0)`],
    ],
    [
      "monitoring.latencyP99Ms: text gets the latency range",
      staging({ monitoring: { latencyP99Ms: "1s" } }),
      [`${P}:monitoring.latencyP99Ms must be an integer from 1 to 60000 (got "1s")`],
    ],
    [
      "monitoring.latencyP99Ms: 60001 gets the latency range",
      staging({ monitoring: { latencyP99Ms: 60001 } }),
      [`${P}:monitoring.latencyP99Ms must be an integer from 1 to 60000 (got 60001)`],
    ],
    [
      "monitoring.errorRatePercent: text gets the percentage message",
      staging({ monitoring: { errorRatePercent: "5%" } }),
      [`${P}:monitoring.errorRatePercent must be a percentage from 0 to 100 (got "5%")`],
    ],
    [
      "monitoring.errorRatePercent: a negative number gets the percentage message",
      staging({ monitoring: { errorRatePercent: -1 } }),
      [`${P}:monitoring.errorRatePercent must be a percentage from 0 to 100 (got -1)`],
    ],
    [
      "monitoring.errorRatePercent: 101 gets the percentage message",
      staging({ monitoring: { errorRatePercent: 101 } }),
      [`${P}:monitoring.errorRatePercent must be a percentage from 0 to 100 (got 101)`],
    ],
  ])("%s", check);
});

describe("officeHours", () => {
  test.each<Case>([
    [
      "officeHours: a number gets always-or-an-object",
      staging({ officeHours: 5 }),
      [`${P}:officeHours must be "always" or an object with days, from, to and timezone (got 5)`],
    ],
    [
      "officeHours: a word other than always gets always-or-an-object",
      staging({ officeHours: "never" }),
      [`${P}:officeHours must be "always" or an object with days, from, to and timezone (got "never")`],
    ],
    [
      "officeHours.days: days that are not offered get the list of day ranges",
      staging({ officeHours: { days: "MON-SUN" } }),
      [`${P}:officeHours.days must be one of "MON-FRI", "MON-SAT", "SUN-SAT" (got "MON-SUN")`],
    ],
    [
      "officeHours.from: text gets the from range",
      staging({ officeHours: { from: "8" } }),
      [`${P}:officeHours.from must be an integer from 1 to 22 (got "8")`],
    ],
    [
      "officeHours.from: 0 gets the from range",
      staging({ officeHours: { from: 0 } }),
      [`${P}:officeHours.from must be an integer from 1 to 22 (got 0)`],
    ],
    [
      "officeHours.to: text gets the to range",
      staging({ officeHours: { to: "18" } }),
      [`${P}:officeHours.to must be an integer from 2 to 23 (got "18")`],
    ],
    [
      "officeHours.to: 24 gets the to range",
      staging({ officeHours: { to: 24 } }),
      [`${P}:officeHours.to must be an integer from 2 to 23 (got 24)`],
    ],
    [
      "officeHours.timezone: a number instead of text gets the time-zone message",
      staging({ officeHours: { timezone: 1 } }),
      [`${P}:officeHours.timezone ${TIME_ZONE} (got 1)`],
    ],
  ])("%s", check);
});

describe("costAssumptions", () => {
  test.each<Case>(
    [
      ["natDataGb", "10"],
      ["loadBalancerLcu", "1"],
      ["appLogGb", "2"],
      ["flowLogGb", "1"],
      ["dataLogGb", "0.5"],
      ["backupMonthlyChange", "0.1"],
      ["imageRepositoryGb", "3"],
      ["containerInsightsMetrics", "20"],
      ["accessLogGb", "1"],
    ].flatMap(([key, example]): Case[] => [
      [
        `costAssumptions.${key}: text gets the non-negative-number message with its example`,
        staging({ costAssumptions: { [key!]: "many" } }),
        [`${P}:costAssumptions.${key} must be a non-negative number such as ${example} (got "many")`],
      ],
      [
        `costAssumptions.${key}: a negative number gets the non-negative-number message with its example`,
        staging({ costAssumptions: { [key!]: -1 } }),
        [`${P}:costAssumptions.${key} must be a non-negative number such as ${example} (got -1)`],
      ],
    ]),
  )("%s", check);
});

describe("the parts that used to get zod's own words", () => {
  const S2 = `${P}:services.worker`;
  const SECTION = "must be a group of settings (key: value lines indented under it)";

  test.each<Case>([
    [
      "services.*.command: an empty word gets the word's message",
      worker({ command: ["node", ""] }),
      [`${S2}.command.1 must be a non-empty word of the command, such as "worker.js" (got "")`],
    ],
    [
      "services.*.command: a number as a word gets the word's message",
      worker({ command: ["node", 5] }),
      [`${S2}.command.1 must be a non-empty word of the command, such as "worker.js" (got 5)`],
    ],
    [
      "services.*.environment: a number as a value says to quote it",
      worker({ environment: { LOG_LEVEL: 5 } }),
      [`${S2}.environment.LOG_LEVEL must be text (quote numbers and true or false in YAML, such as "5") (got 5)`],
    ],
    [
      "api.containerHealthCheck: a number as a word gets the word's message",
      api({ containerHealthCheck: ["CMD", 5] }),
      [`${P}:api.containerHealthCheck.1 must be a word of the command, as text (got 5)`],
    ],
    [
      "dns.rateLimits.auth.paths: an empty list asks for at least one path",
      production({ dns: { rateLimits: { auth: { requests: 10, periodSeconds: 60, paths: [] } } } }),
      [`${P}:dns.rateLimits.auth.paths must be a list of one or more URL paths such as [/auth, /login] (got [])`],
    ],
    [
      "dns.rateLimits.auth.paths: one path as text instead of a list",
      production({ dns: { rateLimits: { auth: { requests: 10, periodSeconds: 60, paths: "/auth" } } } }),
      [`${P}:dns.rateLimits.auth.paths must be a list of one or more URL paths such as [/auth, /login] (got "/auth")`],
    ],
  ])("%s", check);

  test.each([
    ["network", "big"],
    ["database", "big"],
    ["cache", 5],
    ["api", ["a"]],
    ["web", true],
    ["dns", "x"],
    ["monitoring", 1],
    ["alerts", "ops@acme-app.com"],
    ["logs", 30],
    ["costAssumptions", "low"],
  ])("%s given %j instead of its keys gets the section message", (key, value) => {
    const file = key === "dns" ? production({ [key]: value }) : staging({ [key]: value });
    expect(lines(file)).toEqual([`${P}:${key} ${SECTION} (got ${JSON.stringify(value)})`]);
  });

  test("a nested section given text gets the same message, by its key", () => {
    expect(lines(api({ build: "examples/api" }))).toEqual([`${P}:api.build ${SECTION} (got "examples/api")`]);
    expect(lines(worker({ queue: "jobs" }))).toEqual([`${S2}.queue ${SECTION} (got "jobs")`]);
  });

  test("an unknown key inside a section still names the key and the closest known one", () => {
    expect(lines(staging({ database: { instanceClas: "db.t4g.small" } }))).toEqual([
      `${P}:database.instanceClas is not a known setting (did you mean "instanceClass"?)`,
    ]);
  });
});

test("a line break inside a quoted value stays in its problem's line, shown as \\n", () => {
  const error = new ConfigError("Pulumi.staging.yaml", [
    {
      key: `${P}:appName`,
      message: 'must be 3 to 24 lowercase letters (got "acme\n  Pulumi.staging.yaml: x\r\ny")',
    },
    { key: `${P}:domain`, message: "is required (not set)" },
  ]);
  expect(error.message.split("\n")).toEqual([
    "Pulumi.staging.yaml has 2 configuration problems:",
    `  Pulumi.staging.yaml: ${P}:appName must be 3 to 24 lowercase letters (got "acme\\n  Pulumi.staging.yaml: x\\ny")`,
    `  Pulumi.staging.yaml: ${P}:domain is required (not set)`,
  ]);
});
