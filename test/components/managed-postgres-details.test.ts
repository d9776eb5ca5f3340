// The details of ManagedPostgres that the stack tests and managed-postgres.test.ts leave open: every input of every
// child in both variants (defaults, explicit `undefined` and every arg set), the wiring between children, restores,
// the transforms, the methods, the registered outputs, the IAM auth helpers and the exact text of every argument check
// at its boundaries. Each program is built once and only read.
import * as pulumi from "@pulumi/pulumi";
import type { AwsNetworkOutputs, DockerNetworkOutputs } from "../../components/network";
import { physicalName } from "../../components/naming";
import { KEY_ADMINISTRATION } from "../../components/iam";
import type { ServiceConnection } from "../../components/consumers";
import {
  ManagedPostgres,
  validateManagedPostgresArgs,
  type ManagedPostgresArgs,
} from "../../components/managed-postgres/managed-postgres";
import {
  awsPostgresDefaults,
  BACKUP_RULES,
  DATA_KEY_SERVICES,
  POSTGRES_PORT,
  postgresFamily,
  restoreInputs,
  type AwsPostgresArgs,
} from "../../components/managed-postgres/aws";
import { createDockerPostgres, LOCAL_DATABASE_ALIAS } from "../../components/managed-postgres/docker";
import { IAM_DATABASE_USER, iamConnectArn, iamUserSql } from "../../components/managed-postgres/iam-auth";
import { recordProgram, type SynthResult } from "../../synth/synth";
import type { RecordedResource } from "../../synth/recorder";
import { ofType, resource } from "../helpers/synth";
import { recordCalls } from "../helpers/spies";

const T = {
  component: "saas-platform:components:ManagedPostgres",
  instance: "aws:rds/instance:Instance",
  params: "aws:rds/parameterGroup:ParameterGroup",
  subnets: "aws:rds/subnetGroup:SubnetGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  vault: "aws:backup/vault:Vault",
  plan: "aws:backup/plan:Plan",
  selection: "aws:backup/selection:Selection",
  password: "random:index/randomPassword:RandomPassword",
  randomId: "random:index/randomId:RandomId",
  container: "docker:index/container:Container",
  volume: "docker:index/volume:Volume",
  image: "docker:index/remoteImage:RemoteImage",
} as const;

const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
const SCOPE = { project: "saas-platform", stack: "test" };
const ACCOUNT = "123456789012";
const SOURCE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const LOGS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/2222bbbb-22bb-22bb-22bb-222222222222";
const LONG_NAME = "a-database-name-far-longer-than-rds-allows-for-its-instance-identifiers";

/** Only what the database reads of a network: its VPC, its private subnets and how many AZs they span. */
const awsNetwork = (azCount = 2): AwsNetworkOutputs =>
  ({
    vpcId: pulumi.output("vpc-0db"),
    privateSubnetIds: pulumi.output(["subnet-0a", "subnet-0b"]),
    azCount,
  }) as unknown as AwsNetworkOutputs;
const dockerNetwork = (): DockerNetworkOutputs => ({
  networkName: pulumi.output("acme-dev"),
  networkId: pulumi.output("net-0"),
});

/** What a test reads of one database: its outputs, with the URL also unsecreted to read its shape. */
const outputsOf = (db: ManagedPostgres) => ({
  host: db.host,
  port: db.port,
  databaseName: db.databaseName,
  url: db.url,
  plainUrl: pulumi.unsecret(db.url),
  urlIsSecret: pulumi.output(pulumi.isSecret(db.url)),
  // Undefined when there is no backup plan: null keeps it in the outputs (the SDK drops undefined).
  ...(db.cloud ? { cloud: { ...db.cloud, backupVaultName: db.cloud.backupVaultName ?? null } } : { noCloud: true }),
});
type Out = {
  host: string;
  port: number;
  databaseName: string;
  url: string;
  plainUrl: string;
  urlIsSecret: boolean;
  cloud?: Record<string, unknown>;
  noCloud?: boolean;
};
const out = (result: SynthResult, name: string) => result.outputs[name] as Out;
const stateOf = (r: RecordedResource, key: string) => r.state![key];
const find = (result: SynthResult, type: string, name: string) =>
  result.resources.filter((x) => x.type === type && x.name === name);

/** The children of one AWS database (by its name), keyed by role. */
function awsChildren(result: SynthResult, name: string) {
  return {
    component: resource(result, T.component, name),
    instance: resource(result, T.instance, name),
    params: resource(result, T.params, `${name}-params`),
    subnets: resource(result, T.subnets, `${name}-subnets`),
    sg: resource(result, T.sg, `${name}-sg`),
    password: resource(result, T.password, `${name}-password`),
    logPostgresql: resource(result, T.logGroup, `${name}-log-postgresql`),
    logUpgrade: resource(result, T.logGroup, `${name}-log-upgrade`),
    monitoringRole: resource(result, T.role, `${name}-monitoring`),
    monitoringAttachment: resource(result, T.attachment, `${name}-monitoring`),
    secret: resource(result, T.secret, `${name}-url`),
    version: resource(result, T.secretVersion, `${name}-url`),
  };
}
const keyOf = (result: SynthResult, name: string) => resource(result, T.key, `${name}-key`);
const backupOf = (result: SynthResult, name: string) => ({
  vault: resource(result, T.vault, `${name}-vault`),
  plan: resource(result, T.plan, `${name}-backup`),
  role: resource(result, T.role, `${name}-backup`),
  backupAttachment: resource(result, T.attachment, `${name}-backup-backup`),
  restoresAttachment: resource(result, T.attachment, `${name}-backup-restores`),
  selection: resource(result, T.selection, `${name}-backup`),
});

/** The key policy a data key gets: IAM administers it; its principals use it only through these services. */
const keyPolicy = (region: string, services: readonly string[]) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "KeyAdministration",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: KEY_ADMINISTRATION,
      Resource: "*",
    },
    {
      Sid: "UseThroughDataServices",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:CreateGrant",
        "kms:ListGrants",
      ],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": services.map((s) => `${s}.${region}.amazonaws.com`) },
      },
    },
  ],
});
const policyOf = (r: RecordedResource, key: string) => JSON.parse(String(r.inputs[key])) as unknown;

/** The rules of the product's retention policy, spelled out (not read from BACKUP_RULES, which a mutant could change). */
const RULES = [
  { ruleName: "daily", schedule: "cron(30 5 * * ? *)", deleteAfter: 7 },
  { ruleName: "weekly", schedule: "cron(30 5 ? * SUN *)", deleteAfter: 28 },
  { ruleName: "monthly", schedule: "cron(30 5 1 * ? *)", deleteAfter: 365 },
];

/** The instance every omitted (or `undefined`) arg leads to. */
function defaultInstanceInputs(result: SynthResult, name: string): Record<string, unknown> {
  const c = awsChildren(result, name);
  const identifier = physicalName(SCOPE, name, "rdsInstance");
  const suffix = resource(result, T.randomId, `${name}-final-snapshot`);
  const keyArn = stateOf(keyOf(result, name), "arn");
  return {
    identifier,
    engine: "postgres",
    engineVersion: "17",
    instanceClass: "db.t4g.small",
    dbName: "app",
    username: "app_admin",
    password: "[secret]",
    port: 5432,
    dbSubnetGroupName: stateOf(c.subnets, "name"),
    vpcSecurityGroupIds: [c.sg.id],
    parameterGroupName: stateOf(c.params, "name"),
    publiclyAccessible: false,
    storageType: "gp3",
    allocatedStorage: 20,
    maxAllocatedStorage: 100,
    storageEncrypted: true,
    kmsKeyId: keyArn,
    multiAz: false,
    backupRetentionPeriod: 7,
    backupWindow: "02:00-03:00",
    maintenanceWindow: "sun:04:00-sun:05:00",
    copyTagsToSnapshot: true,
    deleteAutomatedBackups: false,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: `${identifier}-final-${String(stateOf(suffix, "hex"))}`,
    deletionProtection: false,
    autoMinorVersionUpgrade: true,
    allowMajorVersionUpgrade: false,
    applyImmediately: false,
    databaseInsightsMode: "standard",
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: keyArn,
    performanceInsightsRetentionPeriod: 7,
    monitoringInterval: 60,
    monitoringRoleArn: stateOf(c.monitoringRole, "arn"),
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    iamDatabaseAuthenticationEnabled: true,
    caCertIdentifier: "rds-ca-rsa2048-g1",
    tags: {},
  };
}

