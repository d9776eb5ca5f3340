import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../infra/synth/cli";
import type { RecordedResource, RecordedOptions } from "../../infra/synth/recorder";
import { synthesizeConfig } from "../../infra/synth/synth";
import { END, rulesTable, START } from "../../policy/docs";
import { evaluate } from "../../policy/evaluate";
import { environmentOf, policies } from "../../policy/rules";
import { CACHED_STACKS, FIXTURE_STACKS, REPO, resource, synthStack, variant } from "../helpers/synth";
import { DEPLOYABILITY_FIXTURES } from "./deployability-fixtures";
import * as ORIGIN from "./origin-fixtures";

/** A recorded resource for a fixture, in the given stack (the stack decides the environment). */
function rec(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: { stack?: string; options?: RecordedOptions; propertyDependencies?: Record<string, string[]> } = {},
): RecordedResource {
  const stack = extra.stack ?? "production";
  return {
    urn: `urn:pulumi:${stack}::saas-platform::${type}::${name}`,
    type,
    name,
    custom: true,
    inputs,
    secretInputs: [],
    options: extra.options ?? {},
    dependencies: [],
    propertyDependencies: extra.propertyDependencies ?? {},
  };
}
const urn = (type: string, name: string, stack = "production") =>
  `urn:pulumi:${stack}::saas-platform::${type}::${name}`;

const RDS = "aws:rds/instance:Instance";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";
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
const protect = { options: { protect: true } };

