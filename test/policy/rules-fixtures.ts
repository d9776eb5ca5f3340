/**
 * Fixtures of the guardrails (policy/rules.ts): for each rule, failing stacks that each break one condition the rule
 * checks (each is a passing stack with that one thing changed), and passing stacks. Records are as the synth would
 * record them; the stack (production unless said) decides the environment when no AWS provider tags it.
 */
import type { RecordedResource, RecordedOptions } from "../../synth/recorder";
import * as ORIGIN from "./origin-fixtures";

interface Extra {
  readonly stack?: string;
  readonly options?: RecordedOptions;
  /** Per input, the URNs of the resources its value comes from (also what the resource waits for). */
  readonly inputsFrom?: Record<string, string[]>;
  /** URN of the explicit provider. */
  readonly provider?: string;
}

export const urn = (type: string, name: string, stack = "production") =>
  `urn:pulumi:${stack}::saas-platform::${type}::${name}`;

/** A recorded resource in the given stack. */
export function rec(type: string, name: string, inputs: Record<string, unknown>, extra: Extra = {}): RecordedResource {
  const inputsFrom = extra.inputsFrom ?? {};
  return {
    urn: urn(type, name, extra.stack),
    type,
    name,
    custom: true,
    ...(extra.provider === undefined ? {} : { provider: extra.provider }),
    inputs,
    secretInputs: [],
    options: extra.options ?? {},
    dependencies: [...new Set(Object.values(inputsFrom).flat())],
    propertyDependencies: inputsFrom,
  };
}

const T = {
  rds: "aws:rds/instance:Instance",
  cache: "aws:elasticache/replicationGroup:ReplicationGroup",
  cacheCluster: "aws:elasticache/cluster:Cluster",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  repo: "aws:ecr/repository:Repository",
  zoneSetting: "cloudflare:index/zoneSetting:ZoneSetting",
  group: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  groupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  bucket: "aws:s3/bucket:Bucket",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  vault: "aws:backup/vault:Vault",
  plan: "aws:backup/plan:Plan",
  selection: "aws:backup/selection:Selection",
  key: "aws:kms/key:Key",
  zone: "cloudflare:index/zone:Zone",
  provider: "pulumi:providers:aws",
  ecsService: "aws:ecs/service:Service",
  stateMachine: "aws:sfn/stateMachine:StateMachine",
} as const;

const goodDb = {
  storageEncrypted: true,
  iamDatabaseAuthenticationEnabled: true,
  kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k",
  publiclyAccessible: false,
  backupRetentionPeriod: 14,
  skipFinalSnapshot: false,
  finalSnapshotIdentifier: "db-final-1",
  deletionProtection: true,
  multiAz: true,
  identifier: "db",
};
const goodCache = {
  atRestEncryptionEnabled: true,
  kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k",
  transitEncryptionEnabled: true,
  transitEncryptionMode: "required",
  authToken: "[secret]",
  automaticFailoverEnabled: true,
  multiAzEnabled: true,
  numCacheClusters: 2,
  replicationGroupId: "cache",
};
const protect: Extra = { options: { protect: true } };
const db = (props: Record<string, unknown> = {}, extra: Extra = protect) =>
  rec(T.rds, "db", { ...goodDb, ...props }, extra);
const cache = (props: Record<string, unknown> = {}, extra: Extra = protect) =>
  rec(T.cache, "cache", { ...goodCache, ...props }, extra);

const trail = (props: Record<string, unknown>) =>
  rec("aws:cloudtrail/trail:Trail", "trail", {
    isMultiRegionTrail: true,
    enableLogFileValidation: true,
    kmsKeyId: "arn:k",
    ...props,
  });
const forceSsl = (parameters: unknown[], family = "postgres17") =>
  rec("aws:rds/parameterGroup:ParameterGroup", "p", { family, parameters });
const blocks = (props: Record<string, unknown>) =>
  rec("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "b", {
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
    ...props,
  });