describe("the AWS database with every arg omitted, or given as undefined", () => {
  let result: SynthResult;
  /** The data sources each database looked up, with the name of the database each lookup was made under. */
  let lookups: Array<[string, string | undefined]>;
  beforeAll(async () => {
    const spy = jest.spyOn(pulumi.runtime, "invokeOutput");
    const parents = new Map<unknown, string>();
    try {
      result = await recordProgram(STACK, async () => {
        const omitted = new ManagedPostgres("db", { target: "aws", network: awsNetwork() });
        const undef = new ManagedPostgres("undef", {
          target: "aws",
          network: awsNetwork(),
          allowFrom: undefined,
          instanceClass: undefined,
          engineVersion: undefined,
          allocatedStorageGb: undefined,
          maxAllocatedStorageGb: undefined,
          backupRetentionDays: undefined,
          multiAz: undefined,
          databaseName: undefined,
          username: undefined,
          backupWindow: undefined,
          maintenanceWindow: undefined,
          slowStatementMs: undefined,
          logsKmsKeyArn: undefined,
          logRetentionDays: undefined,
          applyImmediately: undefined,
          protect: undefined,
          finalSnapshot: undefined,
          backup: undefined,
          restoreFrom: undefined,
          tags: undefined,
          transform: undefined,
        });
        const long = new ManagedPostgres(LONG_NAME, { target: "aws", network: awsNetwork() });
        parents.set(omitted, "db").set(undef, "undef").set(long, "long");
        return { db: outputsOf(omitted), undef: outputsOf(undef), long: outputsOf(long) };
      });
      lookups = spy.mock.calls.map(([token, , opts]) => [token, parents.get(opts?.parent)]);
    } finally {
      spy.mockRestore();
    }
  });

  test("the account, region and partition are looked up under the component, so through its provider", () => {
    expect(lookups).toEqual(
      ["db", "undef", "long"].flatMap((name) => [
        ["aws:index/getCallerIdentity:getCallerIdentity", name],
        ["aws:index/getCallerIdentity:getCallerIdentity", name],
        ["aws:index/getRegion:getRegion", name],
        ["aws:index/getPartition:getPartition", name],
      ]),
    );
  });

  test.each(["db", "undef"])("%s: the component is a ManagedPostgres", (name) => {
    const component = resource(result, T.component, name);
    expect(component.custom).toBe(false);
    expect(component.options).toEqual({});
  });

  test.each(["db", "undef"])("%s: the instance takes every default", (name) => {
    const c = awsChildren(result, name);
    expect(c.instance.inputs).toEqual(defaultInstanceInputs(result, name));
    expect(c.instance.secretInputs).toEqual(["password"]);
    // The log groups exist first, so RDS finds their retention when it starts exporting.
    expect(c.instance.dependencies).toEqual(expect.arrayContaining([c.logPostgresql.urn, c.logUpgrade.urn]));
  });

  test.each(["db", "undef"])(
    "%s: network, parameters, logs, monitoring and credentials take their defaults",
    (name) => {
      const c = awsChildren(result, name);
      const identifier = `saas-platform-test-${name}`;
      expect(c.sg.inputs).toEqual({
        vpcId: "vpc-0db",
        description: `${name}: PostgreSQL on 5432, only from its consumers`,
        tags: { Name: `saas-platform-test-${name}-sg` },
      });
      expect(c.subnets.inputs).toEqual({
        description: `${identifier}: private subnets`,
        subnetIds: ["subnet-0a", "subnet-0b"],
        tags: {},
      });
      expect(c.params.inputs).toEqual({
        family: "postgres17",
        description: `${identifier}: TLS only, slow statement log`,
        parameters: [
          { name: "rds.force_ssl", value: "1" },
          { name: "log_min_duration_statement", value: "500" },
          { name: "log_lock_waits", value: "1" },
          { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
        ],
        tags: {},
      });
      expect(c.logPostgresql.inputs).toEqual({
        name: `/aws/rds/instance/${identifier}/postgresql`,
        retentionInDays: 30,
        tags: {},
      });
      expect(c.logUpgrade.inputs).toEqual({
        name: `/aws/rds/instance/${identifier}/upgrade`,
        retentionInDays: 30,
        tags: {},
      });
      expect(c.monitoringRole.inputs["description"]).toBe(
        `Lets RDS enhanced monitoring of ${identifier} publish OS metrics`,
      );
      expect(c.monitoringRole.inputs["tags"]).toEqual({});
      expect(policyOf(c.monitoringRole, "assumeRolePolicy")).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "monitoring.rds.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
          },
        ],
      });
      expect(c.monitoringAttachment.inputs).toEqual({
        role: stateOf(c.monitoringRole, "name"),
        policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
      });
      expect(c.password.inputs).toEqual({ length: 40, special: false });
      expect(resource(result, T.randomId, `${name}-final-snapshot`).inputs).toEqual({
        byteLength: 4,
        keepers: { identifier, restoreFrom: "null" },
      });
      expect(ofType(result, T.ingress)).toEqual([]);
    },
  );

  test.each(["db", "undef"])(
    "%s: its own rotating key, aliased after the instance, used only through data services",
    (name) => {
      const key = keyOf(result, name);
      const identifier = `saas-platform-test-${name}`;
      expect(key.inputs).toEqual({
        description: `${identifier}: RDS storage, Performance Insights and secrets`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: expect.any(String),
        tags: {},
      });
      expect(policyOf(key, "policy")).toEqual(
        keyPolicy("eu-west-1", ["rds", "secretsmanager", "elasticache", "backup"]),
      );
      expect(resource(result, T.alias, `${name}-key`).inputs).toEqual({
        name: `alias/${identifier}`,
        targetKeyId: stateOf(key, "keyId"),
      });
    },
  );

  test.each(["db", "undef"])("%s: the URL secret is encrypted with the key and holds the URL", (name) => {
    const c = awsChildren(result, name);
    expect(c.secret.inputs).toEqual({
      description: `saas-platform-test-${name}: connection URL (DATABASE_URL) with its password`,
      kmsKeyId: stateOf(keyOf(result, name), "arn"),
      recoveryWindowInDays: 7,
      tags: {},
    });
    expect(c.version.inputs).toEqual({ secretId: c.secret.id, secretString: "[secret]" });
    expect(c.version.secretInputs).toEqual(["secretString"]);
  });

  test.each(["db", "undef"])("%s: backup omitted: an AWS Backup plan with the product's retention, no copy", (name) => {
    const b = backupOf(result, name);
    const keyArn = stateOf(keyOf(result, name), "arn");
    expect(b.vault.inputs).toEqual({ kmsKeyArn: keyArn, tags: {} });
    expect(b.plan.inputs).toEqual({
      rules: RULES.map((rule) => ({
        ruleName: rule.ruleName,
        targetVaultName: stateOf(b.vault, "name"),
        schedule: rule.schedule,
        startWindow: 60,
        completionWindow: 1440,
        lifecycle: { deleteAfter: rule.deleteAfter },
        recoveryPointTags: { BackupRule: rule.ruleName },
      })),
      tags: {},
    });
    expect(b.role.inputs["description"]).toBe(`Lets AWS Backup back up and restore ${name}`);
    expect(b.role.inputs["tags"]).toEqual({});
    expect(policyOf(b.role, "assumeRolePolicy")).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(b.backupAttachment.inputs).toEqual({
      role: stateOf(b.role, "name"),
      policyArn: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    });
    expect(b.restoresAttachment.inputs).toEqual({
      role: stateOf(b.role, "name"),
      policyArn: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    });
    expect(b.selection.inputs).toEqual({
      name: `${name}-database`,
      planId: b.plan.id,
      iamRoleArn: stateOf(b.role, "arn"),
      resources: [stateOf(awsChildren(result, name).instance, "arn")],
    });
    expect(find(result, T.vault, `${name}-vault-eu-central-1`)).toEqual([]);
  });

  test.each(["db", "undef"])("%s: every child is the component's, and nothing is protected or retained", (name) => {
    const component = resource(result, T.component, name);
    const children = result.resources.filter((x) => x.parent === component.urn);
    expect(children.map((x) => `${x.type} ${x.name}`).sort()).toEqual(
      [
        `${T.instance} ${name}`,
        `${T.params} ${name}-params`,
        `${T.subnets} ${name}-subnets`,
        `${T.sg} ${name}-sg`,
        `${T.key} ${name}-key`,
        `${T.alias} ${name}-key`,
        `${T.password} ${name}-password`,
        `${T.logGroup} ${name}-log-postgresql`,
        `${T.logGroup} ${name}-log-upgrade`,
        `${T.role} ${name}-monitoring`,
        `${T.attachment} ${name}-monitoring`,
        `${T.randomId} ${name}-final-snapshot`,
        `${T.secret} ${name}-url`,
        `${T.secretVersion} ${name}-url`,
        `${T.vault} ${name}-vault`,
        `${T.plan} ${name}-backup`,
        `${T.role} ${name}-backup`,
        `${T.attachment} ${name}-backup-backup`,
        `${T.attachment} ${name}-backup-restores`,
        `${T.selection} ${name}-backup`,
      ].sort(),
    );
    for (const child of children) expect(child.options).toEqual({});
  });

  test.each(["db", "undef"])(
    "%s: outputs: the address, 5432, app, the exact URL (secret) and the cloud details",
    (name) => {
      const c = awsChildren(result, name);
      const host = String(stateOf(c.instance, "address"));
      const password = String(stateOf(c.password, "result"));
      expect(password).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(out(result, name)).toEqual({
        host,
        port: 5432,
        databaseName: "app",
        url: "[secret]",
        plainUrl: `postgresql://app_admin:${password}@${host}:5432/app?sslmode=require`,
        urlIsSecret: true,
        cloud: {
          securityGroupId: c.sg.id,
          secretArn: stateOf(c.version, "arn"),
          instanceIdentifier: `saas-platform-test-${name}`,
          instanceArn: stateOf(c.instance, "arn"),
          iamAuth: { resourceId: stateOf(c.instance, "resourceId"), adminUsername: "app_admin", user: "app_iam" },
          backupVaultName: stateOf(backupOf(result, name).vault, "name"),
          sizing: { instanceClass: "db.t4g.small", allocatedStorageGb: 20 },
          kmsKeyArn: stateOf(keyOf(result, name), "arn"),
        },
      });
      expect(result.secretOutputs).toContain(`${name}.url`);
    },
  );

  test("a long name is cut to RDS's 63 characters in the identifier and the names derived from it", () => {
    const identifier = physicalName(SCOPE, LONG_NAME, "rdsInstance");
    expect(identifier.length).toBeLessThanOrEqual(63);
    expect(identifier).not.toBe(physicalName(SCOPE, LONG_NAME));
    const c = awsChildren(result, LONG_NAME);
    expect(c.instance.inputs["identifier"]).toBe(identifier);
    expect(c.subnets.inputs["description"]).toBe(`${identifier}: private subnets`);
    expect(c.logPostgresql.inputs["name"]).toBe(`/aws/rds/instance/${identifier}/postgresql`);
    expect(resource(result, T.alias, `${LONG_NAME}-key`).inputs["name"]).toBe(`alias/${identifier}`);
    // The security group's Name tag has no such limit.
    expect(c.sg.inputs["tags"]).toEqual({ Name: physicalName(SCOPE, `${LONG_NAME}-sg`) });
    expect(c.sg.inputs["description"]).toBe(`${LONG_NAME}: PostgreSQL on 5432, only from its consumers`);
  });
});