/** For every rule: resources it must flag, and resources it must let through. */
const FIXTURES: Record<string, { fail: RecordedResource[]; pass: RecordedResource[] }> = {
  "rds-storage-encrypted": {
    fail: [rec(RDS, "db", { ...goodDb, storageEncrypted: false }, protect)],
    pass: [rec(RDS, "db", goodDb, protect)],
  },
  "elasticache-encrypted-at-rest": {
    fail: [rec(CACHE, "cache", { ...goodCache, atRestEncryptionEnabled: false }, protect)],
    pass: [rec(CACHE, "cache", goodCache, protect)],
  },
  "sns-encrypted": {
    fail: [rec("aws:sns/topic:Topic", "t", {})],
    pass: [rec("aws:sns/topic:Topic", "t", { kmsMasterKeyId: "arn:k" })],
  },
  "backup-vault-encrypted": {
    fail: [rec("aws:backup/vault:Vault", "copy", { region: "eu-central-1" }, protect)],
    pass: [
      rec("aws:backup/vault:Vault", "v", { kmsKeyArn: "arn:k" }, protect),
      rec("aws:backup/vault:Vault", "copy", { region: "eu-central-1", kmsKeyArn: "arn:k2" }, protect),
    ],
  },
  "log-groups-encrypted": {
    fail: [rec("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 30 })],
    pass: [
      rec("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 30, kmsKeyId: "arn:k" }),
      rec("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 3 }, { stack: "pr-1" }),
    ],
  },
  "cloudtrail-baseline": {
    fail: [rec("aws:cloudtrail/trail:Trail", "trail", { isMultiRegionTrail: true, kmsKeyId: "arn:k" })],
    pass: [
      rec("aws:cloudtrail/trail:Trail", "trail", {
        isMultiRegionTrail: true,
        enableLogFileValidation: true,
        kmsKeyId: "arn:k",
      }),
    ],
  },
  "ecr-kms-encrypted": {
    fail: [rec("aws:ecr/repository:Repository", "repo", { encryptionConfigurations: [{ encryptionType: "AES256" }] })],
    pass: [rec("aws:ecr/repository:Repository", "repo", { encryptionConfigurations: [{ encryptionType: "KMS" }] })],
  },
  "secrets-customer-key": {
    fail: [rec("aws:secretsmanager/secret:Secret", "url", {})],
    pass: [rec("aws:secretsmanager/secret:Secret", "url", { kmsKeyId: "arn:k" })],
  },
  "elasticache-customer-key": {
    fail: [rec(CACHE, "cache", { ...goodCache, kmsKeyId: undefined }, protect)],
    pass: [rec(CACHE, "cache", { ...goodCache }, protect)],
  },
  "log-group-retention": {
    fail: [rec("aws:cloudwatch/logGroup:LogGroup", "l", {})],
    pass: [rec("aws:cloudwatch/logGroup:LogGroup", "l", { retentionInDays: 30 })],
  },
  "ecr-scan-on-push": {
    fail: [rec("aws:ecr/repository:Repository", "r", { imageTagMutability: "IMMUTABLE" })],
    pass: [
      rec("aws:ecr/repository:Repository", "r", {
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
      }),
    ],
  },
  "ecr-immutable-tags": {
    fail: [
      rec("aws:ecr/repository:Repository", "r", {
        imageTagMutability: "MUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
      }),
    ],
    pass: [
      rec("aws:ecr/repository:Repository", "r", {
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
      }),
    ],
  },
  "rds-force-ssl": {
    fail: [
      rec("aws:rds/parameterGroup:ParameterGroup", "p", {
        family: "postgres17",
        parameters: [{ name: "rds.force_ssl", value: "0" }],
      }),
    ],
    pass: [
      rec("aws:rds/parameterGroup:ParameterGroup", "p", {
        family: "postgres17",
        parameters: [{ name: "rds.force_ssl", value: "1" }],
      }),
    ],
  },
  "elasticache-in-transit": {
    fail: [rec(CACHE, "cache", { ...goodCache, transitEncryptionMode: "preferred" }, protect)],
    pass: [rec(CACHE, "cache", goodCache, protect)],
  },
  "alb-tls-policy": {
    fail: [rec("aws:lb/listener:Listener", "https", { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" })],
    pass: [
      rec("aws:lb/listener:Listener", "https", { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
    ],
  },
  "alb-http-redirects": {
    fail: [
      rec("aws:lb/listener:Listener", "http", {
        protocol: "HTTP",
        defaultActions: [{ type: "forward", targetGroupArn: "tg" }],
      }),
    ],
    pass: [
      rec("aws:lb/listener:Listener", "http", {
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }],
      }),
    ],
  },
  "alb-drops-invalid-headers": {
    fail: [rec("aws:lb/loadBalancer:LoadBalancer", "alb", { enableDeletionProtection: true })],
    pass: [
      rec("aws:lb/loadBalancer:LoadBalancer", "alb", { enableDeletionProtection: true, dropInvalidHeaderFields: true }),
    ],
  },
  "cloudflare-ssl-strict": {
    fail: [rec("cloudflare:index/zoneSetting:ZoneSetting", "ssl", { settingId: "ssl", value: "flexible" })],
    pass: [rec("cloudflare:index/zoneSetting:ZoneSetting", "ssl", { settingId: "ssl", value: "strict" })],
  },
  "cloudflare-always-https": {
    fail: [rec("cloudflare:index/zoneSetting:ZoneSetting", "h", { settingId: "always_use_https", value: "off" })],
    pass: [rec("cloudflare:index/zoneSetting:ZoneSetting", "h", { settingId: "always_use_https", value: "on" })],
  },
  "cloudflare-min-tls": {
    fail: [rec("cloudflare:index/zoneSetting:ZoneSetting", "t", { settingId: "min_tls_version", value: "1.0" })],
    pass: [rec("cloudflare:index/zoneSetting:ZoneSetting", "t", { settingId: "min_tls_version", value: "1.2" })],
  },
  "kms-keys-no-direct-use": {
    // One condition per key: test/policy/kms-keys.test.ts.
    fail: [
      rec("aws:kms/key:Key", "k", {
        policy: JSON.stringify({
          Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "kms:*", Resource: "*" }],
        }),
      }),
    ],
    pass: [
      rec("aws:kms/key:Key", "k", {
        policy: JSON.stringify({
          Statement: [
            { Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: ["kms:Describe*"], Resource: "*" },
          ],
        }),
      }),
    ],
  },
  "rds-iam-authentication": {
    fail: [rec(RDS, "db", { ...goodDb, iamDatabaseAuthenticationEnabled: false }, protect)],
    pass: [rec(RDS, "db", goodDb, protect)],
  },
  "rds-not-public": {
    fail: [rec(RDS, "db", { ...goodDb, publiclyAccessible: true }, protect)],
    pass: [rec(RDS, "db", goodDb, protect)],
  },
  "open-ingress-only-https-on-load-balancer": {
    fail: [
      rec("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-from-world", {
        cidrIpv4: "0.0.0.0/0",
        fromPort: 5432,
        toPort: 5432,
      }),
      rec("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "api-alb-22-ipv6", {
        cidrIpv6: "::/0",
        fromPort: 22,
        toPort: 22,
      }),
    ],
    pass: [
      rec("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "api-alb-443-ipv4", {
        cidrIpv4: "0.0.0.0/0",
        fromPort: 443,
        toPort: 443,
      }),
      rec("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-from-api", {
        referencedSecurityGroupId: "sg-1",
        fromPort: 5432,
        toPort: 5432,
      }),
    ],
  },
  "fargate-no-public-ip": {
    fail: [rec("aws:ecs/service:Service", "api", { networkConfiguration: { assignPublicIp: true } })],
    pass: [rec("aws:ecs/service:Service", "api", { networkConfiguration: { assignPublicIp: false } })],
  },
  "s3-no-public-access": {
    fail: [rec("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "b", { blockPublicAcls: true })],
    pass: [
      rec("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "b", {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      }),
    ],
  },
  "iam-no-admin-statement": {
    fail: [
      rec("aws:iam/rolePolicy:RolePolicy", "p", {
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
      }),
    ],
    pass: [
      rec("aws:iam/rolePolicy:RolePolicy", "p", {
        policy: JSON.stringify({
          Statement: [{ Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" }],
        }),
      }),
    ],
  },
  "rds-backup-retention": {
    fail: [rec(RDS, "db", { ...goodDb, backupRetentionPeriod: 3 }, { stack: "staging" })],
    // Previews are disposable: a 1-day window is allowed there.
    pass: [rec(RDS, "db", goodDb, protect), rec(RDS, "db", { ...goodDb, backupRetentionPeriod: 1 }, { stack: "pr-7" })],
  },
  "rds-final-snapshot": {
    fail: [
      rec(RDS, "db", { ...goodDb, skipFinalSnapshot: true }, protect),
      rec(RDS, "db", { ...goodDb, skipFinalSnapshot: true, deletionProtection: false }, { stack: "staging" }),
    ],
    // A preview's database is disposable (the preview-disposable rule requires it).
    pass: [
      rec(RDS, "db", goodDb, protect),
      rec(RDS, "db", { ...goodDb, skipFinalSnapshot: true, deletionProtection: false }, { stack: "pr-42" }),
    ],
  },
  "preview-joins-staging": {
    fail: [
      rec("aws:ec2/vpc:Vpc", "network-vpc", {}, { stack: "pr-42" }),
      rec("aws:ec2/natGateway:NatGateway", "network-nat-1", {}, { stack: "pr-42" }),
      rec("aws:lb/loadBalancer:LoadBalancer", "api-alb", {}, { stack: "pr-42" }),
      rec("aws:ecs/cluster:Cluster", "api-cluster", {}, { stack: "pr-42" }),
    ],
    // A stack rule sees one stack at a time; staging's own VPC and load balancer are checked by the real synth.
    pass: [
      rec("aws:lb/listenerRule:ListenerRule", "api-route", {}, { stack: "pr-42" }),
      rec("aws:lb/listenerCertificate:ListenerCertificate", "api-certificate", {}, { stack: "pr-42" }),
    ],
  },
  "preview-disposable": {
    fail: [
      rec(RDS, "db", { ...goodDb, deletionProtection: false }, { stack: "pr-42" }),
      rec(RDS, "db", { ...goodDb, skipFinalSnapshot: true, deletionProtection: true }, { stack: "pr-42" }),
      rec("aws:ecr/repository:Repository", "api-repo", {}, { stack: "pr-42", ...protect }),
    ],
    pass: [
      rec(RDS, "db", { ...goodDb, skipFinalSnapshot: true, deletionProtection: false }, { stack: "pr-42" }),
      rec("aws:ecr/repository:Repository", "api-repo", {}, { stack: "pr-42" }),
    ],
  },
  "rds-deletion-protection": {
    fail: [rec(RDS, "db", { ...goodDb, deletionProtection: false }, protect)],
    pass: [
      rec(RDS, "db", goodDb, protect),
      rec(RDS, "db", { ...goodDb, deletionProtection: false }, { stack: "staging" }),
    ],
  },
  "rds-multi-az": {
    fail: [rec(RDS, "db", { ...goodDb, multiAz: false }, protect)],
    pass: [rec(RDS, "db", goodDb, protect), rec(RDS, "db", { ...goodDb, multiAz: false }, { stack: "staging" })],
  },
  "elasticache-failover": {
    fail: [rec(CACHE, "cache", { ...goodCache, numCacheClusters: 1, automaticFailoverEnabled: false }, protect)],
    pass: [
      rec(CACHE, "cache", goodCache, protect),
      rec(CACHE, "cache", { ...goodCache, numCacheClusters: 1 }, { stack: "staging" }),
    ],
  },
  "alb-deletion-protection": {
    fail: [
      rec("aws:lb/loadBalancer:LoadBalancer", "alb", {
        dropInvalidHeaderFields: true,
        enableDeletionProtection: false,
      }),
    ],
    pass: [
      rec("aws:lb/loadBalancer:LoadBalancer", "alb", { dropInvalidHeaderFields: true, enableDeletionProtection: true }),
    ],
  },
  "production-stateful-protected": {
    fail: [rec(RDS, "db", goodDb), rec("cloudflare:index/zone:Zone", "dns-zone", {})],
    pass: [rec(RDS, "db", goodDb, protect), rec(RDS, "db", goodDb, { stack: "staging" })],
  },
  "required-tags": {
    fail: [rec("pulumi:providers:aws", "aws", { defaultTags: JSON.stringify({ tags: { Project: "p", Stack: "s" } }) })],
    pass: [
      rec("pulumi:providers:aws", "aws", {
        defaultTags: JSON.stringify({
          tags: { Project: "p", Stack: "s", Environment: "production", ManagedBy: "pulumi" },
        }),
      }),
    ],
  },
  "s3-encrypted": {
    fail: [rec("aws:s3/bucket:Bucket", "logs", {})],
    pass: [
      rec("aws:s3/bucket:Bucket", "logs", {}),
      rec(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "logs",
        {},
        {
          propertyDependencies: { bucket: [urn("aws:s3/bucket:Bucket", "logs")] },
        },
      ),
    ],
  },
  "s3-versioned": {
    fail: [
      rec("aws:s3/bucket:Bucket", "logs", {}),
      rec(
        "aws:s3/bucketVersioning:BucketVersioning",
        "logs",
        { versioningConfiguration: { status: "Suspended" } },
        { propertyDependencies: { bucket: [urn("aws:s3/bucket:Bucket", "logs")] } },
      ),
    ],
    pass: [
      rec("aws:s3/bucket:Bucket", "logs", {}),
      rec(
        "aws:s3/bucketVersioning:BucketVersioning",
        "logs",
        { versioningConfiguration: { status: "Enabled" } },
        { propertyDependencies: { bucket: [urn("aws:s3/bucket:Bucket", "logs")] } },
      ),
    ],
  },
  "production-database-backup-plan": {
    fail: [
      rec(RDS, "db", goodDb, protect),
      rec("aws:backup/plan:Plan", "plan", { rules: [{ lifecycle: { deleteAfter: 7 }, copyActions: [{}] }] }),
      rec(
        "aws:backup/selection:Selection",
        "sel",
        {},
        {
          propertyDependencies: { resources: [urn(RDS, "db")], planId: [urn("aws:backup/plan:Plan", "plan")] },
        },
      ),
    ],
    pass: [
      rec(RDS, "db", goodDb, protect),
      rec("aws:backup/plan:Plan", "plan", {
        rules: [7, 28, 365].map((d) => ({
          lifecycle: { deleteAfter: d },
          copyActions: [{ destinationVaultArn: "arn:dr" }],
        })),
      }),
      rec(
        "aws:backup/selection:Selection",
        "sel",
        {},
        {
          propertyDependencies: { resources: [urn(RDS, "db")], planId: [urn("aws:backup/plan:Plan", "plan")] },
        },
      ),
    ],
  },
  // One fixture per condition: test/policy/origin-authenticated.test.ts.
  "origin-authenticated": {
    fail: ORIGIN.stack({}),
    pass: ORIGIN.stack({ mode: "verify", trustStoreArn: "arn:aws:elasticloadbalancing:eu-west-1:1:truststore/t/1" }),
  },
  "stateful-resources-have-alarms": {
    fail: [rec(RDS, "db", goodDb, protect)],
    pass: [
      rec(RDS, "db", goodDb, protect),
      rec("aws:cloudwatch/metricAlarm:MetricAlarm", "db-cpu", {
        namespace: "AWS/RDS",
        dimensions: { DBInstanceIdentifier: "db" },
      }),
    ],
  },
};

describe("the policy pack", () => {
  test("every rule is mandatory and has a failing and a passing fixture", () => {
    for (const p of policies) expect(p.enforcementLevel).toBe("mandatory");
    // The deployability rules have a failing fixture per condition in their own file.
    expect([...Object.keys(FIXTURES), ...Object.keys(DEPLOYABILITY_FIXTURES)].sort()).toEqual(
      policies.map((p) => p.name).sort(),
    );
  });

  test.each(Object.entries(FIXTURES))(
    "%s catches its failing fixture and lets the passing one through",
    async (name, { fail, pass }) => {
      const rule = policies.find((p) => p.name === name)!;
      const caught = await evaluate(fail, [rule]);
      expect(caught.length).toBeGreaterThan(0);
      for (const v of caught) expect(v.message).toMatch(/^\S+ \(.+\): .+/);
      expect(await evaluate(pass, [rule])).toEqual([]);
    },
  );

  test.each(CACHED_STACKS)("the %s stack passes every rule", async (stack) => {
    expect(await evaluate((await synthStack(stack)).resources)).toEqual([]);
  });

  test("the environment comes from the stack name", () => {
    expect(["dev", "staging", "production", "pr-12"].map((s) => environmentOf(`urn:pulumi:${s}::p::t::n`))).toEqual([
      "dev",
      "staging",
      "production",
      "preview",
    ]);
  });
});

describe("data safety", () => {
  test("resizing the database and cache or changing retention keeps every stateful resource's identity", async () => {
    const base = await synthStack("production");
    const changed = await synthesizeConfig(
      variant("production", {
        database: {
          instanceClass: "db.m7g.xlarge",
          backupRetentionDays: 21,
          allocatedStorageGb: 200,
          maxAllocatedStorageGb: 800,
        },
        cache: { nodeType: "cache.m7g.xlarge", snapshotRetentionDays: 14 },
        logs: { retentionDays: 180 },
      }),
    );
    for (const [type, name, identity] of [
      [RDS, "database", "identifier"],
      [CACHE, "cache", "replicationGroupId"],
      ["aws:backup/vault:Vault", "database-vault", undefined],
      ["aws:kms/key:Key", "database-key", undefined],
    ] as const) {
      const [a, b] = [resource(base, type, name), resource(changed, type, name)];
      expect(b.urn).toBe(a.urn);
      expect(b.parent).toBe(a.parent);
      if (identity) expect(b.inputs[identity]).toBe(a.inputs[identity]);
    }
    expect(resource(changed, RDS, "database").inputs["instanceClass"]).toBe("db.m7g.xlarge");
    expect(await evaluate(changed.resources)).toEqual([]);
  });

  test("removing protect from a production stateful resource is caught", async () => {
    const records = (await synthStack("production")).resources.map((r) =>
      r.type === RDS ? { ...r, options: { ...r.options, protect: false } } : r,
    );
    expect(await evaluate(records)).toEqual([
      expect.objectContaining({
        policy: "production-stateful-protected",
        message: expect.stringContaining("database (aws:rds/instance:Instance)"),
      }),
    ]);
  });
});

test("npm run synth prints the violations and exits non-zero on a mandatory one", async () => {
  const { mkdtempSync, copyFileSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "synth-policy-"));
  copyFileSync(join(FIXTURE_STACKS, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const staging = readFileSync(join(FIXTURE_STACKS, "Pulumi.staging.yaml"), "utf8");
  writeFileSync(join(dir, "Pulumi.staging.yaml"), `${staging}  saas-platform:database:\n    backupRetentionDays: 3\n`);
  const { code, out } = await main(["staging"], dir);
  expect(code).toBe(1);
  expect(out).toContain(`Policy pack: ${policies.length} rules, 1 mandatory violation:`);
  expect(out).toContain(
    "[rds-backup-retention] database (aws:rds/instance:Instance): set backupRetentionPeriod to 7 or more (got 3)",
  );
});

test("the README lists the rules as the pack defines them (npm run docs:policy)", () => {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END));
  // Compare cell by cell: prettier pads the table, the generator does not.
  const cells = (text: string) =>
    text
      .split("\n")
      .filter((line) => line.startsWith("|") && !/^\|[-\s|]+\|$/.test(line))
      .map((line) =>
        line
          .split(/(?<!\\)\|/)
          .slice(1, -1)
          .map((c) => c.trim()),
      );
  expect(cells(section)).toEqual(cells(rulesTable()));
  expect(cells(section)).toHaveLength(policies.length + 1);
});
