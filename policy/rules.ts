/**
 * The guardrails every stack must pass. Each rule is mandatory unless it says otherwise, names the resource and the
 * fix, and, where it only concerns some environments, says so and reads the stack's environment from its AWS
 * provider's `Environment` tag (from the stack name when there is none). Rules judge relations between resources
 * (which input comes from which resource), never their logical names.
 * `policy/index.ts` wraps these in a PolicyPack for `pulumi preview --policy-pack policy`; the tests and the synth
 * call them directly.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { STANDARD_TAG_KEYS } from "../infra/tags";
import { MIN_BACKUP_RETENTION_DAYS } from "../components/managed-postgres/retention";
import { deployabilityPolicies } from "./deployability";
import {
  defaultTagsOf,
  ENVIRONMENTS,
  environmentNamed,
  hasViaService,
  keyUseGranted,
  list,
  ofType,
  projectNameOf,
  resourceRule,
  stackNameOf,
  stackRule,
  statements,
  type Environment,
  type Props,
} from "./kit";

export { environmentOf, type Environment } from "./kit";

const RDS = "aws:rds/instance:Instance";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";
const LISTENER = "aws:lb/listener:Listener";
const ZONE_SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
const DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord";
const CACHE_CLUSTER = "aws:elasticache/cluster:Cluster";
const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const ECS_SERVICE = "aws:ecs/service:Service";
const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
const KMS_KEY = "aws:kms/key:Key";
const AWS_PROVIDER = "pulumi:providers:aws";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
/** What `pulumi destroy` or a rename must never take with it in production (with the keys that encrypt them). */
const STATEFUL = [RDS, CACHE, "aws:backup/vault:Vault", "cloudflare:index/zone:Zone"];
const PRODUCTION: readonly Environment[] = ["production"];
const CLOUD_LONG_LIVED: readonly Environment[] = ["staging", "production"];
const PREVIEW: readonly Environment[] = ["preview"];

/** How many nodes a replication group has: its cache clusters, or its shards times (1 + replicas) in cluster mode. */
const nodesOf = (p: Props): number =>
  p["numCacheClusters"] !== undefined
    ? Number(p["numCacheClusters"])
    : p["numNodeGroups"] !== undefined
      ? Number(p["numNodeGroups"]) * (1 + Number(p["replicasPerNodeGroup"] ?? 0))
      : 1;

/** What a preview joins from staging instead of paying for its own (a VPC, NAT, a load balancer, a cluster). */
export const SHARED_WITH_PREVIEWS = [
  "aws:ec2/vpc:Vpc",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:ecs/cluster:Cluster",
] as const;

/** TLS policies with TLS 1.2 as the floor and no CBC/SHA-1 suites. */
export const ALLOWED_TLS_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
] as const;