describe("the AWS database with every arg set", () => {
  let result: SynthResult;
  let db: ManagedPostgres<"aws">;
  let connection: ServiceConnection;
  let rule: pulumi.Resource;
  let registered: Array<Record<string, pulumi.Output<unknown>>>;
  const NAME = "main";
  beforeAll(async () => {
    const { result: built, recorded } = await recordCalls(() =>
      recordProgram(STACK, async () => {
        db = new ManagedPostgres(NAME, {
          target: "aws",
          network: awsNetwork(3),
          allowFrom: [pulumi.output("sg-0api"), "sg-0worker"],
          instanceClass: "db.r6g.2xlarge",
          engineVersion: "16.4",
          allocatedStorageGb: 100,
          maxAllocatedStorageGb: 500,
          backupRetentionDays: 14,
          multiAz: true,
          databaseName: "shop",
          username: "shop_owner",
          backupWindow: "01:00-01:30",
          maintenanceWindow: "mon:03:00-mon:04:30",
          slowStatementMs: 250,
          logsKmsKeyArn: LOGS_KEY,
          logRetentionDays: 90,
          applyImmediately: true,
          protect: true,
          finalSnapshot: true,
          backup: { enabled: true, copyToRegion: "eu-central-1" },
          tags: { CostCentre: "data" },
        });
        rule = db.allowFrom("jobs", "sg-0jobs");
        connection = db.connectionFor("api");
        return {
          [NAME]: outputsOf(db),
          connectionSecurityGroupId: pulumi.output(connection.securityGroupId),
          ruleUrn: rule.urn,
        };
      }),
    );
    result = built;
    registered = recorded.registeredBy(db) as Array<Record<string, pulumi.Output<unknown>>>;
  });

  test("the instance takes every arg", () => {
    const c = awsChildren(result, NAME);
    expect(c.instance.inputs).toEqual({
      ...defaultInstanceInputs(result, NAME),
      engineVersion: "16.4",
      instanceClass: "db.r6g.2xlarge",
      dbName: "shop",
      username: "shop_owner",
      allocatedStorage: 100,
      maxAllocatedStorage: 500,
      multiAz: true,
      backupRetentionPeriod: 14,
      backupWindow: "01:00-01:30",
      maintenanceWindow: "mon:03:00-mon:04:30",
      deletionProtection: true,
      applyImmediately: true,
      tags: { CostCentre: "data" },
    });
    expect(c.instance.options).toEqual({ protect: true });
    expect(c.instance.parent).toBe(c.component.urn);
  });

  test("the other children take the version, the slow statement threshold, the log key and retention, the tags", () => {
    const c = awsChildren(result, NAME);
    const tags = { CostCentre: "data" };
    expect(c.params.inputs).toMatchObject({ family: "postgres16", tags });
    expect((c.params.inputs["parameters"] as unknown[])[1]).toEqual({
      name: "log_min_duration_statement",
      value: "250",
    });
    for (const [group, log] of [
      [c.logPostgresql, "postgresql"],
      [c.logUpgrade, "upgrade"],
    ] as const) {
      expect(group.inputs).toEqual({
        name: `/aws/rds/instance/saas-platform-test-main/${log}`,
        retentionInDays: 90,
        kmsKeyId: LOGS_KEY,
        tags,
      });
    }
    expect(c.sg.inputs["tags"]).toEqual({ CostCentre: "data", Name: "saas-platform-test-main-sg" });
    for (const x of [c.subnets, c.monitoringRole, c.secret, keyOf(result, NAME)])
      expect(x.inputs["tags"]).toEqual(tags);
    const b = backupOf(result, NAME);
    for (const x of [b.vault, b.plan, b.role]) expect(x.inputs["tags"]).toEqual(tags);
  });

  test("the instance, its key and its vaults are protected; the vaults and the copy key are also retained", () => {
    const c = awsChildren(result, NAME);
    const b = backupOf(result, NAME);
    const copyVault = resource(result, T.vault, "main-vault-eu-central-1");
    const copyKey = resource(result, T.key, "main-vault-eu-central-1");
    const guarded = new Map<RecordedResource, object>([
      [c.instance, { protect: true }],
      [keyOf(result, NAME), { protect: true }],
      [b.vault, { protect: true, retainOnDelete: true }],
      [copyVault, { protect: true, retainOnDelete: true }],
      [copyKey, { protect: true, retainOnDelete: true }],
    ]);
    const children = result.resources.filter((x) => x.parent === c.component.urn);
    expect(children).toHaveLength(25);
    for (const child of children) expect(child.options).toEqual(guarded.get(child) ?? {});
  });

  test("backup.copyToRegion: a vault under a key of that region, and every rule copies to it with its retention", () => {
    const b = backupOf(result, NAME);
    const copyVault = resource(result, T.vault, "main-vault-eu-central-1");
    const copyKey = resource(result, T.key, "main-vault-eu-central-1");
    expect(copyKey.inputs).toEqual({
      region: "eu-central-1",
      description: "Encrypts the eu-central-1 copies of main's backups",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: expect.any(String),
      tags: { CostCentre: "data" },
    });
    expect(policyOf(copyKey, "policy")).toEqual(keyPolicy("eu-central-1", ["rds", "backup"]));
    expect(copyVault.inputs).toEqual({
      region: "eu-central-1",
      kmsKeyArn: stateOf(copyKey, "arn"),
      tags: { CostCentre: "data" },
    });
    expect(b.plan.inputs["rules"]).toEqual(
      RULES.map((rule) => ({
        ruleName: rule.ruleName,
        targetVaultName: stateOf(b.vault, "name"),
        schedule: rule.schedule,
        startWindow: 60,
        completionWindow: 1440,
        lifecycle: { deleteAfter: rule.deleteAfter },
        recoveryPointTags: { CostCentre: "data", BackupRule: rule.ruleName },
        copyActions: [{ destinationVaultArn: stateOf(copyVault, "arn"), lifecycle: { deleteAfter: rule.deleteAfter } }],
      })),
    );
    expect(ofType(result, T.vault)).toHaveLength(2);
    expect(ofType(result, T.key)).toHaveLength(2);
  });

  test("allowFrom admits each listed group on 5432 with a numbered rule; the method adds a named one", () => {
    const c = awsChildren(result, NAME);
    const ingress = (source: string, description: string) => ({
      securityGroupId: c.sg.id,
      referencedSecurityGroupId: source,
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      description,
    });
    expect(Object.fromEntries(ofType(result, T.ingress).map((x) => [x.name, x.inputs]))).toEqual({
      "main-from-1": ingress("sg-0api", "PostgreSQL from consumer 1"),
      "main-from-2": ingress("sg-0worker", "PostgreSQL from consumer 2"),
      "main-from-jobs": ingress("sg-0jobs", "PostgreSQL from jobs"),
    });
    for (const x of ofType(result, T.ingress)) {
      expect(x.parent).toBe(c.component.urn);
      expect(x.options).toEqual({});
    }
    expect(result.outputs["ruleUrn"]).toBe(resource(result, T.ingress, "main-from-jobs").urn);
  });

  test("connectionFor describes the rule a service declares, aliased to the rule allowFrom would have made", () => {
    expect(Object.keys(connection).sort()).toEqual([
      "ingressAliases",
      "ingressDescription",
      "name",
      "port",
      "securityGroupId",
    ]);
    expect(connection).toMatchObject({ name: "main", port: 5432, ingressDescription: "PostgreSQL from api" });
    expect(result.outputs["connectionSecurityGroupId"]).toBe(resource(result, T.sg, "main-sg").id);
    expect(connection.ingressAliases).toHaveLength(1);
    const alias = connection.ingressAliases![0] as pulumi.Alias;
    expect(Object.keys(alias).sort()).toEqual(["name", "parent"]);
    expect(alias.name).toBe("main-from-api");
    expect(alias.parent).toBe(db);
  });

  test("outputs: the chosen database and user in the exact URL (secret), the sizing, the vault", () => {
    const c = awsChildren(result, NAME);
    const host = String(stateOf(c.instance, "address"));
    expect(out(result, NAME)).toEqual({
      host,
      port: 5432,
      databaseName: "shop",
      url: "[secret]",
      plainUrl: `postgresql://shop_owner:${String(stateOf(c.password, "result"))}@${host}:5432/shop?sslmode=require`,
      urlIsSecret: true,
      cloud: {
        securityGroupId: c.sg.id,
        secretArn: stateOf(c.version, "arn"),
        instanceIdentifier: "saas-platform-test-main",
        instanceArn: stateOf(c.instance, "arn"),
        iamAuth: { resourceId: stateOf(c.instance, "resourceId"), adminUsername: "shop_owner", user: "app_iam" },
        backupVaultName: stateOf(backupOf(result, NAME).vault, "name"),
        sizing: { instanceClass: "db.r6g.2xlarge", allocatedStorageGb: 100 },
        kmsKeyArn: stateOf(keyOf(result, NAME), "arn"),
      },
    });
  });

  test("the component registers its host, port, database name and URL as its outputs", () => {
    expect(registered).toHaveLength(1);
    const outputs = registered[0]!;
    expect(Object.keys(outputs).sort()).toEqual(["databaseName", "host", "port", "url"]);
    expect(outputs["host"] === db.host).toBe(true); // by identity: printing an Output on failure is slow
    expect(outputs["port"] === db.port).toBe(true); // by identity: printing an Output on failure is slow
    expect(outputs["databaseName"] === db.databaseName).toBe(true); // by identity: printing an Output on failure is slow
    expect(outputs["url"] === db.url).toBe(true); // by identity: printing an Output on failure is slow
  });
});