const rolePolicy = (...statements: object[]) =>
  rec(T.rolePolicy, "p", { policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
const kmsKey = (...statements: object[]) => rec(T.key, "k", { policy: JSON.stringify({ Statement: statements }) });
const ACCOUNT = { AWS: "arn:aws:iam::1:root" };
const READ_IMAGES = { Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" };
const ADMIN = { Effect: "Allow", Action: "*", Resource: "*" };

// --- tags -------------------------------------------------------------------------------------------------------
const STANDARD = { Project: "saas-platform", Stack: "production", Environment: "production", ManagedBy: "pulumi" };
const awsProvider = (tags: Record<string, unknown> | undefined, stack = "production") =>
  rec(T.provider, "aws", tags === undefined ? { region: "eu-west-1" } : { defaultTags: JSON.stringify({ tags }) }, {
    stack,
  });
const provider = awsProvider(STANDARD);
const taggedBucket = (tags: Record<string, string> | undefined, extra: Extra = { provider: provider.urn }) =>
  rec(T.bucket, "logs", tags === undefined ? {} : { tags }, extra);

// --- exposure ---------------------------------------------------------------------------------------------------
const albGroup = rec(T.group, "api-alb", {});
const serviceGroup = rec(T.group, "api-service", {});
const balancer = rec(T.lb, "api-alb", {}, { inputsFrom: { securityGroups: [albGroup.urn] } });
const ingress = (name: string, props: Record<string, unknown>, group = albGroup) =>
  rec(T.ingress, name, { ipProtocol: "tcp", ...props }, { inputsFrom: { securityGroupId: [group.urn] } });
const https = { fromPort: 443, toPort: 443 };
/** A load balancer, its group and the service's, with `rules` added. */
const exposure = (...rules: RecordedResource[]) => [albGroup, serviceGroup, balancer, ...rules];
const inlineGroup = (group: RecordedResource, ingressRules: object[]) => ({
  ...group,
  inputs: { ingress: ingressRules },
});

// --- backups ----------------------------------------------------------------------------------------------------
const backupPlan = (rules: object[]) => rec(T.plan, "plan", { rules });
const FULL_PLAN = [7, 28, 365].map((d) => ({
  lifecycle: { deleteAfter: d },
  copyActions: [{ destinationVaultArn: "arn:dr" }],
}));
const selection = (inputsFrom: Record<string, string[]>) => rec(T.selection, "sel", {}, { inputsFrom });
const selected = { resources: [urn(T.rds, "db")], planId: [urn(T.plan, "plan")] };

// --- protection -------------------------------------------------------------------------------------------------
const dataKey = (options: RecordedOptions) => rec(T.key, "data", {}, { options });
const keyedDb = rec(T.rds, "db", goodDb, { ...protect, inputsFrom: { kmsKeyId: [urn(T.key, "data")] } });

// --- alarms -----------------------------------------------------------------------------------------------------
const lb = (name: string) => rec(T.lb, name, {});
const rds = (name: string) => rec(T.rds, name, { ...goodDb, identifier: name }, protect);
const replicationGroup = (name: string, nodes = 2) =>
  rec(T.cache, name, { ...goodCache, replicationGroupId: name, numCacheClusters: nodes }, protect);
/** An alarm whose `via` input (dimensions or metricQueries) comes from `target`. */
const alarmOn = (target: RecordedResource, dimensions: Record<string, string>, via = "dimensions") =>
  rec(
    T.alarm,
    `${target.name}-${Object.values(dimensions).join("-") || "queries"}`,
    via === "dimensions" ? { dimensions } : { metricQueries: [{ id: "m", metric: { dimensions } }] },
    { inputsFrom: { [via]: [target.urn] } },
  );
const watchedLb = (name: string) => [lb(name), alarmOn(lb(name), { LoadBalancer: `app/${name}/1` })];
const watchedDb = (name: string) => [rds(name), alarmOn(rds(name), { DBInstanceIdentifier: name })];
const watchedCache = (name: string) => [
  replicationGroup(name),
  alarmOn(replicationGroup(name), { CacheClusterId: `${name}-001` }),
  alarmOn(replicationGroup(name), { CacheClusterId: `${name}-002` }),
];
/** A cluster-mode group of 2 shards of 2 nodes, with alarms on `watchedNodes` of them. */
const shardedCache = (watchedNodes: number) => {
  const group = rec(
    T.cache,
    "sharded",
    { ...goodCache, numCacheClusters: undefined, numNodeGroups: 2, replicasPerNodeGroup: 1 },
    protect,
  );
  const ids = ["0001-001", "0001-002", "0002-001", "0002-002"].slice(0, watchedNodes);
  return [group, ...ids.map((id) => alarmOn(group, { CacheClusterId: `sharded-${id}` }))];
};
/** A replication group that says nothing of its nodes: one node. */
const singleNodeCache = rec(
  T.cache,
  "single",
  { ...goodCache, replicationGroupId: "single", numCacheClusters: undefined },
  protect,
);
const ecsService = (name: string) => rec(T.ecsService, name, { name, networkConfiguration: { assignPublicIp: false } });
const watchedService = (name: string) => [
  ecsService(name),
  alarmOn(ecsService(name), { ClusterName: "cluster", ServiceName: name }),
];
const stateMachine = (name: string) => rec(T.stateMachine, name, { name });
const watchedJob = (name: string) => [
  stateMachine(name),
  alarmOn(stateMachine(name), { StateMachineArn: `arn:aws:states:eu-west-1:1:stateMachine:${name}` }, "metricQueries"),
];
/** One of each, each with its alarms. */
const watched = [
  ...watchedLb("api-alb"),
  ...watchedDb("db"),
  ...watchedCache("cache"),
  ...watchedService("api"),
  ...watchedJob("nightly"),
];

/** In a stack of the same project named `stack`. */
const inStack = (stack: string, r: RecordedResource): RecordedResource => ({
  ...r,
  urn: r.urn.replace("urn:pulumi:production::", `urn:pulumi:${stack}::`),
});

export const RULE_FIXTURES: Record<
  string,
  { readonly fail: Record<string, RecordedResource[]>; readonly pass: Record<string, RecordedResource[]> }
> = {
  "rds-storage-encrypted": {
    fail: {
      "storage not encrypted": [db({ storageEncrypted: false })],
      "no customer key": [db({ kmsKeyId: undefined })],
    },
    pass: { "encrypted with a customer key": [db()] },
  },
  "elasticache-encrypted-at-rest": {
    fail: { "encryption at rest off": [cache({ atRestEncryptionEnabled: false })] },
    pass: { "encrypted at rest": [cache()] },
  },
  "sns-encrypted": {
    fail: { "no key": [rec("aws:sns/topic:Topic", "t", {})] },
    pass: { "a key": [rec("aws:sns/topic:Topic", "t", { kmsMasterKeyId: "arn:k" })] },
  },
  "backup-vault-encrypted": {
    fail: { "a copy vault without a key": [rec(T.vault, "copy", { region: "eu-central-1" }, protect)] },
    pass: {
      "each vault with a key": [
        rec(T.vault, "v", { kmsKeyArn: "arn:k" }, protect),
        rec(T.vault, "copy", { region: "eu-central-1", kmsKeyArn: "arn:k2" }, protect),
      ],
    },
  },
  "log-groups-encrypted": {
    fail: { "no key in production": [rec(T.logGroup, "logs", { retentionInDays: 30 })] },
    pass: {
      "the logs key": [rec(T.logGroup, "logs", { retentionInDays: 30, kmsKeyId: "arn:k" })],
      "no key in a preview": [rec(T.logGroup, "logs", { retentionInDays: 3 }, { stack: "pr-1" })],
    },
  },
  "cloudtrail-baseline": {
    fail: {
      "one region only": [trail({ isMultiRegionTrail: false })],
      "log files not validated": [trail({ enableLogFileValidation: false })],
      "no customer key": [trail({ kmsKeyId: undefined })],
    },
    pass: { "every region, validated, encrypted": [trail({})] },
  },
  "ecr-kms-encrypted": {
    fail: {
      AES256: [rec(T.repo, "repo", { encryptionConfigurations: [{ encryptionType: "AES256" }] })],
      "no encryption configuration": [rec(T.repo, "repo", {})],
    },
    pass: { KMS: [rec(T.repo, "repo", { encryptionConfigurations: [{ encryptionType: "KMS" }] })] },
  },
  "secrets-customer-key": {
    fail: { "the AWS-managed key": [rec("aws:secretsmanager/secret:Secret", "url", {})] },
    pass: { "a customer key": [rec("aws:secretsmanager/secret:Secret", "url", { kmsKeyId: "arn:k" })] },
  },
  "elasticache-customer-key": {
    fail: { "the AWS-managed key": [cache({ kmsKeyId: undefined })] },
    pass: { "a customer key": [cache()] },
  },
  "log-group-retention": {
    fail: {
      "kept forever": [rec(T.logGroup, "l", {})],
      "a retention of 0 days": [rec(T.logGroup, "l", { retentionInDays: 0 })],
    },
    pass: { "30 days": [rec(T.logGroup, "l", { retentionInDays: 30 })] },
  },
  "ecr-scan-on-push": {
    fail: { "no scan on push": [rec(T.repo, "r", { imageTagMutability: "IMMUTABLE" })] },
    pass: {
      "scan on push": [
        rec(T.repo, "r", { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } }),
      ],
    },
  },
  "ecr-immutable-tags": {
    fail: {
      "mutable tags": [
        rec(T.repo, "r", { imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true } }),
      ],
    },
    pass: {
      "immutable tags": [
        rec(T.repo, "r", { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } }),
      ],
    },
  },
  "rds-force-ssl": {
    fail: {
      "rds.force_ssl 0": [forceSsl([{ name: "rds.force_ssl", value: "0" }])],
      "no rds.force_ssl parameter": [forceSsl([{ name: "log_min_duration_statement", value: "500" }])],
      "another parameter set to 1": [forceSsl([{ name: "log_connections", value: "1" }])],
    },
    pass: {
      "rds.force_ssl 1": [forceSsl([{ name: "rds.force_ssl", value: "1" }])],
      "a MySQL parameter group": [forceSsl([], "mysql8.0")],
      "a family not known yet": [rec("aws:rds/parameterGroup:ParameterGroup", "p", { parameters: [] })],
    },
  },
  "elasticache-in-transit": {
    fail: {
      "TLS off": [cache({ transitEncryptionEnabled: false })],
      "TLS preferred, not required": [cache({ transitEncryptionMode: "preferred" })],
      "no auth token": [cache({ authToken: undefined })],
    },
    pass: { "TLS required with an auth token": [cache()] },
  },
  "alb-tls-policy": {
    fail: {
      "a 2016 policy": [rec(T.listener, "https", { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" })],
    },
    pass: {
      "TLS 1.2 and 1.3": [
        rec(T.listener, "https", { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
      ],
      "an HTTP listener": [
        rec(T.listener, "http", {
          protocol: "HTTP",
          defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }],
        }),
      ],
    },
  },
  "alb-http-redirects": {
    fail: {
      forwards: [rec(T.listener, "http", { protocol: "HTTP", defaultActions: [{ type: "forward" }] })],
      "redirects to HTTP": [
        rec(T.listener, "http", {
          protocol: "HTTP",
          defaultActions: [{ type: "redirect", redirect: { protocol: "HTTP", port: "8080" } }],
        }),
      ],
      "a forward with a redirect block": [
        rec(T.listener, "http", {
          protocol: "HTTP",
          defaultActions: [{ type: "forward", redirect: { protocol: "HTTPS" } }],
        }),
      ],
      "a redirect without its target": [
        rec(T.listener, "http", { protocol: "HTTP", defaultActions: [{ type: "redirect" }] }),
      ],
      "a redirect and another action": [
        rec(T.listener, "http", {
          protocol: "HTTP",
          defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }, { type: "forward" }],
        }),
      ],
    },
    pass: {
      "redirects to HTTPS": [
        rec(T.listener, "http", {
          protocol: "HTTP",
          defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }],
        }),
      ],
      "an HTTPS listener forwarding": [
        rec(T.listener, "https", { protocol: "HTTPS", defaultActions: [{ type: "forward" }] }),
      ],
    },
  },
  "alb-drops-invalid-headers": {
    fail: { "keeps invalid headers": [rec(T.lb, "alb", { enableDeletionProtection: true })] },
    pass: { "drops them": [rec(T.lb, "alb", { enableDeletionProtection: true, dropInvalidHeaderFields: true })] },
  },
  "cloudflare-ssl-strict": {
    fail: { flexible: [rec(T.zoneSetting, "ssl", { settingId: "ssl", value: "flexible" })] },
    pass: {
      strict: [rec(T.zoneSetting, "ssl", { settingId: "ssl", value: "strict" })],
      "another setting": [rec(T.zoneSetting, "h", { settingId: "always_use_https", value: "on" })],
    },
  },
  "cloudflare-always-https": {
    fail: { off: [rec(T.zoneSetting, "h", { settingId: "always_use_https", value: "off" })] },
    pass: { on: [rec(T.zoneSetting, "h", { settingId: "always_use_https", value: "on" })] },
  },
  "cloudflare-min-tls": {
    fail: { "TLS 1.0": [rec(T.zoneSetting, "t", { settingId: "min_tls_version", value: "1.0" })] },
    pass: {
      "TLS 1.2": [rec(T.zoneSetting, "t", { settingId: "min_tls_version", value: "1.2" })],
      "TLS 1.3": [rec(T.zoneSetting, "t", { settingId: "min_tls_version", value: "1.3" })],
    },
  },
  "kms-keys-no-direct-use": {
    // One fixture per condition: test/policy/kms-keys.test.ts.
    fail: {
      "the account may use it directly": [
        rec(T.key, "k", {
          policy: JSON.stringify({
            Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "kms:*", Resource: "*" }],
          }),
        }),
      ],
      "no policy (the default one)": [rec(T.key, "k", {})],
      "administration and one use in one statement": [
        kmsKey({ Effect: "Allow", Principal: ACCOUNT, Action: ["kms:Describe*", "kms:Decrypt"], Resource: "*" }),
      ],
      // IAM matches actions case-insensitively, with * and ? wildcards anywhere.
      "every action of every service": [kmsKey({ Effect: "Allow", Principal: ACCOUNT, Action: "*", Resource: "*" })],
      "a partial wildcard that covers Decrypt": [
        kmsKey({ Effect: "Allow", Principal: ACCOUNT, Action: "kms:De*", Resource: "*" }),
      ],
      "a ? wildcard that covers Encrypt": [
        kmsKey({ Effect: "Allow", Principal: ACCOUNT, Action: "kms:?ncrypt", Resource: "*" }),
      ],
      "an action in upper case": [
        kmsKey({ Effect: "Allow", Principal: ACCOUNT, Action: "KMS:DECRYPT", Resource: "*" }),
      ],
      "a grant, through which a principal grants itself use": [
        kmsKey({ Effect: "Allow", Principal: ACCOUNT, Action: "kms:CreateGrant", Resource: "*" }),
      ],
      "everyone as a plain *": [kmsKey({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" })],
      "everyone but one principal": [
        kmsKey({ Effect: "Allow", NotPrincipal: ACCOUNT, Action: "kms:Decrypt", Resource: "*" }),
      ],
      // Condition keys are matched by name; a value that mentions kms:ViaService limits nothing.
      "kms:ViaService only in a condition's value": [
        kmsKey({
          Effect: "Allow",
          Principal: ACCOUNT,
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringEquals: { "aws:PrincipalTag/note": "kms:ViaService" } },
        }),
      ],
      "every action but administration": [
        kmsKey({ Effect: "Allow", Principal: ACCOUNT, NotAction: "kms:ScheduleKeyDeletion", Resource: "*" }),
      ],
    },
    pass: {
      "the account administers it": [
        rec(T.key, "k", {
          policy: JSON.stringify({
            Statement: [
              { Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: ["kms:Describe*"], Resource: "*" },
            ],
          }),
        }),
      ],
      "wildcards that cover no use (Describe*, Get*, List*)": [
        kmsKey({
          Effect: "Allow",
          Principal: ACCOUNT,
          Action: ["kms:Describe*", "kms:Get*", "kms:List*"],
          Resource: "*",
        }),
      ],
      "every action but the key's": [
        kmsKey({ Effect: "Allow", Principal: ACCOUNT, NotAction: "kms:*", Resource: "*" }),
      ],
      "use through a service, for everyone": [
        kmsKey({
          Effect: "Allow",
          Principal: "*",
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
        }),
      ],
      // IAM condition keys are case-insensitive (IAM User Guide, "IAM JSON policy elements: Condition").
      "use through a service, the condition key in lower case": [
        kmsKey({
          Effect: "Allow",
          Principal: ACCOUNT,
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringLike: { "kms:viaservice": "rds.*.amazonaws.com" } },
        }),
      ],
      // Not valid in a key policy, but it must not stop the pack.
      "a statement naming no principal": [kmsKey({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" })],
    },
  },
  "rds-iam-authentication": {
    fail: { "IAM authentication off": [db({ iamDatabaseAuthenticationEnabled: false })] },
    pass: { "IAM authentication on": [db()] },
  },
  "rds-not-public": {
    fail: { "publicly accessible": [db({ publiclyAccessible: true })] },
    pass: { private: [db()] },
  },
  "open-ingress-only-https-on-load-balancer": {
    fail: {
      "443 open on a group no load balancer uses": [
        ...exposure(ingress("service-443", { cidrIpv4: "0.0.0.0/0", ...https }, serviceGroup)),
      ],
      "22 open on the load balancer's group": [
        ...exposure(ingress("api-alb-22", { cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22 })),
      ],
      "22 open over IPv6 on the load balancer's group": [
        ...exposure(ingress("api-alb-22-ipv6", { cidrIpv6: "::/0", fromPort: 22, toPort: 22 })),
      ],
      "443 to 65535 open on the load balancer's group": [
        ...exposure(ingress("api-alb-high", { cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 65535 })),
      ],
      "every protocol open on the load balancer's 443": [
        ...exposure(ingress("api-alb-all", { cidrIpv4: "0.0.0.0/0", ...https, ipProtocol: "-1" })),
      ],
      "a legacy ingress rule open on 22": [
        ...exposure(
          rec(
            T.groupRule,
            "api-alb-ssh",
            { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
            { inputsFrom: { securityGroupId: [albGroup.urn] } },
          ),
        ),
      ],
      "a legacy ingress rule open on 22 over IPv6": [
        ...exposure(
          rec(
            T.groupRule,
            "api-alb-ssh-ipv6",
            { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] },
            { inputsFrom: { securityGroupId: [albGroup.urn] } },
          ),
        ),
      ],
      // Which group it opens is unknown: it may be any group.
      "443 open on a group given by a literal id": [
        ...exposure(
          rec(
            T.ingress,
            "sg-443",
            { ipProtocol: "tcp", cidrIpv4: "0.0.0.0/0", ...https, securityGroupId: "sg-0123" },
            { inputsFrom: { securityGroupId: [] } },
          ),
        ),
      ],
      "an inline rule open on 443 over IPv6 of a group no load balancer uses": [
        albGroup,
        inlineGroup(serviceGroup, [{ protocol: "tcp", ...https, ipv6CidrBlocks: ["::/0"] }]),
        balancer,
      ],
      "an inline rule open on 443 of a group no load balancer uses": [
        albGroup,
        inlineGroup(serviceGroup, [{ protocol: "tcp", ...https, cidrBlocks: ["0.0.0.0/0"] }]),
        balancer,
      ],
    },
    pass: {
      "80 and 443 open on the load balancer's group, over IPv4 and IPv6": [
        ...exposure(
          ingress("api-alb-80", { cidrIpv4: "0.0.0.0/0", fromPort: 80, toPort: 80 }),
          ingress("api-alb-443", { cidrIpv4: "0.0.0.0/0", ...https }),
          ingress("api-alb-443-ipv6", { cidrIpv6: "::/0", ...https }),
        ),
      ],
      "443 open over TCP given by its number (6)": [
        ...exposure(ingress("api-alb-443-6", { cidrIpv4: "0.0.0.0/0", ...https, ipProtocol: "6" })),
      ],
      "the database admits a group": [
        ...exposure(
          ingress("db-from-api", { referencedSecurityGroupId: "sg-1", fromPort: 5432, toPort: 5432 }, serviceGroup),
        ),
      ],
      "a legacy egress rule to the internet": [
        ...exposure(
          rec(
            T.groupRule,
            "service-https-out",
            { type: "egress", protocol: "tcp", ...https, cidrBlocks: ["0.0.0.0/0"] },
            { inputsFrom: { securityGroupId: [serviceGroup.urn] } },
          ),
        ),
      ],
      "an inline rule open on 443 of the load balancer's group": [
        inlineGroup(albGroup, [{ protocol: "tcp", ...https, cidrBlocks: ["0.0.0.0/0"] }]),
        serviceGroup,
        balancer,
      ],
    },
  },
  "fargate-no-public-ip": {
    fail: {
      "a public IP": [rec("aws:ecs/service:Service", "api", { networkConfiguration: { assignPublicIp: true } })],
    },
    pass: {
      "no public IP": [rec("aws:ecs/service:Service", "api", { networkConfiguration: { assignPublicIp: false } })],
      "no network configuration (not awsvpc)": [rec("aws:ecs/service:Service", "api", {})],
    },
  },
  "s3-no-public-access": {
    fail: {
      "public ACLs accepted": [blocks({ blockPublicAcls: false })],
      "public policies accepted": [blocks({ blockPublicPolicy: false })],
      "public ACLs honoured": [blocks({ ignorePublicAcls: false })],
      "public buckets unrestricted": [blocks({ restrictPublicBuckets: false })],
    },
    pass: { "everything blocked": [blocks({})] },
  },
  "iam-no-admin-statement": {
    fail: {
      "* on * alone": [rolePolicy(ADMIN)],
      "* on * beside a normal statement": [rolePolicy(READ_IMAGES, ADMIN)],
      "* on * in a managed policy, in lists": [
        rec("aws:iam/policy:Policy", "p", {
          policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: ["*"] }] }),
        }),
      ],
    },
    pass: {
      "named actions on *": [rolePolicy(READ_IMAGES)],
      "* on a named resource": [rolePolicy({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::logs/*" })],
      "a Deny of * on *": [rolePolicy(READ_IMAGES, { Effect: "Deny", Action: "*", Resource: "*" })],
    },
  },
  "rds-backup-retention": {
    fail: { "3 days in staging": [db({ backupRetentionPeriod: 3 }, { stack: "staging" })] },
    // Previews are disposable: a 1-day window is allowed there.
    pass: {
      "14 days in production": [db()],
      "1 day in a preview": [db({ backupRetentionPeriod: 1 }, { stack: "pr-7" })],
    },
  },
  "rds-final-snapshot": {
    fail: {
      "skipped in production": [db({ skipFinalSnapshot: true })],
      "skipped in staging": [db({ skipFinalSnapshot: true, deletionProtection: false }, { stack: "staging" })],
      "no snapshot identifier": [db({ finalSnapshotIdentifier: undefined })],
    },
    // A preview's database is disposable (the preview-disposable rule requires it).
    pass: {
      "a final snapshot": [db()],
      "skipped in a preview": [db({ skipFinalSnapshot: true, deletionProtection: false }, { stack: "pr-42" })],
    },
  },
  "rds-deletion-protection": {
    fail: { "off in production": [db({ deletionProtection: false })] },
    pass: { on: [db()], "off in staging": [db({ deletionProtection: false }, { stack: "staging" })] },
  },
  "rds-multi-az": {
    fail: { "single-AZ in production": [db({ multiAz: false })] },
    pass: { "Multi-AZ": [db()], "single-AZ in staging": [db({ multiAz: false }, { stack: "staging" })] },
  },
  "elasticache-failover": {
    fail: {
      "no automatic failover": [cache({ automaticFailoverEnabled: false })],
      "not Multi-AZ": [cache({ multiAzEnabled: false })],
      "one node": [cache({ numCacheClusters: 1 })],
    },
    pass: {
      "a replica, failover and Multi-AZ": [cache()],
      "one node in staging": [cache({ numCacheClusters: 1 }, { stack: "staging" })],
    },
  },
  "alb-deletion-protection": {
    fail: {
      "off in production": [rec(T.lb, "alb", { dropInvalidHeaderFields: true, enableDeletionProtection: false })],
    },
    pass: { on: [rec(T.lb, "alb", { dropInvalidHeaderFields: true, enableDeletionProtection: true })] },
  },
  "standard-tags-not-overridden": {
    fail: {
      "its own Environment tag": [provider, taggedBucket({ App: "acme", Environment: "dev" })],
      "its own ManagedBy tag": [provider, taggedBucket({ ManagedBy: "terraform" })],
      "no explicit provider (the default one has no standard tags)": [provider, taggedBucket({ App: "acme" }, {})],
    },
    pass: {
      "tags of its own beside the standard ones": [provider, taggedBucket({ App: "acme", Name: "saas-platform-logs" })],
      "a standard tag repeated with its value": [provider, taggedBucket({ Environment: "production" })],
      "no tags": [provider, taggedBucket(undefined)],
      "tags null": [provider, rec(T.bucket, "logs", { tags: null }, { provider: provider.urn })],
      "a standard tag its provider does not set": [
        awsProvider(undefined),
        taggedBucket({ Environment: "dev" }, { provider: awsProvider(undefined).urn }),
      ],
      "a resource of another cloud": [rec("cloudflare:index/dnsRecord:DnsRecord", "api", { name: "api" })],
    },
  },
  "required-tags": {
    fail: {
      "Environment and ManagedBy missing": [awsProvider({ Project: "saas-platform", Stack: "production" })],
      "no defaultTags": [awsProvider(undefined)],
      "ManagedBy another tool": [awsProvider({ ...STANDARD, ManagedBy: "terraform" })],
      "Stack naming another stack": [awsProvider({ ...STANDARD, Stack: "staging" })],
      "Project naming another project": [awsProvider({ ...STANDARD, Project: "other" })],
      "an Environment that is none": [awsProvider({ ...STANDARD, Environment: "prod" })],
      "staging's Environment in the production stack": [awsProvider({ ...STANDARD, Environment: "staging" })],
      "a preview outside a pr-<n> stack": [
        awsProvider({ ...STANDARD, Stack: "prod-eu", Environment: "preview" }, "prod-eu"),
      ],
    },
    pass: {
      "the production stack": [awsProvider(STANDARD)],
      "production in a stack named otherwise": [
        awsProvider({ ...STANDARD, Stack: "prod-eu", Environment: "production" }, "prod-eu"),
      ],
      "a preview": [awsProvider({ ...STANDARD, Stack: "pr-7", Environment: "preview" }, "pr-7")],
    },
  },
  "s3-encrypted": {
    fail: {
      "no encryption configuration": [rec(T.bucket, "logs", {})],
      "the configuration of another bucket": [
        rec(T.bucket, "logs", {}),
        rec(T.bucket, "state", {}),
        rec(T.encryption, "state", {}, { inputsFrom: { bucket: [urn(T.bucket, "state")] } }),
      ],
      // Rules judge relations, never names: a literal bucket name is no proof.
      "a configuration naming the bucket by a literal": [
        rec(T.bucket, "logs", {}),
        rec(T.encryption, "logs", { bucket: "logs" }, { inputsFrom: { bucket: [] } }),
      ],
      "a configuration without a bucket dependency": [
        rec(T.bucket, "logs", {}),
        rec(T.encryption, "logs", { bucket: "logs" }),
      ],
    },
    pass: {
      "each bucket configured": [
        rec(T.bucket, "logs", {}),
        rec(T.encryption, "logs", {}, { inputsFrom: { bucket: [urn(T.bucket, "logs")] } }),
      ],
    },
  },
  "s3-versioned": {
    fail: {
      "versioning suspended": [
        rec(T.bucket, "logs", {}),
        rec(
          T.versioning,
          "logs",
          { versioningConfiguration: { status: "Suspended" } },
          { inputsFrom: { bucket: [urn(T.bucket, "logs")] } },
        ),
      ],
      "no versioning": [rec(T.bucket, "logs", {})],
      "a versioning whose configuration is not known": [
        rec(T.bucket, "logs", {}),
        rec(T.versioning, "logs", {}, { inputsFrom: { bucket: [urn(T.bucket, "logs")] } }),
      ],
      "an enabled versioning without a bucket dependency": [
        rec(T.bucket, "logs", {}),
        rec(T.versioning, "logs", { bucket: "logs", versioningConfiguration: { status: "Enabled" } }),
      ],
      "the versioning of another bucket": [
        rec(T.bucket, "logs", {}),
        rec(T.bucket, "state", {}),
        rec(
          T.versioning,
          "state",
          { versioningConfiguration: { status: "Enabled" } },
          { inputsFrom: { bucket: [urn(T.bucket, "state")] } },
        ),
      ],
    },
    pass: {
      "versioning enabled": [
        rec(T.bucket, "logs", {}),
        rec(
          T.versioning,
          "logs",
          { versioningConfiguration: { status: "Enabled" } },
          { inputsFrom: { bucket: [urn(T.bucket, "logs")] } },
        ),
      ],
    },
  },
  "production-database-backup-plan": {
    fail: {
      "in no selection": [db(), backupPlan(FULL_PLAN)],
      "selected, in no plan": [db(), backupPlan(FULL_PLAN), selection({ resources: selected.resources })],
      "a selection of another database": [
        db(),
        backupPlan(FULL_PLAN),
        selection({ resources: [urn(T.rds, "other")], planId: selected.planId }),
      ],
      "a selection of another database of the stack": [
        db(),
        rds("other"),
        backupPlan(FULL_PLAN),
        selection({ resources: [urn(T.rds, "other")], planId: selected.planId }),
      ],
      "a selection by tags only": [db(), backupPlan(FULL_PLAN), selection({ planId: selected.planId })],
      "a selection naming its plan by a literal id": [
        db(),
        backupPlan(FULL_PLAN),
        selection({ resources: selected.resources, planId: [] }),
      ],
      "a rule keeping backups forever": [
        db(),
        backupPlan([...FULL_PLAN.slice(0, 2), { copyActions: [{ destinationVaultArn: "arn:dr" }] }]),
        selection(selected),
      ],
      "7 days only": [db(), backupPlan(FULL_PLAN.slice(0, 1)), selection(selected)],
      "a rule without a cross-region copy": [
        db(),
        backupPlan([...FULL_PLAN.slice(0, 2), { lifecycle: { deleteAfter: 365 } }]),
        selection(selected),
      ],
    },
    pass: {
      "7, 28 and 365 days, each copied": [db(), backupPlan(FULL_PLAN), selection(selected)],
      "no plan in staging": [db({}, { stack: "staging" })],
      "the rules in another order": [db(), backupPlan([...FULL_PLAN].reverse()), selection(selected)],
      "in the full plan, beside a shorter one": [
        db(),
        rec(T.plan, "short", { rules: FULL_PLAN.slice(0, 1) }),
        backupPlan(FULL_PLAN),
        selection(selected),
      ],
    },
  },
  "preview-joins-staging": {
    fail: {
      "a VPC": [rec("aws:ec2/vpc:Vpc", "network-vpc", {}, { stack: "pr-42" })],
      "a NAT gateway": [rec("aws:ec2/natGateway:NatGateway", "network-nat-1", {}, { stack: "pr-42" })],
      "an Elastic IP": [rec("aws:ec2/eip:Eip", "network-nat-1", {}, { stack: "pr-42" })],
      "a load balancer": [rec(T.lb, "api-alb", {}, { stack: "pr-42" })],
      "a cluster": [rec("aws:ecs/cluster:Cluster", "api-cluster", {}, { stack: "pr-42" })],
    },
    // A stack rule sees one stack at a time; staging's own VPC and load balancer are checked by the real synth.
    pass: {
      "a route and a certificate on staging's load balancer": [
        rec("aws:lb/listenerRule:ListenerRule", "api-route", {}, { stack: "pr-42" }),
        rec("aws:lb/listenerCertificate:ListenerCertificate", "api-certificate", {}, { stack: "pr-42" }),
      ],
      "staging's own": [rec("aws:ec2/vpc:Vpc", "network-vpc", {}, { stack: "staging" })],
    },
  },
  "preview-disposable": {
    fail: {
      "a protected resource": [rec(T.repo, "api-repo", {}, { stack: "pr-42", ...protect })],
      "a database with deletion protection": [
        db({ skipFinalSnapshot: true, deletionProtection: true }, { stack: "pr-42" }),
      ],
      "a database that leaves a final snapshot": [
        db({ skipFinalSnapshot: false, deletionProtection: false }, { stack: "pr-42" }),
      ],
    },
    pass: {
      "nothing protected, no snapshot": [
        db({ skipFinalSnapshot: true, deletionProtection: false }, { stack: "pr-42" }),
        rec(T.repo, "api-repo", {}, { stack: "pr-42" }),
      ],
    },
  },
  "production-stateful-protected": {
    fail: {
      "an unprotected database": [db({}, {})],
      "an unprotected cache": [cache({}, {})],
      "an unprotected backup vault": [rec(T.vault, "vault", { kmsKeyArn: "arn:k" })],
      "an unprotected DNS zone": [rec(T.zone, "dns-zone", {})],
      "the unprotected key of a protected database": [dataKey({}), keyedDb],
      "the unprotected key of a protected vault": [
        dataKey({}),
        rec(T.vault, "vault", {}, { ...protect, inputsFrom: { kmsKeyArn: [urn(T.key, "data")] } }),
      ],
    },
    pass: {
      "a protected database and its key": [dataKey({ protect: true }), keyedDb],
      "an unprotected key no stateful resource uses": [
        dataKey({}),
        rec(T.logGroup, "logs", { retentionInDays: 30 }, { inputsFrom: { kmsKeyId: [urn(T.key, "data")] } }),
      ],
      "unprotected in staging": [inStack("staging", dataKey({})), db({}, { stack: "staging" })],
    },
  },
  // One fixture per condition: test/policy/origin-authenticated.test.ts.
  "origin-authenticated": {
    fail: {
      "no client certificate asked for": ORIGIN.stack({}),
      // Only the DnsZone component records the stack file's opt-out.
      "another component's authenticatedOriginPulls: false": [
        { ...rec("saas-platform:components:Api", "api", { authenticatedOriginPulls: false }), custom: false },
        ...ORIGIN.stack({}),
      ],
      "verify waiting for something other than a trust store": [
        ORIGIN.lb,
        ORIGIN.record(),
        rec("aws:s3/bucketObjectv2:BucketObjectv2", "origin-ca-bundle", {}),
        ORIGIN.listener({ mode: "verify" }, [urn("aws:s3/bucketObjectv2:BucketObjectv2", "origin-ca-bundle")]),
      ],
    },
    pass: {
      "mutual TLS verify against a trust store": ORIGIN.stack({
        mode: "verify",
        trustStoreArn: "arn:aws:elasticloadbalancing:eu-west-1:1:truststore/t/1",
      }),
    },
  },
  "stateful-resources-have-alarms": {
    fail: {
      "a second load balancer without alarms": [...watched, lb("admin-alb")],
      "a second database without alarms": [...watched, rds("reports")],
      "a second cache without alarms": [...watched, replicationGroup("sessions")],
      "a cache node without alarms": [...watched.filter((r) => !r.name.endsWith("cache-002"))],
      "a node of a cluster-mode cache without alarms": [...watched, ...shardedCache(3)],
      "the node of a single-node cache without an alarm of its own": [
        ...watched,
        singleNodeCache,
        alarmOn(singleNodeCache, { ReplicationGroupId: "single" }),
      ],
      "a cache cluster without alarms": [...watched, rec(T.cacheCluster, "queue", { numCacheNodes: 1 })],
      "a second ECS service (a worker) without alarms": [...watched, ecsService("worker")],
      "a scheduled job without a failure alarm": [...watched, stateMachine("weekly")],
      // The identifier in the dimensions is not enough: the alarm must take it from the database.
      "an alarm that names the database but does not depend on it": [
        ...watched.filter((r) => r.name !== "db-db"),
        rec(T.alarm, "db-cpu", { dimensions: { DBInstanceIdentifier: "db" } }),
      ],
    },
    pass: {
      "every load balancer, database, cache and node watched": [
        ...watched,
        ...watchedLb("admin-alb"),
        ...watchedDb("reports"),
        ...watchedCache("sessions"),
        ...watchedService("worker"),
        ...watchedJob("weekly"),
      ],
      "every node of a cluster-mode cache watched": [...watched, ...shardedCache(4)],
      "the node of a single-node cache watched": [
        ...watched,
        singleNodeCache,
        alarmOn(singleNodeCache, { CacheClusterId: "single-001" }),
      ],
      "each node watched, and the group through metric queries": [
        ...watched,
        alarmOn(replicationGroup("cache"), { ReplicationGroupId: "cache" }, "metricQueries"),
      ],
      "a load balancer watched through metric queries": [
        lb("api-alb"),
        alarmOn(lb("api-alb"), { LoadBalancer: "app/api-alb/1" }, "metricQueries"),
      ],
      "a cache cluster watched": [
        rec(T.cacheCluster, "queue", { numCacheNodes: 1 }),
        alarmOn(rec(T.cacheCluster, "queue", {}), { CacheClusterId: "queue" }),
      ],
      "an unwatched database in a preview": [db({ skipFinalSnapshot: true }, { stack: "pr-7" })],
    },
  },
};