export const resourcePolicies: ResourceValidationPolicy[] = [
  // --- encryption at rest ---------------------------------------------------------------------------------------
  resourceRule({
    name: "rds-storage-encrypted",
    description: "RDS storage is encrypted with a KMS key",
    types: [RDS],
    check: (p) =>
      p["storageEncrypted"] !== true || !p["kmsKeyId"]
        ? "set storageEncrypted: true and a kmsKeyId (a customer key)"
        : undefined,
  }),
  resourceRule({
    name: "elasticache-encrypted-at-rest",
    description: "ElastiCache encrypts data at rest",
    types: [CACHE],
    check: (p) =>
      p["atRestEncryptionEnabled"] !== true
        ? "set atRestEncryptionEnabled: true (needs a new replication group)"
        : undefined,
  }),
  resourceRule({
    name: "sns-encrypted",
    description: "SNS topics are encrypted with KMS",
    types: ["aws:sns/topic:Topic"],
    check: (p) =>
      !p["kmsMasterKeyId"] ? "set kmsMasterKeyId (a key CloudWatch may use, not alias/aws/sns)" : undefined,
  }),
  resourceRule({
    name: "backup-vault-encrypted",
    description: "AWS Backup vaults use a customer key (a copy vault, one of its own region)",
    types: ["aws:backup/vault:Vault"],
    check: (p) => (!p["kmsKeyArn"] ? "set kmsKeyArn to a customer key of the vault's region" : undefined),
  }),
  resourceRule({
    name: "log-groups-encrypted",
    description:
      "CloudWatch log groups are encrypted with the stack's logs key (previews excepted: no network of their own, logs kept 3 days)",
    environments: CLOUD_LONG_LIVED,
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: (p) => (!p["kmsKeyId"] ? "set kmsKeyId to the stack's logs key (Network's logsKmsKeyArn)" : undefined),
  }),
  resourceRule({
    name: "secrets-customer-key",
    description: "Secrets Manager secrets are encrypted with a customer key, not the AWS-managed aws/secretsmanager",
    types: ["aws:secretsmanager/secret:Secret"],
    check: (p) => (!p["kmsKeyId"] ? "set kmsKeyId to the stack's data key (the database's)" : undefined),
  }),
  resourceRule({
    name: "elasticache-customer-key",
    description: "ElastiCache encrypts data at rest with a customer key",
    types: [CACHE],
    check: (p) =>
      !p["kmsKeyId"] ? "set kmsKeyId (a customer key; it can only be set when the cache is created)" : undefined,
  }),
  resourceRule({
    name: "cloudtrail-baseline",
    description:
      "A CloudTrail trail covers every region, validates its log files and encrypts them with a customer key",
    types: ["aws:cloudtrail/trail:Trail"],
    check: (p) => {
      const missing = [
        p["isMultiRegionTrail"] !== true ? "isMultiRegionTrail: true" : "",
        p["enableLogFileValidation"] !== true ? "enableLogFileValidation: true" : "",
        !p["kmsKeyId"] ? "a kmsKeyId" : "",
      ].filter(Boolean);
      return missing.length > 0 ? `set ${missing.join(", ")}` : undefined;
    },
  }),
  resourceRule({
    name: "log-group-retention",
    description: "CloudWatch log groups have a retention period",
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: (p) =>
      !(Number(p["retentionInDays"]) > 0) ? "set retentionInDays (logs kept forever cost forever)" : undefined,
  }),
  resourceRule({
    name: "ecr-kms-encrypted",
    description: "ECR repositories encrypt images with KMS",
    types: ["aws:ecr/repository:Repository"],
    check: (p) =>
      !JSON.stringify(p["encryptionConfigurations"] ?? []).includes('"KMS"')
        ? 'set encryptionConfigurations: [{ encryptionType: "KMS" }] (set when the repository is created)'
        : undefined,
  }),
  resourceRule({
    name: "ecr-scan-on-push",
    description: "ECR repositories scan images on push",
    types: ["aws:ecr/repository:Repository"],
    check: (p) =>
      (p["imageScanningConfiguration"] as { scanOnPush?: boolean } | undefined)?.scanOnPush !== true
        ? "set imageScanningConfiguration: { scanOnPush: true }"
        : undefined,
  }),
  resourceRule({
    name: "ecr-immutable-tags",
    description: "ECR image tags are immutable",
    types: ["aws:ecr/repository:Repository"],
    check: (p) => (p["imageTagMutability"] !== "IMMUTABLE" ? 'set imageTagMutability: "IMMUTABLE"' : undefined),
  }),
  // --- encryption in transit ------------------------------------------------------------------------------------
  resourceRule({
    name: "rds-force-ssl",
    description: "PostgreSQL parameter groups force TLS",
    types: ["aws:rds/parameterGroup:ParameterGroup"],
    check: (p) =>
      typeof p["family"] === "string" &&
      p["family"].startsWith("postgres") &&
      !list(p["parameters"]).some(
        (x) => (x as Props)["name"] === "rds.force_ssl" && String((x as Props)["value"]) === "1",
      )
        ? 'add the parameter { name: "rds.force_ssl", value: "1" }'
        : undefined,
  }),
  resourceRule({
    name: "elasticache-in-transit",
    description: "ElastiCache requires TLS and an auth token",
    types: [CACHE],
    check: (p) =>
      p["transitEncryptionEnabled"] !== true || p["transitEncryptionMode"] !== "required" || !p["authToken"]
        ? 'set transitEncryptionEnabled: true, transitEncryptionMode: "required" and an authToken'
        : undefined,
  }),
  resourceRule({
    name: "alb-tls-policy",
    description: "HTTPS listeners use a TLS 1.2+/1.3 policy",
    types: [LISTENER],
    check: (p) =>
      p["protocol"] === "HTTPS" && !(ALLOWED_TLS_POLICIES as readonly string[]).includes(String(p["sslPolicy"]))
        ? `set sslPolicy to one of ${ALLOWED_TLS_POLICIES.join(", ")} (got ${String(p["sslPolicy"])})`
        : undefined,
  }),
  resourceRule({
    name: "alb-http-redirects",
    description: "HTTP listeners only redirect to HTTPS",
    types: [LISTENER],
    check: (p) => {
      if (p["protocol"] !== "HTTP") return undefined;
      const actions = list(p["defaultActions"]) as Props[];
      const ok =
        actions.length === 1 &&
        actions[0]?.["type"] === "redirect" &&
        (actions[0]?.["redirect"] as Props | undefined)?.["protocol"] === "HTTPS";
      return ok ? undefined : 'make the default action { type: "redirect", redirect: { protocol: "HTTPS", ... } }';
    },
  }),
  resourceRule({
    name: "alb-drops-invalid-headers",
    description: "Load balancers drop invalid header fields (request smuggling)",
    types: ["aws:lb/loadBalancer:LoadBalancer"],
    check: (p) => (p["dropInvalidHeaderFields"] !== true ? "set dropInvalidHeaderFields: true" : undefined),
  }),
  resourceRule({
    name: "cloudflare-ssl-strict",
    description: "Cloudflare SSL mode is Full (strict)",
    types: [ZONE_SETTING],
    check: (p) => (p["settingId"] === "ssl" && p["value"] !== "strict" ? 'set the ssl setting to "strict"' : undefined),
  }),
  resourceRule({
    name: "cloudflare-always-https",
    description: "Cloudflare always redirects to HTTPS",
    types: [ZONE_SETTING],
    check: (p) =>
      p["settingId"] === "always_use_https" && p["value"] !== "on" ? 'set always_use_https to "on"' : undefined,
  }),
  resourceRule({
    name: "cloudflare-min-tls",
    description: "Cloudflare accepts TLS 1.2 or later only",
    types: [ZONE_SETTING],
    check: (p) =>
      p["settingId"] === "min_tls_version" && !["1.2", "1.3"].includes(String(p["value"]))
        ? 'set min_tls_version to "1.2" or "1.3"'
        : undefined,
  }),
  // --- exposure ----------------------------------------------------------------------------------------------------
  resourceRule({
    name: "kms-keys-no-direct-use",
    description:
      "A customer key's policy lets the account administer it, never use it directly: encrypting and decrypting go through a service principal or kms:ViaService",
    types: ["aws:kms/key:Key"],
    check: (p) => {
      const direct = statements(p["policy"]).filter((s) => {
        if (s.Effect !== "Allow") return false;
        // `"*"` (everyone) and NotPrincipal (everyone but some) include every AWS principal.
        const aws =
          s.Principal === "*" ||
          s.NotPrincipal !== undefined ||
          (typeof s.Principal === "object" && s.Principal.AWS !== undefined);
        if (!aws) return false;
        return !hasViaService(s) && keyUseGranted(s).length > 0;
      });
      if (p["policy"] === undefined)
        return "give it an explicit policy (the default lets every IAM principal of the account use it)";
      const written = direct.flatMap((st) =>
        st.NotAction === undefined ? list(st.Action) : [`every action but ${list(st.NotAction).join(" ")}`],
      );
      return direct.length === 0
        ? undefined
        : `an AWS principal may use it directly (${written.join(", ")}); grant the account administration only, and use through a service principal or kms:ViaService`;
    },
  }),
  resourceRule({
    name: "rds-iam-authentication",
    description:
      "RDS instances accept IAM database authentication (the app's user signs 15-minute tokens: no password to rotate)",
    types: [RDS],
    check: (p) =>
      p["iamDatabaseAuthenticationEnabled"] === true ? undefined : "set iamDatabaseAuthenticationEnabled: true",
  }),
  resourceRule({
    name: "rds-not-public",
    description: "Databases are not publicly accessible",
    types: [RDS],
    check: (p) => (p["publiclyAccessible"] === true ? "set publiclyAccessible: false" : undefined),
  }),
  resourceRule({
    name: "fargate-no-public-ip",
    description: "ECS services get no public IP",
    types: ["aws:ecs/service:Service"],
    check: (p) =>
      (p["networkConfiguration"] as Props | undefined)?.["assignPublicIp"] === true
        ? "set networkConfiguration.assignPublicIp: false (run in private subnets behind NAT)"
        : undefined,
  }),
  resourceRule({
    name: "s3-no-public-access",
    description: "S3 public access blocks block everything",
    types: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    check: (p) =>
      ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].some((k) => p[k] !== true)
        ? "set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true"
        : undefined,
  }),
  resourceRule({
    name: "iam-no-admin-statement",
    description: 'IAM policies never allow action "*" on resource "*"',
    types: ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"],
    check: (p) =>
      statements(p["policy"]).some(
        (s) => s.Effect === "Allow" && list(s.Action).includes("*") && list(s.Resource).includes("*"),
      )
        ? 'name the actions and resources: "*" on "*" is an administrator'
        : undefined,
  }),
  // --- data safety -------------------------------------------------------------------------------------------------
  resourceRule({
    name: "rds-backup-retention",
    description: `RDS keeps automated backups (PITR) for at least ${MIN_BACKUP_RETENTION_DAYS} days`,
    environments: CLOUD_LONG_LIVED,
    types: [RDS],
    check: (p) =>
      !(Number(p["backupRetentionPeriod"]) >= MIN_BACKUP_RETENTION_DAYS)
        ? `set backupRetentionPeriod to ${MIN_BACKUP_RETENTION_DAYS} or more (got ${String(p["backupRetentionPeriod"])})`
        : undefined,
  }),
  resourceRule({
    name: "rds-final-snapshot",
    description: "RDS takes a final snapshot on deletion",
    environments: CLOUD_LONG_LIVED,
    types: [RDS],
    check: (p) =>
      p["skipFinalSnapshot"] === true || !p["finalSnapshotIdentifier"]
        ? "set skipFinalSnapshot: false and a unique finalSnapshotIdentifier"
        : undefined,
  }),
  resourceRule({
    name: "rds-deletion-protection",
    description: "Production databases have deletion protection",
    environments: PRODUCTION,
    types: [RDS],
    check: (p) => (p["deletionProtection"] !== true ? "set deletionProtection: true" : undefined),
  }),
  resourceRule({
    name: "rds-multi-az",
    description: "Production databases are Multi-AZ",
    environments: PRODUCTION,
    types: [RDS],
    check: (p) => (p["multiAz"] !== true ? "set multiAz: true" : undefined),
  }),
  resourceRule({
    name: "elasticache-failover",
    description: "Production caches have a replica with automatic failover and Multi-AZ",
    environments: PRODUCTION,
    types: [CACHE],
    check: (p) =>
      p["automaticFailoverEnabled"] !== true || p["multiAzEnabled"] !== true || !(Number(p["numCacheClusters"]) >= 2)
        ? "use at least 1 replica with automaticFailoverEnabled and multiAzEnabled"
        : undefined,
  }),
  resourceRule({
    name: "alb-deletion-protection",
    description: "Production load balancers have deletion protection",
    environments: PRODUCTION,
    types: ["aws:lb/loadBalancer:LoadBalancer"],
    check: (p) => (p["enableDeletionProtection"] !== true ? "set enableDeletionProtection: true" : undefined),
  }),
  // --- tags --------------------------------------------------------------------------------------------------------
  resourceRule({
    name: "standard-tags-not-overridden",
    description:
      "An AWS resource is declared with an AWS provider (whose defaultTags carry the standard tags), and its own tags never give Project, Stack, Environment or ManagedBy another value (a resource's tags win over its provider's)",
    types: (type) => type.startsWith("aws:"),
    check: (p, args) => {
      if (args.provider === undefined) {
        return "declare it with the stack's AWS provider (providers: [aws]): the default provider carries no standard tags";
      }
      const standard = defaultTagsOf(args.provider) ?? {};
      const own: unknown = p["tags"];
      if (typeof own !== "object" || own === null || Array.isArray(own)) return undefined;
      const overridden = STANDARD_TAG_KEYS.filter(
        (k) => (own as Props)[k] !== undefined && standard[k] !== undefined && (own as Props)[k] !== standard[k],
      );
      return overridden.length > 0
        ? `its tags set ${overridden.map((k) => `${k} "${String((own as Props)[k])}"`).join(", ")} over ${args.provider.name}'s defaultTags (${overridden.map((k) => `"${String(standard[k])}"`).join(", ")}); remove ${overridden.length === 1 ? "it" : "them"} from the resource's tags`
        : undefined;
    },
  }),
];