describe("restores, a disposable database and no backup plan", () => {
  let result: SynthResult;
  const kmsHook = jest.fn();
  beforeAll(async () => {
    result = await recordProgram(STACK, async () => {
      const snap = new ManagedPostgres("snap", {
        target: "aws",
        network: awsNetwork(),
        // A restore keeps the snapshot's database and user: these are not sent.
        databaseName: "ignored_db",
        username: "ignored_user",
        restoreFrom: { snapshotIdentifier: "snap-1", kmsKeyArn: SOURCE_KEY },
        transform: { kmsKey: kmsHook },
      });
      const pit = new ManagedPostgres("pit", {
        target: "aws",
        network: awsNetwork(),
        finalSnapshot: false,
        backup: { enabled: false },
        restoreFrom: {
          pointInTime: { source: "src-db", time: "2026-11-24T09:30:00Z", latest: false },
          kmsKeyArn: SOURCE_KEY,
        },
      });
      const latest = new ManagedPostgres("latest", {
        target: "aws",
        network: awsNetwork(),
        allocatedStorageGb: 50,
        maxAllocatedStorageGb: 50,
        restoreFrom: { pointInTime: { source: "src-db", latest: true }, kmsKeyArn: SOURCE_KEY },
      });
      const fresh = new ManagedPostgres("fresh", {
        target: "aws",
        network: awsNetwork(),
        finalSnapshot: false,
        backup: { enabled: false },
      });
      return { snap: outputsOf(snap), pit: outputsOf(pit), latest: outputsOf(latest), fresh: outputsOf(fresh) };
    });
  });

  test("from a snapshot: no database or user sent, the snapshot's (as RDS reports them) in the URL and outputs", () => {
    const c = awsChildren(result, "snap");
    expect(c.instance.inputs["snapshotIdentifier"]).toBe("snap-1");
    expect(c.instance.inputs).not.toHaveProperty("dbName");
    expect(c.instance.inputs).not.toHaveProperty("username");
    expect(c.instance.inputs).not.toHaveProperty("restoreToPointInTime");
    const host = String(stateOf(c.instance, "address"));
    expect(out(result, "snap")).toMatchObject({
      databaseName: "app",
      plainUrl: `postgresql://app_admin:${String(stateOf(c.password, "result"))}@${host}:5432/app?sslmode=require`,
      urlIsSecret: true,
      cloud: { iamAuth: { adminUsername: "app_admin", user: "app_iam" }, kmsKeyArn: SOURCE_KEY },
    });
  });

  test("a restore uses the source's key for everything, declares no key, and never calls the kmsKey transform", () => {
    for (const name of ["snap", "pit", "latest"]) {
      const c = awsChildren(result, name);
      expect(c.instance.inputs).toMatchObject({ kmsKeyId: SOURCE_KEY, performanceInsightsKmsKeyId: SOURCE_KEY });
      expect(c.secret.inputs["kmsKeyId"]).toBe(SOURCE_KEY);
      expect(out(result, name).cloud!["kmsKeyArn"]).toBe(SOURCE_KEY);
    }
    expect(resource(result, T.vault, "snap-vault").inputs["kmsKeyArn"]).toBe(SOURCE_KEY);
    expect(ofType(result, T.key).map((x) => x.name)).toEqual(["fresh-key"]);
    expect(ofType(result, T.alias).map((x) => x.name)).toEqual(["fresh-key"]);
    expect(kmsHook).not.toHaveBeenCalled();
  });

  test("the final snapshot's name changes with the restore source", () => {
    expect(resource(result, T.randomId, "snap-final-snapshot").inputs).toEqual({
      byteLength: 4,
      keepers: {
        identifier: "saas-platform-test-snap",
        restoreFrom: JSON.stringify({ snapshotIdentifier: "snap-1", kmsKeyArn: SOURCE_KEY }),
      },
    });
  });

  test("to a point in time: the given time unless latest is true", () => {
    expect(resource(result, T.instance, "pit").inputs["restoreToPointInTime"]).toEqual({
      sourceDbInstanceIdentifier: "src-db",
      restoreTime: "2026-11-24T09:30:00Z",
    });
    expect(resource(result, T.instance, "latest").inputs["restoreToPointInTime"]).toEqual({
      sourceDbInstanceIdentifier: "src-db",
      useLatestRestorableTime: true,
    });
    for (const name of ["pit", "latest"]) {
      expect(resource(result, T.instance, name).inputs).not.toHaveProperty("snapshotIdentifier");
      expect(resource(result, T.instance, name).inputs).not.toHaveProperty("dbName");
    }
  });

  test("a ceiling equal to the allocation turns storage autoscaling off: no ceiling is sent", () => {
    const instance = resource(result, T.instance, "latest");
    expect(instance.inputs["allocatedStorage"]).toBe(50);
    expect(instance.inputs).not.toHaveProperty("maxAllocatedStorage");
    expect(out(result, "latest").cloud!["sizing"]).toEqual({ instanceClass: "db.t4g.small", allocatedStorageGb: 50 });
  });

  test.each(["pit", "fresh"])(
    "%s: finalSnapshot false: no snapshot, no suffix, automated backups deleted with the instance",
    (name) => {
      const instance = resource(result, T.instance, name);
      expect(instance.inputs).toMatchObject({ skipFinalSnapshot: true, deleteAutomatedBackups: true });
      expect(instance.inputs).not.toHaveProperty("finalSnapshotIdentifier");
      expect(find(result, T.randomId, `${name}-final-snapshot`)).toEqual([]);
    },
  );

  test.each(["pit", "fresh"])("%s: backup { enabled: false }: no vault, plan, role or selection", (name) => {
    const declared = result.resources.filter((x) => x.name.startsWith(`${name}-`)).map((x) => x.name);
    expect(declared.filter((x) => x.startsWith(`${name}-vault`) || x.startsWith(`${name}-backup`))).toEqual([]);
    expect(find(result, T.role, `${name}-monitoring`)).toHaveLength(1);
    expect(out(result, name).cloud!["backupVaultName"]).toBeNull();
    expect(resource(result, T.instance, name).inputs["backupRetentionPeriod"]).toBe(7);
  });

  test("a fresh disposable database still has its own key and its URL", () => {
    const c = awsChildren(result, "fresh");
    expect(c.instance.inputs).toMatchObject({ dbName: "app", username: "app_admin" });
    expect(c.instance.inputs["kmsKeyId"]).toBe(stateOf(keyOf(result, "fresh"), "arn"));
    expect(out(result, "fresh").plainUrl).toBe(
      `postgresql://app_admin:${String(stateOf(c.password, "result"))}@${String(stateOf(c.instance, "address"))}:5432/app?sslmode=require`,
    );
  });
});

describe("the AWS database's transforms", () => {
  let result: SynthResult;
  let stored: pulumi.Input<string | undefined>;
  const seen: string[] = [];
  /** The args keys a function hook sees when no log key is given: an unset key is absent, not `undefined`. */
  const keys: Record<string, string[][]> = { instance: [], log: [] };
  beforeAll(async () => {
    result = await recordProgram(STACK, async () => {
      new ManagedPostgres("peek", {
        target: "aws",
        network: awsNetwork(),
        transform: {
          instance: (args) => void keys["instance"]!.push(Object.keys(args).sort()),
          logGroup: (args) => void keys["log"]!.push(Object.keys(args).sort()),
        },
      });
      const db = new ManagedPostgres("hooked", {
        target: "aws",
        network: awsNetwork(),
        allowFrom: ["sg-0api"],
        transform: {
          instance: (args, opts, name) => {
            seen.push(name);
            args.caCertIdentifier = "rds-ca-ecc384-g1";
            opts.ignoreChanges = ["snapshotIdentifier"];
          },
          parameterGroup: { description: "params by transform" },
          subnetGroup: { description: "subnets by transform" },
          securityGroup: { description: "sg by transform" },
          kmsKey: { description: "key by transform" },
          password: { length: 50 },
          secret: { description: "secret by transform" },
          logGroup: { retentionInDays: 1 },
          backupVault: { forceDestroy: true },
          backupPlan: { name: "plan by transform" },
          backupSelection: { name: "selection by transform" },
          backupRole: { description: "backup role by transform" },
          monitoringRole: { description: "monitoring role by transform" },
          ingressRule: { description: "rule by transform" },
          secretVersion: (args) => {
            stored = args.secretString;
          },
        },
      });
      return { hooked: outputsOf(db), stored: pulumi.unsecret(pulumi.output(stored)) };
    });
  });

  test("each hook reaches its own child, and only it", () => {
    const c = awsChildren(result, "hooked");
    const b = backupOf(result, "hooked");
    expect(seen).toEqual(["hooked"]);
    expect(c.instance.inputs["caCertIdentifier"]).toBe("rds-ca-ecc384-g1");
    expect(c.instance.options).toEqual({ ignoreChanges: ["snapshotIdentifier"] });
    expect(c.params.inputs["description"]).toBe("params by transform");
    expect(c.subnets.inputs["description"]).toBe("subnets by transform");
    expect(c.sg.inputs["description"]).toBe("sg by transform");
    expect(keyOf(result, "hooked").inputs["description"]).toBe("key by transform");
    expect(c.password.inputs).toEqual({ length: 50, special: false });
    expect(c.secret.inputs["description"]).toBe("secret by transform");
    expect(c.logPostgresql.inputs["retentionInDays"]).toBe(1);
    expect(c.logUpgrade.inputs["retentionInDays"]).toBe(1);
    expect(b.vault.inputs["forceDestroy"]).toBe(true);
    expect(b.plan.inputs["name"]).toBe("plan by transform");
    expect(b.selection.inputs["name"]).toBe("selection by transform");
    expect(b.role.inputs["description"]).toBe("backup role by transform");
    expect(c.monitoringRole.inputs["description"]).toBe("monitoring role by transform");
    expect(resource(result, T.ingress, "hooked-from-1").inputs["description"]).toBe("rule by transform");
    // A hook edits a copy of the options: the other children keep theirs.
    for (const x of result.resources.filter((r) => r.parent === c.component.urn && r !== c.instance)) {
      expect(x.options).toEqual({});
    }
  });

  test("without a log key, a function hook sees no kmsKeyId at all", () => {
    expect(keys).toEqual({
      instance: [Object.keys(defaultInstanceInputs(result, "peek")).sort()],
      log: [
        ["name", "retentionInDays", "tags"],
        ["name", "retentionInDays", "tags"],
      ],
    });
  });

  test("the secret's version stores exactly the URL the component outputs", () => {
    const { plainUrl } = out(result, "hooked");
    expect(plainUrl).toMatch(
      /^postgresql:\/\/app_admin:[A-Za-z0-9]{50}@saas-platform-test-hooked\..+:5432\/app\?sslmode=require$/,
    );
    expect(result.outputs["stored"]).toBe(plainUrl);
  });
});

describe("the Docker database", () => {
  let result: SynthResult;
  let envs: unknown;
  const errors: string[] = [];
  beforeAll(async () => {
    result = await recordProgram(STACK, async () => {
      const plain = new ManagedPostgres("dev", { target: "docker", network: dockerNetwork() });
      const custom = new ManagedPostgres("custom", {
        target: "docker",
        network: dockerNetwork(),
        image: "postgres:16-bookworm",
        databaseName: "shop",
        username: "shop_owner",
        hostPort: 15432,
        transform: {
          container: (args) => {
            envs = args.envs;
            args.restart = "always";
          },
          volume: { driver: "local" },
          image: { keepLocally: false },
        },
      });
      for (const attempt of [() => plain.allowFrom("api", "sg-0api"), () => plain.connectionFor("api")]) {
        try {
          attempt();
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
      const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
      const direct = createDockerPostgres("direct", { target: "docker", network: dockerNetwork() }, parent);
      const directPort = createDockerPostgres(
        "direct-port",
        { target: "docker", network: dockerNetwork(), hostPort: 15433, databaseName: "x", username: "y" },
        parent,
      );
      return {
        dev: outputsOf(plain),
        custom: outputsOf(custom),
        env: pulumi.unsecret(pulumi.output(envs as pulumi.Input<string>[])),
        direct: { url: pulumi.unsecret(direct.url), localUrl: pulumi.unsecret(direct.localUrl) },
        directPort: { localUrl: pulumi.unsecret(directPort.localUrl) },
        localUrlIsSecret: pulumi.output(pulumi.isSecret(directPort.localUrl)),
      };
    });
  });

  const password = (name: string) => String(stateOf(resource(result, T.password, `${name}-password`), "result"));

  test("defaults: every input of the container, the image and the volume", () => {
    const image = resource(result, T.image, "dev-image");
    const volume = resource(result, T.volume, "dev-data");
    expect(image.inputs).toEqual({ name: "postgres:17-alpine", keepLocally: true });
    expect(volume.inputs).toEqual({ name: "saas-platform-test-dev-data" });
    const container = resource(result, T.container, "dev");
    expect(container.inputs).toEqual({
      name: "saas-platform-test-dev",
      image: stateOf(image, "imageId"),
      envs: ["POSTGRES_DB=app", "POSTGRES_USER=app_admin", "[secret]"],
      networksAdvanced: [{ name: "acme-dev", aliases: ["postgres"] }],
      ports: [{ internal: 5432, external: 5432, ip: "127.0.0.1" }],
      volumes: [{ volumeName: stateOf(volume, "name"), containerPath: "/var/lib/postgresql/data" }],
      healthcheck: {
        tests: ["CMD-SHELL", "pg_isready -U app_admin -d app"],
        interval: "5s",
        timeout: "3s",
        retries: 10,
        startPeriod: "10s",
      },
      restart: "unless-stopped",
      wait: true,
      waitTimeout: 120,
      labels: [{ label: "managed-by", value: "pulumi" }],
    });
    expect(container.secretInputs).toEqual(["envs.2"]);
    const component = resource(result, T.component, "dev");
    const children = result.resources.filter((x) => x.parent === component.urn);
    expect(children.map((x) => `${x.type} ${x.name}`).sort()).toEqual(
      [`${T.container} dev`, `${T.image} dev-image`, `${T.volume} dev-data`, `${T.password} dev-password`].sort(),
    );
    for (const child of children) expect(child.options).toEqual({});
  });

  test("defaults: outputs are the alias, 5432, app and a secret URL without TLS; no cloud", () => {
    expect(LOCAL_DATABASE_ALIAS).toBe("postgres");
    expect(out(result, "dev")).toEqual({
      host: "postgres",
      port: 5432,
      databaseName: "app",
      url: "[secret]",
      plainUrl: `postgresql://app_admin:${password("dev")}@postgres:5432/app?sslmode=disable`,
      urlIsSecret: true,
      noCloud: true,
    });
    expect(result.secretOutputs).toContain("dev.url");
  });

  test("the image, database, user, host port and transforms given reach the container, image and volume", () => {
    expect(resource(result, T.image, "custom-image").inputs).toEqual({
      name: "postgres:16-bookworm",
      keepLocally: false,
    });
    expect(resource(result, T.volume, "custom-data").inputs).toEqual({
      name: "saas-platform-test-custom-data",
      driver: "local",
    });
    expect(resource(result, T.container, "custom").inputs).toMatchObject({
      name: "saas-platform-test-custom",
      envs: ["POSTGRES_DB=shop", "POSTGRES_USER=shop_owner", "[secret]"],
      ports: [{ internal: 5432, external: 15432, ip: "127.0.0.1" }],
      healthcheck: { tests: ["CMD-SHELL", "pg_isready -U shop_owner -d shop"] },
      restart: "always",
    });
    // Inside the network the port stays 5432 whatever the host port.
    expect(out(result, "custom")).toMatchObject({
      host: "postgres",
      port: 5432,
      databaseName: "shop",
      plainUrl: `postgresql://shop_owner:${password("custom")}@postgres:5432/shop?sslmode=disable`,
    });
  });

  test("the container gets the password as POSTGRES_PASSWORD", () => {
    expect(result.outputs["env"]).toEqual([
      "POSTGRES_DB=shop",
      "POSTGRES_USER=shop_owner",
      `POSTGRES_PASSWORD=${password("custom")}`,
    ]);
  });

  test("the local URL reaches the host port on 127.0.0.1 (5432 when omitted), secret", () => {
    expect(result.outputs["direct"]).toEqual({
      url: `postgresql://app_admin:${password("direct")}@postgres:5432/app?sslmode=disable`,
      localUrl: `postgresql://app_admin:${password("direct")}@127.0.0.1:5432/app?sslmode=disable`,
    });
    expect(result.outputs["directPort"]).toEqual({
      localUrl: `postgresql://y:${password("direct-port")}@127.0.0.1:15433/x?sslmode=disable`,
    });
    expect(result.outputs["localUrlIsSecret"]).toBe(true);
  });

  test("allowFrom and connectionFor need the AWS variant, and say so", () => {
    expect(errors).toEqual([
      'dev.allowFrom("api") needs the AWS variant',
      'dev.connectionFor("api") needs the AWS variant',
    ]);
    expect(ofType(result, T.ingress)).toEqual([]);
  });
});

describe("awsPostgresDefaults, postgresFamily, restoreInputs and the constants", () => {
  const network = { azCount: 2 } as AwsNetworkOutputs;

  test("every arg given is kept as given", () => {
    const given: AwsPostgresArgs = {
      target: "aws",
      network,
      allowFrom: ["sg-0a"],
      instanceClass: "db.m7g.large",
      engineVersion: "16",
      allocatedStorageGb: 50,
      maxAllocatedStorageGb: 200,
      backupRetentionDays: 14,
      multiAz: true,
      databaseName: "shop",
      username: "owner",
      backupWindow: "01:00-02:00",
      maintenanceWindow: "tue:01:00-tue:02:00",
      slowStatementMs: 100,
      logsKmsKeyArn: LOGS_KEY,
      logRetentionDays: 14,
      applyImmediately: true,
      protect: true,
      finalSnapshot: false,
      backup: { enabled: false },
      restoreFrom: { snapshotIdentifier: "snap-1", kmsKeyArn: SOURCE_KEY },
      tags: { A: "b" },
      transform: { subnetGroup: { description: "x" } },
    };
    expect(awsPostgresDefaults(given)).toEqual(given);
  });

  test("zero and false are values, not gaps", () => {
    expect(
      awsPostgresDefaults({
        target: "aws",
        network,
        allocatedStorageGb: 0,
        maxAllocatedStorageGb: 0,
        backupRetentionDays: 0,
        slowStatementMs: 0,
        logRetentionDays: 0,
        multiAz: false,
        applyImmediately: false,
        protect: false,
        finalSnapshot: false,
        databaseName: "",
        username: "",
      }),
    ).toMatchObject({
      allocatedStorageGb: 0,
      maxAllocatedStorageGb: 0,
      backupRetentionDays: 0,
      slowStatementMs: 0,
      logRetentionDays: 0,
      multiAz: false,
      applyImmediately: false,
      protect: false,
      finalSnapshot: false,
      databaseName: "",
      username: "",
    });
  });

  test("backup omitted, or undefined, means the plan is on", () => {
    expect(awsPostgresDefaults({ target: "aws", network }).backup).toEqual({ enabled: true });
    expect(awsPostgresDefaults({ target: "aws", network, backup: undefined }).backup).toEqual({ enabled: true });
  });

  test.each([
    ["17", "postgres17"],
    ["16.4", "postgres16"],
    ["17.10", "postgres17"],
    ["9", "postgres9"],
  ])("version %s is in the family %s", (version, family) => {
    expect(postgresFamily(version)).toBe(family);
  });

  test("restoreInputs: nothing without a source; a snapshot; a point in time at a time or the latest", () => {
    expect(restoreInputs(undefined)).toEqual({ fromBackup: false, inputs: {} });
    expect(restoreInputs({ snapshotIdentifier: "snap-1", kmsKeyArn: SOURCE_KEY })).toEqual({
      fromBackup: true,
      inputs: { snapshotIdentifier: "snap-1" },
    });
    expect(
      restoreInputs({ pointInTime: { source: "db", time: "2026-11-24T09:30:00Z" }, kmsKeyArn: SOURCE_KEY }),
    ).toEqual({
      fromBackup: true,
      inputs: { restoreToPointInTime: { sourceDbInstanceIdentifier: "db", restoreTime: "2026-11-24T09:30:00Z" } },
    });
    expect(restoreInputs({ pointInTime: { source: "db", latest: true }, kmsKeyArn: SOURCE_KEY })).toEqual({
      fromBackup: true,
      inputs: { restoreToPointInTime: { sourceDbInstanceIdentifier: "db", useLatestRestorableTime: true } },
    });
  });

  test("the constants: port 5432, the retention rules, the data services", () => {
    expect(POSTGRES_PORT).toBe(5432);
    expect(BACKUP_RULES.map((x) => ({ ...x }))).toEqual(
      RULES.map((x) => ({ ruleName: x.ruleName, schedule: x.schedule, deleteAfterDays: x.deleteAfter })),
    );
    expect([...DATA_KEY_SERVICES]).toEqual(["rds", "secretsmanager", "elasticache", "backup"]);
  });
});

describe("IAM database authentication helpers", () => {
  test("the app's user and its rds-db:connect ARN", () => {
    expect(IAM_DATABASE_USER).toBe("app_iam");
    expect(iamConnectArn("eu-west-1", ACCOUNT, "db-ABC123")).toBe(
      "arn:aws:rds-db:eu-west-1:123456789012:dbuser:db-ABC123/app_iam",
    );
    expect(iamConnectArn("eu-central-1", "210987654321", "db-XYZ", "reader")).toBe(
      "arn:aws:rds-db:eu-central-1:210987654321:dbuser:db-XYZ/reader",
    );
  });

  test("the SQL, line by line", () => {
    expect(iamUserSql("app", "app_admin")).toBe(
      [
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_iam') THEN CREATE ROLE app_iam LOGIN; END IF; END $$;",
        "GRANT rds_iam TO app_iam;",
        "GRANT CONNECT ON DATABASE app TO app_iam;",
        "GRANT USAGE ON SCHEMA public TO app_iam;",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_iam;",
        "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO app_iam;",
        "ALTER DEFAULT PRIVILEGES FOR ROLE app_admin IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO app_iam;",
        "ALTER DEFAULT PRIVILEGES FOR ROLE app_admin IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO app_iam;",
      ].join("\n"),
    );
    const custom = iamUserSql("shop", "owner", "reader").split("\n");
    expect(custom).toHaveLength(8);
    expect(custom[0]).toBe(
      "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') THEN CREATE ROLE reader LOGIN; END IF; END $$;",
    );
    expect(custom[2]).toBe("GRANT CONNECT ON DATABASE shop TO reader;");
    expect(custom[7]).toBe(
      "ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO reader;",
    );
  });

  test.each(["a", "_x", "x_9", "a".repeat(63)])("accepts the identifier %s in every place", (id) => {
    expect(() => iamUserSql(id, id, id)).not.toThrow();
  });

  test.each(["", "1a", "A", "a-b", "a;", " a", "a".repeat(64)])("refuses %j, naming where", (id) => {
    expect(() => iamUserSql(id, "app_admin")).toThrow(
      `iamUserSql: database must be a plain PostgreSQL identifier (got ${id})`,
    );
    expect(() => iamUserSql("app", id)).toThrow(`iamUserSql: admin must be a plain PostgreSQL identifier (got ${id})`);
    expect(() => iamUserSql("app", "app_admin", id)).toThrow(
      `iamUserSql: user must be a plain PostgreSQL identifier (got ${id})`,
    );
  });

  test("the database is checked first, then the admin", () => {
    expect(() => iamUserSql("1", "2", "3")).toThrow("iamUserSql: database must be");
    expect(() => iamUserSql("a", "2", "3")).toThrow("iamUserSql: admin must be");
  });
});

describe("validateManagedPostgresArgs", () => {
  type Aws = Partial<Omit<AwsPostgresArgs, "target" | "network" | "restoreFrom">> & {
    azCount?: number;
    restoreFrom?: unknown;
  };
  const aws = (changes: Aws = {}): ManagedPostgresArgs => {
    const { azCount = 2, ...rest } = changes;
    return { target: "aws", network: { azCount } as AwsNetworkOutputs, ...rest } as ManagedPostgresArgs;
  };
  const restore = (restoreFrom: unknown) => aws({ restoreFrom });
  const pit = (pointInTime: unknown) => restore({ pointInTime, kmsKeyArn: SOURCE_KEY });
  const docker = (hostPort?: number): ManagedPostgresArgs => ({
    target: "docker",
    network: {} as DockerNetworkOutputs,
    ...(hostPort === undefined ? {} : { hostPort }),
  });
  const problems = (args: ManagedPostgresArgs, name = "db"): string[] => {
    try {
      validateManagedPostgresArgs(name, args);
    } catch (e) {
      const [header, ...lines] = (e as Error).message.split("\n");
      expect(header).toBe(`ManagedPostgres "${name}" has invalid args:`);
      return lines.map((l) => l.replace(/^ {2}- /, ""));
    }
    return [];
  };
  const KEY_PROBLEM = (got: string) =>
    `restoreFrom.kmsKeyArn must be the ARN of the key the source is encrypted with, such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (a restore keeps it; got ${got})`;
  const TIME_PROBLEM = (got: string) =>
    `restoreFrom.pointInTime.time must be a UTC time such as 2026-11-24T09:30:00Z (got ${got})`;
  const ONE_OF = "restoreFrom.pointInTime must give exactly one of time and latest: true";
  const MRK = `arn:aws:kms:eu-west-1:123456789012:key/mrk-${"0123456789abcdef".repeat(2)}`;

  test.each<[string, ManagedPostgresArgs]>([
    ["every arg omitted", aws()],
    ["the smallest storage, autoscaling off", aws({ allocatedStorageGb: 20, maxAllocatedStorageGb: 20 })],
    ["the largest storage, autoscaling off", aws({ allocatedStorageGb: 65536, maxAllocatedStorageGb: 65536 })],
    ["a ceiling exactly 10 % above", aws({ allocatedStorageGb: 100, maxAllocatedStorageGb: 110 })],
    ["one day of backups", aws({ backupRetentionDays: 1 })],
    ["35 days of backups", aws({ backupRetentionDays: 35 })],
    ["Multi-AZ on two AZs", aws({ multiAz: true, azCount: 2 })],
    ["a single AZ network without Multi-AZ", aws({ multiAz: false, azCount: 1 })],
    ["a disposable database", aws({ finalSnapshot: false })],
    ["a protected database with its final snapshot", aws({ protect: true, finalSnapshot: true })],
    ["an instance class with digits in each part", aws({ instanceClass: "db.r6g.2xlarge" })],
    ["PostgreSQL 16", aws({ engineVersion: "16" })],
    ["PostgreSQL 16.4", aws({ engineVersion: "16.4" })],
    ["PostgreSQL 17.10", aws({ engineVersion: "17.10" })],
    ["a one-letter database and user", aws({ databaseName: "a", username: "a" })],
    [
      "a 63-character database name and a 16-character user, the longest RDS takes",
      aws({ databaseName: "d".repeat(63), username: "u".repeat(16) }),
    ],
    ["names with digits and underscores", aws({ databaseName: "x_9", username: "app_admin2" })],
    ["a user whose name contains a reserved one", aws({ username: "administrator" })],
    ["a backup window of 30 minutes", aws({ backupWindow: "02:00-02:30" })],
    ["log retention of one day", aws({ logRetentionDays: 1 })],
    ["log retention of ten years", aws({ logRetentionDays: 3653 })],
    ["a copy region", aws({ backup: { enabled: true, copyToRegion: "eu-central-1" } })],
    ["no backup plan", aws({ backup: { enabled: false } })],
    ["a snapshot restore", restore({ snapshotIdentifier: "snap-1", kmsKeyArn: SOURCE_KEY })],
    [
      "a snapshot ARN",
      restore({ snapshotIdentifier: "arn:aws:rds:eu-west-1:123456789012:snapshot:s", kmsKeyArn: SOURCE_KEY }),
    ],
    ["a multi-Region key", restore({ snapshotIdentifier: "snap-1", kmsKeyArn: MRK })],
    [
      "a multi-Region key of another partition",
      restore({ snapshotIdentifier: "snap-1", kmsKeyArn: MRK.replace("arn:aws:kms", "arn:aws-us-gov:kms") }),
    ],
    [
      "a key of another partition",
      restore({
        snapshotIdentifier: "snap-1",
        kmsKeyArn: SOURCE_KEY.replace("arn:aws:kms:eu-west-1", "arn:aws-cn:kms:cn-north-1"),
      }),
    ],
    ["a point in time", pit({ source: "db", time: "2026-11-24T09:30:00Z" })],
    ["a point in time with milliseconds", pit({ source: "db", time: "2026-11-24T09:30:00.123Z" })],
    ["a leap day", pit({ source: "db", time: "2024-02-29T23:59:59Z" })],
    ["a point in time with latest: false", pit({ source: "db", time: "2026-11-24T09:30:00Z", latest: false })],
    ["the latest point in time", pit({ source: "db", latest: true })],
    ["names that only contain a reserved word", aws({ username: "user_admin", databaseName: "orders" })],
    ["a user whose name has pg or rds inside", aws({ username: "app_pg_rds" })],
    ["reserved words in Docker, which quotes them", { ...docker(), username: "user", databaseName: "order" }],
    ["a Docker database with every arg omitted", docker()],
    ["host port 1", docker(1)],
    ["host port 65535", docker(65535)],
  ])("accepts %s", (_, args) => {
    expect(problems(args)).toEqual([]);
  });

  // PostgreSQL 17's reserved words, copied from src/include/parser/kwlist.h (RESERVED_KEYWORD, then
  // TYPE_FUNC_NAME_KEYWORD): what RDS refuses as a master user or a database name. Spelled out, not imported.
  const RESERVED = [
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "current_catalog",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "grant",
    "group",
    "having",
    "in",
    "initially",
    "intersect",
    "into",
    "lateral",
    "leading",
    "limit",
    "localtime",
    "localtimestamp",
    "not",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "placing",
    "primary",
    "references",
    "returning",
    "select",
    "session_user",
    "some",
    "symmetric",
    "system_user",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "when",
    "where",
    "window",
    "with",
    "authorization",
    "binary",
    "collation",
    "concurrently",
    "cross",
    "current_schema",
    "freeze",
    "full",
    "ilike",
    "inner",
    "is",
    "isnull",
    "join",
    "left",
    "like",
    "natural",
    "notnull",
    "outer",
    "overlaps",
    "right",
    "similar",
    "tablesample",
    "verbose",
  ];

  test("every PostgreSQL reserved word is refused as the master user and as the database name", () => {
    expect(RESERVED).toHaveLength(101);
    for (const word of RESERVED) {
      expect(problems(aws({ username: word, databaseName: word }))).toEqual(
        word.length > 16
          ? [
              `databaseName "${word}" is a PostgreSQL reserved word, which RDS refuses`,
              `username must be 1 to 16 lowercase letters, digits or _ starting with a letter, RDS's limit for the master user (got "${word}")`,
            ]
          : [
              `databaseName "${word}" is a PostgreSQL reserved word, which RDS refuses`,
              `username "${word}" is a PostgreSQL reserved word, which RDS refuses`,
            ],
      );
    }
  });

  test("unreserved key words are names like any other (database, name, role, password, owner)", () => {
    for (const word of ["database", "name", "role", "password", "owner"]) {
      expect(problems(aws({ username: word, databaseName: word }))).toEqual([]);
    }
  });

  test.each<[string, ManagedPostgresArgs, string[]]>([
    [
      "allocatedStorageGb 19",
      aws({ allocatedStorageGb: 19 }),
      ["allocatedStorageGb must be an integer from 20 to 65536 (got 19)"],
    ],
    [
      "allocatedStorageGb 20.5",
      aws({ allocatedStorageGb: 20.5 }),
      ["allocatedStorageGb must be an integer from 20 to 65536 (got 20.5)"],
    ],
    [
      "storage 65537",
      aws({ allocatedStorageGb: 65537, maxAllocatedStorageGb: 65537 }),
      [
        "allocatedStorageGb must be an integer from 20 to 65536 (got 65537)",
        "maxAllocatedStorageGb must be an integer from 20 to 65536 (got 65537)",
      ],
    ],
    [
      "maxAllocatedStorageGb 19",
      aws({ allocatedStorageGb: 20, maxAllocatedStorageGb: 19 }),
      [
        "maxAllocatedStorageGb must be an integer from 20 to 65536 (got 19)",
        "maxAllocatedStorageGb must equal the allocated storage (20) to turn storage autoscaling off, or be at least 22: RDS refuses a ceiling less than 10 % above the allocation (got 19)",
      ],
    ],
    [
      "maxAllocatedStorageGb 65537",
      aws({ maxAllocatedStorageGb: 65537 }),
      ["maxAllocatedStorageGb must be an integer from 20 to 65536 (got 65537)"],
    ],
    [
      "maxAllocatedStorageGb 100.5",
      aws({ maxAllocatedStorageGb: 100.5 }),
      ["maxAllocatedStorageGb must be an integer from 20 to 65536 (got 100.5)"],
    ],
    [
      "a ceiling less than 10 % above",
      aws({ allocatedStorageGb: 100, maxAllocatedStorageGb: 109 }),
      [
        "maxAllocatedStorageGb must equal the allocated storage (100) to turn storage autoscaling off, or be at least 110: RDS refuses a ceiling less than 10 % above the allocation (got 109)",
      ],
    ],
    [
      "backupRetentionDays 0",
      aws({ backupRetentionDays: 0 }),
      ["backupRetentionDays must be an integer from 1 to 35 (got 0)"],
    ],
    [
      "backupRetentionDays 36",
      aws({ backupRetentionDays: 36 }),
      ["backupRetentionDays must be an integer from 1 to 35 (got 36)"],
    ],
    [
      "backupRetentionDays 1.5",
      aws({ backupRetentionDays: 1.5 }),
      ["backupRetentionDays must be an integer from 1 to 35 (got 1.5)"],
    ],
    [
      "a protected database without a final snapshot",
      aws({ protect: true, finalSnapshot: false }),
      ["finalSnapshot: false is for disposable databases and cannot be combined with protect: true"],
    ],
    ["Multi-AZ on one AZ", aws({ multiAz: true, azCount: 1 }), ["multiAz needs a network over at least 2 AZs (got 1)"]],
    ...[
      "xdb.t4g.small",
      "db.t4g.small-x",
      "db.T4G.small",
      "db.t4g",
      "db..small",
      "db.t4g.",
      "dbxt4g.small",
      "db.t4gxsmall",
      "",
    ].map((instanceClass): [string, ManagedPostgresArgs, string[]] => [
      `instanceClass ${JSON.stringify(instanceClass)}`,
      aws({ instanceClass }),
      [`instanceClass must be an RDS instance class such as db.t4g.small (got "${instanceClass}")`],
    ]),
    ...["1", "170", "17.", "x17", "17.4x", "17a4", "v17", "", "17.4.1"].map(
      (engineVersion): [string, ManagedPostgresArgs, string[]] => [
        `engineVersion ${JSON.stringify(engineVersion)}`,
        aws({ engineVersion }),
        [`engineVersion must be a PostgreSQL major or major.minor such as "17" (got "${engineVersion}")`],
      ],
    ),
    ...["1app", "_app", "App", "my-app", "", "app ", "d".repeat(64)].map(
      (databaseName): [string, ManagedPostgresArgs, string[]] => [
        `databaseName ${JSON.stringify(databaseName)}`,
        aws({ databaseName }),
        [`databaseName must be lowercase letters, digits or _ starting with a letter (got "${databaseName}")`],
      ],
    ),
    ...["1user", "_user", "User", "", "app-admin", "u".repeat(17), "u".repeat(64)].map(
      (username): [string, ManagedPostgresArgs, string[]] => [
        `username ${JSON.stringify(username)}`,
        aws({ username }),
        [
          `username must be 1 to 16 lowercase letters, digits or _ starting with a letter, RDS's limit for the master user (got "${username}")`,
        ],
      ],
    ),
    ...["user", "select", "table", "current_user", "left", "authorization"].map(
      (username): [string, ManagedPostgresArgs, string[]] => [
        `username ${JSON.stringify(username)}, a reserved word`,
        aws({ username }),
        [`username "${username}" is a PostgreSQL reserved word, which RDS refuses`],
      ],
    ),
    ...["admin", "postgres", "rdsadmin", "pg_app", "rds_superuser", "rds_iam", "rdsapp"].map(
      (username): [string, ManagedPostgresArgs, string[]] => [
        `username ${JSON.stringify(username)}, kept for RDS or the engine`,
        aws({ username }),
        [
          `username "${username}" is kept for RDS or the engine (admin, postgres, rdsadmin, and names starting with pg_ or rds): choose the app's own name`,
        ],
      ],
    ),
    [
      "username app_iam, the IAM user",
      aws({ username: "app_iam" }),
      [
        'username "app_iam" is the IAM user the stack grants rds_iam to, which would end the master user\'s password login: choose another name',
      ],
    ],
    ...["user", "order", "group", "join"].map((databaseName): [string, ManagedPostgresArgs, string[]] => [
      `databaseName ${JSON.stringify(databaseName)}, a reserved word`,
      aws({ databaseName }),
      [`databaseName "${databaseName}" is a PostgreSQL reserved word, which RDS refuses`],
    ]),
    [
      "logRetentionDays 2",
      aws({ logRetentionDays: 2 }),
      ["logRetentionDays must be a period CloudWatch accepts (got 2)"],
    ],
    [
      "a backup window of 29 minutes",
      aws({ backupWindow: "02:00-02:29" }),
      ['backupWindow must last at least 30 minutes (got "02:00-02:29")'],
    ],
    ["backupWindow 2am", aws({ backupWindow: "2am" }), ['backupWindow must be "hh:mm-hh:mm" in UTC (got "2am")']],
    [
      "overlapping windows",
      aws({ backupWindow: "04:30-05:30" }),
      ['backupWindow "04:30-05:30" overlaps maintenanceWindow "sun:04:00-sun:05:00"; move one of them'],
    ],
    [
      "copyToRegion europe",
      aws({ backup: { enabled: true, copyToRegion: "europe" } }),
      ['backup.copyToRegion must be an AWS region code such as eu-central-1 (got "europe")'],
    ],
    [
      "a copy to GovCloud, outside the commercial partition",
      aws({ backup: { enabled: true, copyToRegion: "us-gov-west-1" } }),
      [
        'backup.copyToRegion is in the aws-us-gov partition, whose ARNs start arn:aws-us-gov: the components write arn:aws: ARNs and policies of the commercial partition, so choose a region such as eu-west-1 (got "us-gov-west-1")',
      ],
    ],
    [
      "a copy without a plan",
      aws({ backup: { enabled: false, copyToRegion: "eu-central-1" } }),
      ["backup.copyToRegion needs backup.enabled: the copies are made by the backup plan"],
    ],
    [
      "a bad copy region without a plan",
      aws({ backup: { enabled: false, copyToRegion: "mars-1" } }),
      [
        'backup.copyToRegion must be an AWS region code such as eu-central-1 (got "mars-1")',
        "backup.copyToRegion needs backup.enabled: the copies are made by the backup plan",
      ],
    ],
    ["a restore without a key", restore({ snapshotIdentifier: "snap-1" }), [KEY_PROBLEM("undefined")]],
    ["a restore with a numeric key", restore({ snapshotIdentifier: "snap-1", kmsKeyArn: 5 }), [KEY_PROBLEM("5")]],
    // An array of one ARN reads as that ARN when coerced to a string: only a string is an ARN.
    [
      "a restore with the key in a list",
      restore({ snapshotIdentifier: "snap-1", kmsKeyArn: [SOURCE_KEY] }),
      [KEY_PROBLEM(JSON.stringify([SOURCE_KEY]))],
    ],
    ...[
      "arn:aws:kms:eu-west-1:123456789012:alias/db",
      "1234abcd-12ab-34cd-56ef-1234567890ab",
      SOURCE_KEY.replace("123456789012", "12345678901"),
      `x${SOURCE_KEY}`,
      `${SOURCE_KEY}x`,
      SOURCE_KEY.toUpperCase(),
      SOURCE_KEY.replace("eu-west-1", "EU-WEST-1"),
      SOURCE_KEY.replace("1234abcd-", "1234abcd"),
      SOURCE_KEY.replace(":kms:", ":rds:"),
      MRK.slice(0, -1),
      `${MRK}0`,
      `x${MRK}`,
      MRK.replace("mrk-", "mrk"),
    ].map((kmsKeyArn): [string, ManagedPostgresArgs, string[]] => [
      `the key ${kmsKeyArn}`,
      restore({ snapshotIdentifier: "snap-1", kmsKeyArn }),
      [KEY_PROBLEM(JSON.stringify(kmsKeyArn))],
    ]),
    [
      "both sources",
      restore({ snapshotIdentifier: "snap-1", pointInTime: { source: "db", latest: true }, kmsKeyArn: SOURCE_KEY }),
      ["restoreFrom must give one source: snapshotIdentifier or pointInTime, not both"],
    ],
    ["no source", restore({ kmsKeyArn: SOURCE_KEY }), ["restoreFrom must give snapshotIdentifier or pointInTime"]],
    [
      "an empty snapshot",
      restore({ snapshotIdentifier: "", kmsKeyArn: SOURCE_KEY }),
      ["restoreFrom.snapshotIdentifier must be a snapshot name or ARN"],
    ],
    [
      "a numeric snapshot",
      restore({ snapshotIdentifier: 42, kmsKeyArn: SOURCE_KEY }),
      ["restoreFrom.snapshotIdentifier must be a snapshot name or ARN"],
    ],
    [
      "a point in time without a source",
      pit({ latest: true }),
      ["restoreFrom.pointInTime.source must name the instance whose backups to restore"],
    ],
    [
      "a point in time with an empty source",
      pit({ source: "", latest: true }),
      ["restoreFrom.pointInTime.source must name the instance whose backups to restore"],
    ],
    [
      "a point in time with a numeric source",
      pit({ source: 7, latest: true }),
      ["restoreFrom.pointInTime.source must name the instance whose backups to restore"],
    ],
    ["neither time nor latest", pit({ source: "db" }), [ONE_OF]],
    ["latest: false alone", pit({ source: "db", latest: false }), [ONE_OF]],
    ["latest other than true", pit({ source: "db", latest: "yes" }), [ONE_OF]],
    ["both time and latest", pit({ source: "db", time: "2026-11-24T09:30:00Z", latest: true }), [ONE_OF]],
    ...[
      "2026-11-24 09:30:00Z",
      "2026-11-24T09:30:00",
      "2026-11-24T09:30:00+01:00",
      "x2026-11-24T09:30:00Z",
      "2026-11-24T09:30:00Zx",
      "2026-11-24T09:30:00.Z",
      "26-11-24T09:30:00Z",
      "2026-11-24T9:30:00Z",
      "2026-13-45T09:30:00Z",
      // Days and hours that do not exist: Date.parse rolls them over (to 2 March, to the next midnight).
      "2026-02-30T09:30:00Z",
      "2026-11-24T24:00:00Z",
      "2026-11-24T09:60:00Z",
      "2025-02-29T00:00:00Z",
      "",
    ].map((time): [string, ManagedPostgresArgs, string[]] => [
      `the time ${JSON.stringify(time)}`,
      pit({ source: "db", time }),
      [TIME_PROBLEM(JSON.stringify(time))],
    ]),
    ["a numeric time", pit({ source: "db", time: 5 }), [TIME_PROBLEM("5")]],
    [
      "a time in a list",
      pit({ source: "db", time: ["2026-11-24T09:30:00Z"] }),
      [TIME_PROBLEM('["2026-11-24T09:30:00Z"]')],
    ],
    ["a bad time and latest", pit({ source: "db", time: "now", latest: true }), [ONE_OF, TIME_PROBLEM('"now"')]],
    [
      "a bad key and a bad source, in that order",
      restore({ pointInTime: { source: "", time: "later" }, kmsKeyArn: "alias/db" }),
      [
        KEY_PROBLEM('"alias/db"'),
        "restoreFrom.pointInTime.source must name the instance whose backups to restore",
        TIME_PROBLEM('"later"'),
      ],
    ],
    ["host port 0", docker(0), ["hostPort must be a port from 1 to 65535 (got 0)"]],
    ["host port 65536", docker(65536), ["hostPort must be a port from 1 to 65535 (got 65536)"]],
  ])("rejects %s, in exact words", (_, args, expected) => {
    expect(problems(args)).toEqual(expected);
  });

  test("every problem at once, in order, under the component's name", () => {
    expect(
      problems(
        aws({
          azCount: 1,
          allocatedStorageGb: 10,
          maxAllocatedStorageGb: 70000,
          backupRetentionDays: 0,
          protect: true,
          finalSnapshot: false,
          multiAz: true,
          instanceClass: "t4g.small",
          engineVersion: "latest",
          databaseName: "My-App",
          username: "rdsadmin",
          logRetentionDays: 10,
          backupWindow: "2am",
          maintenanceWindow: "sunday",
          backup: { enabled: false, copyToRegion: "europe" },
          restoreFrom: { snapshotIdentifier: "" },
        }),
        "orders",
      ),
    ).toEqual([
      "allocatedStorageGb must be an integer from 20 to 65536 (got 10)",
      "maxAllocatedStorageGb must be an integer from 20 to 65536 (got 70000)",
      "backupRetentionDays must be an integer from 1 to 35 (got 0)",
      "finalSnapshot: false is for disposable databases and cannot be combined with protect: true",
      "multiAz needs a network over at least 2 AZs (got 1)",
      'instanceClass must be an RDS instance class such as db.t4g.small (got "t4g.small")',
      'engineVersion must be a PostgreSQL major or major.minor such as "17" (got "latest")',
      'databaseName must be lowercase letters, digits or _ starting with a letter (got "My-App")',
      'username "rdsadmin" is kept for RDS or the engine (admin, postgres, rdsadmin, and names starting with pg_ or rds): choose the app\'s own name',
      "logRetentionDays must be a period CloudWatch accepts (got 10)",
      'backupWindow must be "hh:mm-hh:mm" in UTC (got "2am")',
      'maintenanceWindow must be "ddd:hh:mm-ddd:hh:mm" in UTC (got "sunday")',
      'backup.copyToRegion must be an AWS region code such as eu-central-1 (got "europe")',
      "backup.copyToRegion needs backup.enabled: the copies are made by the backup plan",
      KEY_PROBLEM("undefined"),
      "restoreFrom.snapshotIdentifier must be a snapshot name or ARN",
    ]);
  });

  test("the component checks its args before declaring anything", async () => {
    const error = await recordProgram(STACK, async () => {
      new ManagedPostgres("db", { target: "aws", network: awsNetwork(1), multiAz: true });
      return {};
    }).then(
      () => undefined,
      (e: Error & { declared?: RecordedResource[] }) => e,
    );
    expect(error?.message).toBe(
      'ManagedPostgres "db" has invalid args:\n  - multiAz needs a network over at least 2 AZs (got 1)',
    );
    expect(error?.declared?.filter((x) => x.name.startsWith("db"))).toEqual([]);
  });
});