export const stackPolicies: StackValidationPolicy[] = [
  stackRule({
    name: "required-tags",
    description:
      "Every AWS provider tags resources with the standard tags: Project and Stack naming this project and stack, Environment one of dev, staging, production, preview (the one a stack named pr-<n>, dev, staging or production implies) and ManagedBy pulumi",
    check: (resources, report) => {
      for (const p of ofType(resources, AWS_PROVIDER)) {
        const tags = defaultTagsOf(p) ?? {};
        const missing = STANDARD_TAG_KEYS.filter((k) => !tags[k]);
        if (missing.length > 0) {
          report(`${p.name} (aws provider): add defaultTags ${missing.join(", ")}`);
          continue;
        }
        const stack = stackNameOf(p.urn);
        const expected: Props = { Project: projectNameOf(p.urn), Stack: stack, ManagedBy: "pulumi" };
        const wrong = Object.entries(expected)
          .filter(([k, v]) => tags[k] !== v)
          .map(([k, v]) => `${k} is "${String(tags[k])}", not "${String(v)}"`);
        const environment = tags["Environment"];
        const named = environmentNamed(stack);
        if (!(ENVIRONMENTS as readonly unknown[]).includes(environment)) {
          wrong.push(`Environment is "${String(environment)}", not one of ${ENVIRONMENTS.join(", ")}`);
        } else if (named !== undefined ? environment !== named : environment === "preview") {
          wrong.push(
            `Environment is "${String(environment)}" in the ${stack} stack (${named === undefined ? "only pr-<n> stacks are previews" : `expected "${named}"`})`,
          );
        }
        if (wrong.length > 0) report(`${p.name} (aws provider): defaultTags ${wrong.join("; ")}`);
      }
    },
  }),
  stackRule({
    name: "s3-encrypted",
    description: "Every S3 bucket has default encryption",
    check: (resources, report) => {
      const encrypted = new Set(
        ofType(
          resources,
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        ).flatMap((c) => c.propertyDependencies["bucket"]?.map((b) => b.urn) ?? []),
      );
      for (const b of ofType(resources, "aws:s3/bucket:Bucket")) {
        if (!encrypted.has(b.urn)) report(`${b.name} (S3 bucket): add a BucketServerSideEncryptionConfiguration`);
      }
    },
  }),
  stackRule({
    name: "s3-versioned",
    description: "Every S3 bucket is versioned, so overwritten or deleted objects (logs, state) stay recoverable",
    check: (resources, report) => {
      const versioned = new Set(
        ofType(resources, "aws:s3/bucketVersioning:BucketVersioning")
          .filter((v) => (v.props["versioningConfiguration"] as Props | undefined)?.["status"] === "Enabled")
          .flatMap((v) => v.propertyDependencies["bucket"]?.map((b) => b.urn) ?? []),
      );
      for (const b of ofType(resources, "aws:s3/bucket:Bucket")) {
        if (!versioned.has(b.urn)) report(`${b.name} (S3 bucket): add a BucketVersioning with status Enabled`);
      }
    },
  }),
  stackRule({
    name: "production-database-backup-plan",
    description: "Every production database is in an AWS Backup plan keeping 7/28/365 days with a cross-region copy",
    environments: PRODUCTION,
    check: (resources, report) => {
      const plans = ofType(resources, "aws:backup/plan:Plan");
      const selections = ofType(resources, "aws:backup/selection:Selection");
      for (const db of ofType(resources, RDS)) {
        const selection = selections.find((s) => s.propertyDependencies["resources"]?.some((r) => r.urn === db.urn));
        const plan = plans.find((p) => selection?.propertyDependencies["planId"]?.some((r) => r.urn === p.urn));
        const rules = list(plan?.props["rules"]) as Props[];
        const kept = rules
          .map((r) => Number((r["lifecycle"] as Props | undefined)?.["deleteAfter"]))
          .sort((a, b) => a - b);
        const copied = rules.length > 0 && rules.every((r) => list(r["copyActions"]).length > 0);
        if (!selection || !plan) report(`${db.name} (RDS): select it by ARN in an AWS Backup plan`);
        else if (kept.join(",") !== "7,28,365" || !copied) {
          report(
            `${db.name} (RDS): its backup plan must keep 7, 28 and 365 days and copy every rule to another region (keeps ${kept.join(",")})`,
          );
        }
      }
    },
  }),
  stackRule({
    name: "open-ingress-only-https-on-load-balancer",
    description:
      "Ingress from 0.0.0.0/0 or ::/0 is allowed only on TCP port 80 or 443 of a security group a load balancer uses",
    check: (resources, report) => {
      const balancerGroups = new Set(
        ofType(resources, LOAD_BALANCER).flatMap((lb) => lb.propertyDependencies["securityGroups"] ?? []),
      );
      const world = (cidrs: unknown[]) => cidrs.some((c) => c === "0.0.0.0/0" || c === "::/0");
      // TCP only: with protocol -1 ("all") the ports are ignored and everything is open.
      const webPort = (p: Props) =>
        ["tcp", "6"].includes(String(p["ipProtocol"] ?? p["protocol"])) &&
        [80, 443].includes(Number(p["fromPort"])) &&
        p["fromPort"] === p["toPort"];
      const fix =
        "open to the internet: admit a security group or prefix list instead (only a load balancer's 80/443 may be open)";
      const rules = resources.filter(
        (r) => r.type === INGRESS_RULE || (r.type === SECURITY_GROUP_RULE && r.props["type"] === "ingress"),
      );
      for (const rule of rules) {
        const p = rule.props;
        if (!world([p["cidrIpv4"], p["cidrIpv6"], ...list(p["cidrBlocks"]), ...list(p["ipv6CidrBlocks"])])) continue;
        const group = rule.propertyDependencies["securityGroupId"] ?? [];
        if (webPort(p) && group.some((g) => balancerGroups.has(g))) continue;
        report(`${rule.name} (${rule.type}): ${fix}`);
      }
      for (const group of ofType(resources, SECURITY_GROUP)) {
        const open = (list(group.props["ingress"]) as Props[]).filter(
          (i) =>
            world([...list(i["cidrBlocks"]), ...list(i["ipv6CidrBlocks"])]) &&
            !(webPort(i) && balancerGroups.has(group)),
        );
        if (open.length > 0) report(`${group.name} (security group): an inline ingress rule is ${fix}`);
      }
    },
  }),
  stackRule({
    name: "production-stateful-protected",
    description:
      "Production stateful resources are protected from `pulumi destroy` and renames: databases, caches, backup vaults, DNS zones and the KMS keys that encrypt a database, cache or vault",
    environments: PRODUCTION,
    check: (resources, report) => {
      const stateful = resources.filter((r) => STATEFUL.includes(r.type));
      const keys = new Set(
        stateful.flatMap((r) => Object.values(r.propertyDependencies).flat()).filter((d) => d.type === KMS_KEY),
      );
      for (const r of [...stateful, ...keys]) {
        if (r.opts.protect !== true) {
          report(
            `${r.name} (${r.type}): set the resource option protect: true (unprotect deliberately with \`pulumi state unprotect\`)`,
          );
        }
      }
    },
  }),
  stackRule({
    name: "preview-joins-staging",
    description: "A preview adds no VPC, NAT gateway, load balancer or cluster: it joins staging's",
    environments: PREVIEW,
    check: (resources, report) => {
      for (const r of resources) {
        if ((SHARED_WITH_PREVIEWS as readonly string[]).includes(r.type)) {
          report(`${r.name} (${r.type}): a preview joins staging's through the sharedPlatform StackReference`);
        }
      }
    },
  }),
  stackRule({
    name: "preview-disposable",
    description: "A preview can be destroyed in one step: nothing protected, and no database snapshot left behind",
    environments: PREVIEW,
    check: (resources, report) => {
      for (const r of resources) {
        if (r.opts.protect) report(`${r.name} (${r.type}): remove protect`);
      }
      for (const db of ofType(resources, RDS)) {
        if (db.props["deletionProtection"] === true) report(`${db.name} (RDS): set deletionProtection: false`);
        if (db.props["skipFinalSnapshot"] !== true) report(`${db.name} (RDS): set skipFinalSnapshot: true`);
      }
    },
  }),
  stackRule({
    name: "origin-authenticated",
    description:
      "An HTTPS listener behind a proxied Cloudflare name verifies the client certificate of this app's origin pulls (mutual TLS verify against a trust store), unless the stack file opts out (dns.authenticatedOriginPulls: false)",
    check: (resources, report) => {
      const optedOut = resources.some(
        (r) => r.type === "saas-platform:components:DnsZone" && r.props["authenticatedOriginPulls"] === false,
      );
      if (optedOut) return;
      const proxied = new Set(
        ofType(resources, DNS_RECORD)
          .filter((r) => r.props["proxied"] === true)
          .flatMap((r) => (r.propertyDependencies["content"] ?? []).filter((d) => d.type === LOAD_BALANCER)),
      );
      for (const listener of ofType(resources, LISTENER).filter((l) => l.props["protocol"] === "HTTPS")) {
        const lb = (listener.propertyDependencies["loadBalancerArn"] ?? []).find((d) => proxied.has(d));
        if (lb === undefined) continue;
        const mtls = (listener.props["mutualAuthentication"] ?? {}) as Props;
        if (mtls["mode"] !== "verify") {
          report(
            `${listener.name} (HTTPS listener): ${lb.name} serves proxied Cloudflare names but asks for no client certificate, so anyone's Cloudflare zone reaches it; set mutualAuthentication { mode: "verify", trustStoreArn } (OriginAuthentication)`,
          );
        } else if (
          !mtls["trustStoreArn"] &&
          // During a first preview the ARN is unknown; it still comes from a trust store.
          !(listener.propertyDependencies["mutualAuthentication"] ?? []).some(
            (d) => d.type === "aws:lb/trustStore:TrustStore",
          )
        ) {
          report(
            `${listener.name} (HTTPS listener): mutual TLS verify needs a trustStoreArn, the trust store of the CA that signed the certificate Cloudflare presents`,
          );
        }
      }
    },
  }),
  stackRule({
    name: "stateful-resources-have-alarms",
    description:
      "Every load balancer, database, cache, ECS service and scheduled job (state machine) has alarms on its own metrics (alarms whose dimensions or metric queries come from it), and every node of a replication group has its own",
    environments: CLOUD_LONG_LIVED,
    check: (resources, report) => {
      const alarms = ofType(resources, METRIC_ALARM);
      const alarmsOn = (target: PolicyResource) =>
        alarms.filter((a) =>
          ["dimensions", "metricQueries"].some((k) => (a.propertyDependencies[k] ?? []).includes(target)),
        );
      const watched: Array<[string, string]> = [
        [LOAD_BALANCER, "load balancer"],
        [RDS, "RDS"],
        [CACHE, "ElastiCache"],
        [CACHE_CLUSTER, "ElastiCache cluster"],
        [ECS_SERVICE, "ECS service"],
        [STATE_MACHINE, "scheduled job's state machine"],
      ];
      for (const [type, label] of watched) {
        for (const r of ofType(resources, type)) {
          const own = alarmsOn(r);
          if (own.length === 0) {
            report(`${r.name} (${label}): no alarm watches its metrics; add alarms (MonitoringBundle)`);
            continue;
          }
          if (type !== CACHE) continue;
          const nodes = nodesOf(r.props);
          const nodeIds = new Set(own.map((a) => (a.props["dimensions"] as Props | undefined)?.["CacheClusterId"]));
          nodeIds.delete(undefined);
          if (nodeIds.size < nodes) {
            report(
              `${r.name} (${label}): alarms watch ${nodeIds.size} of its ${nodes} nodes; alarm on each node's CacheClusterId (MonitoringBundle)`,
            );
          }
        }
      }
    },
  }),
];

/** Every rule of the pack. */
export const policies: Array<ResourceValidationPolicy | StackValidationPolicy> = [
  ...resourcePolicies,
  ...stackPolicies,
  ...deployabilityPolicies,
];
