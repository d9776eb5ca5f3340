import * as pulumi from "@pulumi/pulumi";
import { ManagedPostgres, validateManagedPostgresArgs, BACKUP_RULES } from "../../components/managed-postgres";
import { Network } from "../../components/network";
import { windowsOverlap } from "../../components/windows";
import { renderJson } from "../../synth/formats";
import { awsPostgresDefaults, type AwsPostgresArgs } from "../../components/managed-postgres/aws";
import { recordProgram, type SynthResult } from "../../synth/synth";
import { ofType, resource, synthConfig, useStacks, variant } from "../helpers/synth";

const T = {
  instance: "aws:rds/instance:Instance",
  params: "aws:rds/parameterGroup:ParameterGroup",
  subnets: "aws:rds/subnetGroup:SubnetGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  key: "aws:kms/key:Key",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  vault: "aws:backup/vault:Vault",
  plan: "aws:backup/plan:Plan",
  selection: "aws:backup/selection:Selection",
  randomId: "random:index/randomId:RandomId",
  container: "docker:index/container:Container",
  volume: "docker:index/volume:Volume",
} as const;

const r = useStacks();
const db = (env: string) => resource(r(env), T.instance, "database");

describe("production and staging differ where it matters", () => {
  test.each([
    [
      "production",
      {
        multiAz: true,
        deletionProtection: true,
        applyImmediately: false,
        backupRetentionPeriod: 14,
        instanceClass: "db.t4g.micro",
        allocatedStorage: 20,
        maxAllocatedStorage: 100,
      },
      true,
    ],
    [
      "production-large",
      {
        multiAz: true,
        deletionProtection: true,
        backupRetentionPeriod: 14,
        instanceClass: "db.m7g.large",
        allocatedStorage: 100,
        maxAllocatedStorage: 500,
      },
      true,
    ],
    [
      "staging",
      {
        multiAz: false,
        deletionProtection: false,
        applyImmediately: true,
        backupRetentionPeriod: 7,
        instanceClass: "db.t4g.micro",
        allocatedStorage: 20,
        maxAllocatedStorage: 100,
      },
      false,
    ],
    [
      "preview",
      {
        multiAz: false,
        deletionProtection: false,
        applyImmediately: true,
        backupRetentionPeriod: 1,
        instanceClass: "db.t4g.micro",
        allocatedStorage: 20,
      },
      false,
    ],
  ])("%s", (env, expected, protect) => {
    expect(db(env).inputs).toMatchObject(expected);
    expect(db(env).options.protect ?? false).toBe(protect);
    expect(resource(r(env), T.key, "database-key").options.protect ?? false).toBe(protect);
  });
});

describe.each(["production", "staging", "preview"])("the %s database", (env) => {
  test("is private, in the private subnets, behind its own security group", () => {
    expect(db(env).inputs["publiclyAccessible"]).toBe(false);
    const subnets = resource(r(env), T.subnets, "database-subnets");
    expect(subnets.inputs["subnetIds"]).toEqual(r(env).outputs["privateSubnetIds"]);
    expect(db(env).inputs["dbSubnetGroupName"]).toBe(subnets.state!["name"]);
    expect(db(env).inputs["vpcSecurityGroupIds"]).toEqual([resource(r(env), T.sg, "database-sg").id]);
    // The only way in: the API service's security group, on 5432 (a rule the service declares: its connection).
    const ingress = ofType(r(env), T.ingress).filter(
      (x) => x.inputs["securityGroupId"] === resource(r(env), T.sg, "database-sg").id,
    );
    expect(ingress.map((x) => x.inputs)).toEqual([
      {
        securityGroupId: resource(r(env), T.sg, "database-sg").id,
        referencedSecurityGroupId: resource(r(env), T.sg, "api-service").id,
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        description: "PostgreSQL from api",
      },
    ]);
  });

  test("stores data on encrypted gp3 with autoscaling, under its own rotating KMS key", () => {
    const key = resource(r(env), T.key, "database-key");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(db(env).inputs).toMatchObject({
      engine: "postgres",
      engineVersion: "17",
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: key.state!["arn"],
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: key.state!["arn"],
      databaseInsightsMode: "standard",
    });
  });

  test("forces TLS and logs slow statements through its parameter group", () => {
    const params = resource(r(env), T.params, "database-params");
    expect(params.inputs["family"]).toBe("postgres17");
    expect(params.inputs["parameters"]).toEqual(
      expect.arrayContaining([
        { name: "rds.force_ssl", value: "1" },
        { name: "log_min_duration_statement", value: "500" },
      ]),
    );
    expect(db(env).inputs["parameterGroupName"]).toBe(params.state!["name"]);
  });

  test("keeps a secret password and a secret connection URL, also in Secrets Manager", () => {
    expect(db(env).inputs["password"]).toBe("[secret]");
    expect(db(env).secretInputs).toEqual(["password"]);
    const version = resource(r(env), T.secretVersion, "database-url");
    expect(version.inputs["secretString"]).toBe("[secret]");
    expect(resource(r(env), T.secret, "database-url").inputs["kmsKeyId"]).toBe(
      resource(r(env), T.key, "database-key").state!["arn"],
    );
    expect(r(env).outputs["databaseUrl"]).toBe("[secret]");
    expect(r(env).secretOutputs).toContain("databaseUrl");
    expect(renderJson(r(env))).not.toMatch(/postgresql:\/\/[^"[]/);
  });

  test("backs up in a window apart from maintenance; a final snapshot outside previews, none in a preview", () => {
    const inputs = db(env).inputs;
    expect(inputs).toMatchObject({
      backupWindow: "02:00-03:00",
      maintenanceWindow: "sun:04:00-sun:05:00",
      copyTagsToSnapshot: true,
    });
    expect(windowsOverlap(String(inputs["backupWindow"]), String(inputs["maintenanceWindow"]))).toBe(false);
    if (env === "preview") {
      // Disposable: `pulumi destroy` leaves no snapshot or automated backup behind.
      expect(inputs).toMatchObject({
        skipFinalSnapshot: true,
        deleteAutomatedBackups: true,
        deletionProtection: false,
      });
      expect(inputs).not.toHaveProperty("finalSnapshotIdentifier");
      expect(ofType(r(env), T.randomId)).toEqual([]);
      return;
    }
    expect(inputs).toMatchObject({ skipFinalSnapshot: false, deleteAutomatedBackups: false });
    const suffix = resource(r(env), T.randomId, "database-final-snapshot").state!["hex"];
    expect(inputs["finalSnapshotIdentifier"]).toBe(`saas-platform-${env}-database-final-${String(suffix)}`);
  });

  test("upgrades minor versions itself and never a major one", () => {
    expect(db(env).inputs).toMatchObject({ autoMinorVersionUpgrade: true, allowMajorVersionUpgrade: false });
  });

  test("exports its logs to CloudWatch groups with the stack's retention, declared before the instance", () => {
    const retention = { production: 90, staging: 30, preview: 3 }[env];
    const groups = ["postgresql", "upgrade"].map((log) => resource(r(env), T.logGroup, `database-log-${log}`));
    for (const [i, group] of groups.entries()) {
      expect(group.inputs).toEqual(
        expect.objectContaining({
          name: `/aws/rds/instance/${String(db(env).inputs["identifier"])}/${["postgresql", "upgrade"][i]}`,
          retentionInDays: retention,
        }),
      );
      expect(db(env).dependencies).toContain(group.urn);
    }
    expect(db(env).inputs["enabledCloudwatchLogsExports"]).toEqual(["postgresql", "upgrade"]);
  });

  test("has enhanced monitoring through a role only RDS monitoring of this account may assume", () => {
    const role = resource(r(env), T.role, "database-monitoring");
    expect(db(env).inputs).toMatchObject({ monitoringInterval: 60, monitoringRoleArn: role.state!["arn"] });
    expect(JSON.parse(String(role.inputs["assumeRolePolicy"])).Statement[0]).toMatchObject({
      Principal: { Service: "monitoring.rds.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    expect(resource(r(env), T.attachment, "database-monitoring").inputs["policyArn"]).toBe(
      "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    );
  });
});

describe("AWS Backup", () => {
  test.each(["production", "production-large"])(
    "%s keeps daily 7 d, weekly 28 d and monthly 365 d recovery points",
    (env) => {
      const plan = resource(r(env), T.plan, "database-backup");
      const vault = resource(r(env), T.vault, "database-vault");
      const rules = plan.inputs["rules"] as Array<Record<string, unknown>>;
      expect(rules.map((x) => [x["ruleName"], (x["lifecycle"] as { deleteAfter: number }).deleteAfter])).toEqual([
        ["daily", 7],
        ["weekly", 28],
        ["monthly", 365],
      ]);
      expect(rules.map((x) => x["schedule"])).toEqual(BACKUP_RULES.map((x) => x.schedule));
      for (const rule of rules) expect(rule["targetVaultName"]).toBe(vault.state!["name"]);
      expect(vault.inputs["kmsKeyArn"]).toBe(resource(r(env), T.key, "database-key").state!["arn"]);
    },
  );

  test.each(["production", "production-large"])("%s selects the database by ARN with a role for AWS Backup", (env) => {
    const selection = resource(r(env), T.selection, "database-backup");
    expect(selection.inputs["resources"]).toEqual([db(env).state!["arn"]]);
    expect(selection.inputs["planId"]).toBe(resource(r(env), T.plan, "database-backup").id);
    expect(selection.inputs["iamRoleArn"]).toBe(resource(r(env), T.role, "database-backup").state!["arn"]);
    // AWS Backup documents no aws:SourceAccount on AssumeRole: a condition on it would deny every backup job.
    expect(JSON.parse(String(resource(r(env), T.role, "database-backup").inputs["assumeRolePolicy"]))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(ofType(r(env), T.attachment).map((x) => x.inputs["policyArn"])).toEqual(
      expect.arrayContaining([
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
      ]),
    );
  });

  test("production copies every recovery point to a vault in the paired region and retains its vaults", () => {
    const copy = resource(r("production"), T.vault, "database-vault-eu-central-1");
    expect(copy.inputs["region"]).toBe("eu-central-1");
    // A customer key of the copy region (a key cannot leave its region), protected like the vault.
    const copyKey = resource(r("production"), T.key, "database-vault-eu-central-1");
    expect(copyKey.inputs).toMatchObject({ region: "eu-central-1", enableKeyRotation: true });
    expect(copy.inputs["kmsKeyArn"]).toBe(copyKey.state!["arn"]);
    expect(copyKey.options.protect).toBe(true);
    const policy = JSON.parse(String(copyKey.inputs["policy"])) as { Statement: Array<{ Condition?: unknown }> };
    expect(policy.Statement[1]!.Condition).toEqual({
      StringEquals: { "kms:ViaService": ["rds.eu-central-1.amazonaws.com", "backup.eu-central-1.amazonaws.com"] },
    });
    const rules = resource(r("production"), T.plan, "database-backup").inputs["rules"] as Array<
      Record<string, unknown>
    >;
    for (const rule of rules) {
      expect(rule["copyActions"]).toEqual([
        { destinationVaultArn: copy.state!["arn"], lifecycle: rule["lifecycle"] as object },
      ]);
    }
    for (const vault of ofType(r("production"), T.vault)) {
      expect(vault.options).toMatchObject({ protect: true, retainOnDelete: true });
    }
  });

  test("staging (small) and previews rely on RDS's own backups: no plan, no vault; staging large keeps one", async () => {
    for (const env of ["staging", "preview"]) {
      expect(ofType(r(env), T.plan)).toEqual([]);
      expect(ofType(r(env), T.vault)).toEqual([]);
    }
    expect(db("staging").inputs["backupRetentionPeriod"]).toBe(7);
    const large = await synthConfig(variant("staging", { size: "large" }));
    expect(ofType(large, T.vault)).toHaveLength(1);
    const rules = resource(large, T.plan, "database-backup").inputs["rules"] as Array<Record<string, unknown>>;
    for (const rule of rules) expect(rule["copyActions"]).toBeUndefined();
    expect(resource(large, T.vault, "database-vault").options.retainOnDelete).toBeUndefined();
    expect(r("preview").outputs["databaseBackupVault"]).toBeUndefined();
  });
});

describe("the dev database", () => {
  test("is a postgres container on the stack network, on 127.0.0.1, with a random password and pg_isready", () => {
    const container = resource(r("dev"), T.container, "database");
    expect(container.inputs).toMatchObject({
      name: "saas-platform-dev-database",
      envs: ["POSTGRES_DB=app", "POSTGRES_USER=app_admin", "[secret]"],
      networksAdvanced: [{ name: "saas-platform-dev-net", aliases: ["postgres"] }],
      ports: [{ internal: 5432, external: 5432, ip: "127.0.0.1" }],
      wait: true,
    });
    expect(container.inputs["healthcheck"]).toMatchObject({ tests: ["CMD-SHELL", "pg_isready -U app_admin -d app"] });
    const volume = resource(r("dev"), T.volume, "database-data");
    expect(container.inputs["volumes"]).toEqual([
      { containerPath: "/var/lib/postgresql/data", volumeName: volume.state!["name"] },
    ]);
  });

  test("gives the same outputs as the cloud variant", () => {
    expect(r("dev").outputs).toMatchObject({
      databaseHost: "postgres",
      databasePort: 5432,
      databaseName: "app",
      databaseUrl: "[secret]",
    });
  });
});

const program = (args: Partial<Parameters<typeof validateManagedPostgresArgs>[1]>) =>
  recordProgram({ project: "saas-platform", stack: "test", config: {}, secretKeys: [] }, async () => {
    const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "none" });
    new ManagedPostgres("db", { target: "aws", network: network.requireCloud("test"), ...args } as never);
    return {};
  });

const SOURCE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

test("storage autoscaling: off for a preview (no ceiling sent), and at least 10 % above elsewhere", () => {
  // RDS refuses a MaxAllocatedStorage less than 10 % above AllocatedStorage; pr-42 has 20 GiB and no autoscaling.
  expect(db("preview").inputs["allocatedStorage"]).toBe(20);
  expect(db("preview").inputs).not.toHaveProperty("maxAllocatedStorage");
  expect(db("staging").inputs).toMatchObject({ allocatedStorage: 20, maxAllocatedStorage: 100 });
  expect(db("production").inputs).toMatchObject({ allocatedStorage: 20, maxAllocatedStorage: 100 });
  expect(db("production-large").inputs).toMatchObject({ allocatedStorage: 100, maxAllocatedStorage: 500 });
});

describe("restore path", () => {
  test("keeps the source's key, which RDS reports after a restore, so the next update replaces nothing", async () => {
    const result = await program({ restoreFrom: { snapshotIdentifier: "snap-1", kmsKeyArn: SOURCE_KEY } });
    const instance = resource(result, T.instance, "db");
    // kmsKeyId forces a replacement when it differs from the key RDS reports, which after a restore is the source's.
    expect(instance.inputs["kmsKeyId"]).toBe(SOURCE_KEY);
    expect(instance.inputs["performanceInsightsKmsKeyId"]).toBe(SOURCE_KEY);
    expect(resource(result, "aws:secretsmanager/secret:Secret", "db-url").inputs["kmsKeyId"]).toBe(SOURCE_KEY);
    expect(resource(result, "aws:backup/vault:Vault", "db-vault").inputs["kmsKeyArn"]).toBe(SOURCE_KEY);
    // The network's flow-log key is the only one: the database declares none.
    expect(ofType(result, "aws:kms/key:Key").map((k) => k.name)).toEqual(["net-flow-logs"]);
    expect(ofType(result, "aws:kms/alias:Alias")).toEqual([]);
  });

  test("a new database encrypts with a key of its own", async () => {
    const result = await program({});
    const key = resource(result, "aws:kms/key:Key", "db-key");
    expect(resource(result, T.instance, "db").inputs["kmsKeyId"]).toBe(key.state!["arn"]);
  });

  test("a restore without the source's key ARN is refused before anything is declared", () => {
    const check = (kmsKeyArn: unknown) => () =>
      validateManagedPostgresArgs("db", {
        target: "aws",
        network: { azCount: 2 } as never,
        restoreFrom: { snapshotIdentifier: "snap-1", kmsKeyArn } as never,
      });
    expect(check(undefined)).toThrow(
      "restoreFrom.kmsKeyArn must be the ARN of the key the source is encrypted with, such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (a restore keeps it; got undefined)",
    );
    // An alias resolves to the key, but the provider compares the key ARN it reads back: a replacement every time.
    expect(check("arn:aws:kms:eu-west-1:123456789012:alias/saas-platform-production-database")).toThrow(
      "restoreFrom.kmsKeyArn must be the ARN of the key",
    );
    expect(check(SOURCE_KEY)).not.toThrow();
  });

  test("from a snapshot: the instance is created from it, keeping the snapshot's database and user", async () => {
    const result = await program({
      restoreFrom: { snapshotIdentifier: "saas-platform-production-database-final-1a2b3c4d", kmsKeyArn: SOURCE_KEY },
    });
    const instance = resource(result, T.instance, "db");
    expect(instance.inputs["snapshotIdentifier"]).toBe("saas-platform-production-database-final-1a2b3c4d");
    expect(instance.inputs).not.toHaveProperty("dbName");
    expect(instance.inputs).not.toHaveProperty("username");
    expect(instance.inputs["password"]).toBe("[secret]");
  });

  test("to a point in time of another instance, at a given time or the latest", async () => {
    const at = await program({
      restoreFrom: {
        pointInTime: { source: "saas-platform-production-database", time: "2026-11-24T09:30:00Z" },
        kmsKeyArn: SOURCE_KEY,
      },
    });
    expect(resource(at, T.instance, "db").inputs["restoreToPointInTime"]).toEqual({
      sourceDbInstanceIdentifier: "saas-platform-production-database",
      restoreTime: "2026-11-24T09:30:00Z",
    });
    const latest = await program({
      restoreFrom: {
        pointInTime: { source: "saas-platform-production-database", latest: true },
        kmsKeyArn: SOURCE_KEY,
      },
    });
    expect(resource(latest, T.instance, "db").inputs["restoreToPointInTime"]).toEqual({
      sourceDbInstanceIdentifier: "saas-platform-production-database",
      useLatestRestorableTime: true,
    });
  });

  test("a different restore source gets a different final snapshot name", async () => {
    const a = await program({});
    const b = await program({ restoreFrom: { snapshotIdentifier: "snap-1", kmsKeyArn: SOURCE_KEY } });
    expect(resource(a, T.randomId, "db-final-snapshot").inputs["keepers"]).not.toEqual(
      resource(b, T.randomId, "db-final-snapshot").inputs["keepers"],
    );
  });
});

test("consumers listed in allowFrom, and only they, may connect on 5432", async () => {
  const result = await program({ allowFrom: [pulumi.output("sg-0api")] });
  expect(ofType(result, T.ingress).map((x) => x.inputs)).toEqual([
    expect.objectContaining({
      securityGroupId: resource(result, T.sg, "db-sg").id,
      referencedSecurityGroupId: "sg-0api",
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
    }),
  ]);
});

describe("ManagedPostgres args", () => {
  const network = { azCount: 1 } as never;

  test("every problem is reported at once, naming the arg", () => {
    expect(() =>
      validateManagedPostgresArgs("db", {
        target: "aws",
        network,
        allocatedStorageGb: 10,
        backupRetentionDays: 40,
        multiAz: true,
        backupWindow: "04:30-05:30",
        restoreFrom: {
          snapshotIdentifier: "snap-1",
          pointInTime: { source: "db", latest: true },
          kmsKeyArn: SOURCE_KEY,
        } as never,
      }),
    ).toThrow(
      [
        'ManagedPostgres "db" has invalid args:',
        "  - allocatedStorageGb must be an integer from 20 to 65536 (got 10)",
        "  - backupRetentionDays must be an integer from 1 to 35 (got 40)",
        "  - multiAz needs a network over at least 2 AZs (got 1)",
        '  - backupWindow "04:30-05:30" overlaps maintenanceWindow "sun:04:00-sun:05:00"; move one of them',
        "  - restoreFrom must give one source: snapshotIdentifier or pointInTime, not both",
      ].join("\n"),
    );
  });

  test("a point in time needs exactly one of a UTC time and latest", () => {
    const check = (pointInTime: object) => () =>
      validateManagedPostgresArgs("db", { target: "aws", network, restoreFrom: { pointInTime } as never });
    expect(check({ source: "db" })).toThrow("restoreFrom.pointInTime must give exactly one of time and latest: true");
    expect(check({ source: "db", time: "yesterday" })).toThrow(
      'restoreFrom.pointInTime.time must be a UTC time such as 2026-11-24T09:30:00Z (got "yesterday")',
    );
    expect(check({ source: "", latest: true })).toThrow(
      "restoreFrom.pointInTime.source must name the instance whose backups to restore",
    );
  });

  test("a storage ceiling below the storage, a reserved user and a copy without a plan are refused", () => {
    expect(() =>
      validateManagedPostgresArgs("db", {
        target: "aws",
        network: { azCount: 2 } as never,
        allocatedStorageGb: 100,
        maxAllocatedStorageGb: 50,
        username: "postgres",
        backup: { enabled: false, copyToRegion: "eu-central-1" },
      }),
    ).toThrow(
      [
        'ManagedPostgres "db" has invalid args:',
        "  - maxAllocatedStorageGb must equal the allocated storage (100) to turn storage autoscaling off, or be at least 110: RDS refuses a ceiling less than 10 % above the allocation (got 50)",
        '  - username "postgres" is kept for RDS or the engine (admin, postgres, rdsadmin, and names starting with pg_ or rds): choose the app\'s own name',
        "  - backup.copyToRegion needs backup.enabled: the copies are made by the backup plan",
      ].join("\n"),
    );
  });

  test("a disposable database (no final snapshot) cannot also be protected", () => {
    expect(() =>
      validateManagedPostgresArgs("db", { target: "aws", network, protect: true, finalSnapshot: false }),
    ).toThrow(
      [
        'ManagedPostgres "db" has invalid args:',
        "  - finalSnapshot: false is for disposable databases and cannot be combined with protect: true",
      ].join("\n"),
    );
  });

  test("invalid args declare nothing of the database, not even its component", async () => {
    const error = await program({ backupRetentionDays: 0 }).then(
      () => undefined,
      (e: { message: string; declared: Array<{ urn: string }> }) => e,
    );
    expect(error?.message).toContain("backupRetentionDays must be an integer from 1 to 35 (got 0)");
    expect(error?.declared.length).toBeGreaterThan(0);
    expect(error?.declared.filter((x) => x.urn.includes("ManagedPostgres"))).toEqual([]);
  });
});

test("a transform can set options on the instance, e.g. to ignore the restore inputs after a restore", async () => {
  const result = await program({
    restoreFrom: { snapshotIdentifier: "snap-1", kmsKeyArn: SOURCE_KEY },
    transform: {
      instance: (_args: unknown, opts: { ignoreChanges?: string[] }) => {
        opts.ignoreChanges = ["snapshotIdentifier", "restoreToPointInTime"];
      },
    },
  });
  expect(resource(result, T.instance, "db").options.ignoreChanges).toEqual([
    "restoreToPointInTime",
    "snapshotIdentifier",
  ]);
});

describe("ManagedPostgres from plain args", () => {
  const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
  /**
   * The component alone on a minimal network. Its outputs come back as stack outputs; `plainUrl` is the URL with its
   * secret mark taken off, so the test can read its shape (the records never hold a secret value).
   */
  const build = (args: Partial<Omit<AwsPostgresArgs, "target" | "network">> = {}) =>
    recordProgram(STACK, async () => {
      const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "none" });
      const db = new ManagedPostgres("db", { target: "aws", network: network.requireCloud("test"), ...args });
      return {
        host: db.host,
        port: db.port,
        databaseName: db.databaseName,
        url: db.url,
        plainUrl: pulumi.unsecret(db.url),
        urlIsSecret: pulumi.output(pulumi.isSecret(db.url)),
        ...db.cloud,
        // Undefined when there is no backup plan: null keeps it in the outputs (the SDK drops undefined with a warning).
        backupVaultName: db.cloud.backupVaultName ?? null,
        privateSubnetIds: network.requireCloud("test").privateSubnetIds,
      };
    });
  let defaults: SynthResult;
  beforeAll(async () => {
    defaults = await build();
  });
  const instance = () => resource(defaults, T.instance, "db");
  const key = () => resource(defaults, T.key, "db-key");

  test("awsPostgresDefaults fills every omitted arg", () => {
    const network = { azCount: 2 } as never;
    expect(awsPostgresDefaults({ target: "aws", network })).toEqual({
      target: "aws",
      network,
      allowFrom: [],
      instanceClass: "db.t4g.small",
      engineVersion: "17",
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 100,
      backupRetentionDays: 7,
      multiAz: false,
      databaseName: "app",
      username: "app_admin",
      backupWindow: "02:00-03:00",
      maintenanceWindow: "sun:04:00-sun:05:00",
      slowStatementMs: 500,
      logRetentionDays: 30,
      applyImmediately: false,
      protect: false,
      finalSnapshot: true,
      backup: { enabled: true },
      tags: {},
    });
  });

  test("sizing omitted: db.t4g.small, 20 GiB of gp3 autoscaling to 100 GiB, a single AZ", () => {
    expect(instance().inputs).toMatchObject({
      instanceClass: "db.t4g.small",
      storageType: "gp3",
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      multiAz: false,
    });
    expect(defaults.outputs["sizing"]).toEqual({ instanceClass: "db.t4g.small", allocatedStorageGb: 20 });
  });

  test("engineVersion omitted: PostgreSQL 17, its parameter family, minor upgrades only", () => {
    expect(instance().inputs).toMatchObject({
      engine: "postgres",
      engineVersion: "17",
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
    });
    expect(resource(defaults, T.params, "db-params").inputs["family"]).toBe("postgres17");
  });

  test("backups omitted: 7 days of point-in-time recovery in 02:00–03:00, maintenance Sunday 04:00–05:00, changes wait for it", () => {
    expect(instance().inputs).toMatchObject({
      backupRetentionPeriod: 7,
      backupWindow: "02:00-03:00",
      maintenanceWindow: "sun:04:00-sun:05:00",
      applyImmediately: false,
      copyTagsToSnapshot: true,
    });
  });

  test("protect omitted: no deletion protection, no Pulumi protect on the instance, its key or its vault, and the vault is not retained", () => {
    expect(instance().inputs["deletionProtection"]).toBe(false);
    for (const x of [instance(), key(), resource(defaults, T.vault, "db-vault")]) {
      expect(x.options.protect ?? false).toBe(false);
      expect(x.options.retainOnDelete ?? false).toBe(false);
    }
  });

  test("finalSnapshot omitted: a final snapshot under a name unique to the instance, automated backups kept", () => {
    const suffix = resource(defaults, T.randomId, "db-final-snapshot");
    expect(suffix.inputs).toMatchObject({ byteLength: 4, keepers: { identifier: "saas-platform-test-db" } });
    expect(instance().inputs).toMatchObject({
      skipFinalSnapshot: false,
      deleteAutomatedBackups: false,
      finalSnapshotIdentifier: `saas-platform-test-db-final-${String(suffix.state!["hex"])}`,
    });
  });

  test("backup omitted: the AWS Backup plan is on (daily 7 d, weekly 28 d, monthly 365 d) in an encrypted vault, with no copy region", () => {
    const vault = resource(defaults, T.vault, "db-vault");
    expect(vault.inputs["kmsKeyArn"]).toBe(key().state!["arn"]);
    expect(ofType(defaults, T.vault)).toHaveLength(1);
    const rules = resource(defaults, T.plan, "db-backup").inputs["rules"] as Array<Record<string, unknown>>;
    expect(rules).toEqual(
      BACKUP_RULES.map((rule) => ({
        ruleName: rule.ruleName,
        targetVaultName: vault.state!["name"],
        schedule: rule.schedule,
        startWindow: 60,
        completionWindow: 1440,
        lifecycle: { deleteAfter: rule.deleteAfterDays },
        recoveryPointTags: { BackupRule: rule.ruleName },
      })),
    );
    expect(rules.map((x) => (x["lifecycle"] as { deleteAfter: number }).deleteAfter)).toEqual([7, 28, 365]);
    expect(resource(defaults, T.selection, "db-backup").inputs).toEqual({
      name: "db-database",
      planId: resource(defaults, T.plan, "db-backup").id,
      iamRoleArn: resource(defaults, T.role, "db-backup").state!["arn"],
      resources: [instance().state!["arn"]],
    });
    expect(defaults.outputs["backupVaultName"]).toBe(vault.state!["name"]);
  });

  test("the Backup role trusts backup.amazonaws.com alone (no condition AWS Backup would not meet) and has the two managed policies", () => {
    expect(JSON.parse(String(resource(defaults, T.role, "db-backup").inputs["assumeRolePolicy"]))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const role = resource(defaults, T.role, "db-backup");
    expect(
      ofType(defaults, T.attachment)
        .filter((x) => x.name.startsWith("db-backup-"))
        .map((x) => [x.inputs["role"], x.inputs["policyArn"]]),
    ).toEqual([
      [role.state!["name"], "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"],
      [role.state!["name"], "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"],
    ]);
  });

  test("backup { enabled: false } drops the plan, vault, role and selection; the instance's own backups stay", async () => {
    const result = await build({ backup: { enabled: false } });
    for (const type of [T.vault, T.plan, T.selection]) expect(ofType(result, type)).toEqual([]);
    expect(ofType(result, T.role).map((x) => x.name)).toEqual(["db-monitoring", "net-flow-logs"]);
    expect(resource(result, T.instance, "db").inputs["backupRetentionPeriod"]).toBe(7);
    expect(result.outputs["backupVaultName"]).toBeNull();
  });

  test("monitoring omitted: Database Insights (standard) with Performance Insights under the database's key for 7 days, enhanced monitoring every 60 s", () => {
    const role = resource(defaults, T.role, "db-monitoring");
    expect(instance().inputs).toMatchObject({
      databaseInsightsMode: "standard",
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: key().state!["arn"],
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: 60,
      monitoringRoleArn: role.state!["arn"],
    });
    expect(JSON.parse(String(role.inputs["assumeRolePolicy"])).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "monitoring.rds.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
  });

  test("logs omitted: postgresql and upgrade logs exported to groups kept 30 days under CloudWatch's own key, declared first", () => {
    expect(instance().inputs["enabledCloudwatchLogsExports"]).toEqual(["postgresql", "upgrade"]);
    for (const log of ["postgresql", "upgrade"]) {
      const group = resource(defaults, T.logGroup, `db-log-${log}`);
      expect(group.inputs).toEqual({
        name: `/aws/rds/instance/saas-platform-test-db/${log}`,
        retentionInDays: 30,
        tags: {},
      });
      expect(instance().dependencies).toContain(group.urn);
    }
    const withKey = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    return build({ logsKmsKeyArn: withKey, logRetentionDays: 90 }).then((result) => {
      expect(resource(result, T.logGroup, "db-log-postgresql").inputs).toMatchObject({
        kmsKeyId: withKey,
        retentionInDays: 90,
      });
    });
  });

  test("the parameter group forces TLS, logs statements slower than 500 ms and lock waits, loads pg_stat_statements", () => {
    const params = resource(defaults, T.params, "db-params");
    expect(params.inputs["parameters"]).toEqual([
      { name: "rds.force_ssl", value: "1" },
      { name: "log_min_duration_statement", value: "500" },
      { name: "log_lock_waits", value: "1" },
      { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
    ]);
    expect(instance().inputs["parameterGroupName"]).toBe(params.state!["name"]);
    expect(instance().inputs["caCertIdentifier"]).toBe("rds-ca-rsa2048-g1");
  });

  test('databaseName and username omitted: database "app" owned by "app_admin", with IAM authentication on', () => {
    expect(instance().inputs).toMatchObject({
      dbName: "app",
      username: "app_admin",
      iamDatabaseAuthenticationEnabled: true,
      port: 5432,
    });
    expect(defaults.outputs).toMatchObject({
      databaseName: "app",
      iamAuth: { resourceId: instance().state!["resourceId"], adminUsername: "app_admin", user: "app_iam" },
    });
  });

  test("the DATABASE_URL: user, password, the instance's address, 5432, the database, sslmode=require; secret everywhere", () => {
    const password = resource(defaults, "random:index/randomPassword:RandomPassword", "db-password");
    expect(password.inputs).toMatchObject({ length: 40, special: false });
    const address = String(instance().state!["address"]);
    expect(defaults.outputs["plainUrl"]).toMatch(
      new RegExp(
        `^postgresql://app_admin:[A-Za-z0-9]{40}@${address.replace(/\./g, "\\.")}:5432/app\\?sslmode=require$`,
      ),
    );
    expect(defaults.outputs["urlIsSecret"]).toBe(true);
    expect(defaults.outputs["url"]).toBe("[secret]");
    expect(defaults.secretOutputs).toContain("url");
    expect(instance().secretInputs).toEqual(["password"]);
    const version = resource(defaults, T.secretVersion, "db-url");
    expect(version.secretInputs).toEqual(["secretString"]);
    expect(version.inputs["secretId"]).toBe(resource(defaults, T.secret, "db-url").id);
    // Consumers get the version's ARN: it resolves only once the secret has its value.
    expect(defaults.outputs["secretArn"]).toBe(version.state!["arn"]);
    expect(defaults.outputs).toMatchObject({ host: address, port: 5432 });
  });

  test("a custom database name and user reach the instance and the URL", async () => {
    const result = await build({ databaseName: "shop", username: "shop_owner" });
    expect(resource(result, T.instance, "db").inputs).toMatchObject({ dbName: "shop", username: "shop_owner" });
    expect(String(result.outputs["plainUrl"])).toMatch(
      /^postgresql:\/\/shop_owner:[A-Za-z0-9]{40}@.*:5432\/shop\?sslmode=require$/,
    );
  });

  test("encrypted under its own rotating key (storage, URL secret, vault), only through the data services of this region", () => {
    expect(key().inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    const arn = key().state!["arn"];
    expect(instance().inputs).toMatchObject({ storageEncrypted: true, kmsKeyId: arn });
    expect(resource(defaults, T.secret, "db-url").inputs).toMatchObject({ kmsKeyId: arn, recoveryWindowInDays: 7 });
    expect(defaults.outputs["kmsKeyArn"]).toBe(arn);
    const policy = JSON.parse(String(key().inputs["policy"])) as { Statement: Array<Record<string, unknown>> };
    expect(policy.Statement[1]!["Condition"]).toEqual({
      StringEquals: {
        "kms:ViaService": [
          "rds.eu-west-1.amazonaws.com",
          "secretsmanager.eu-west-1.amazonaws.com",
          "elasticache.eu-west-1.amazonaws.com",
          "backup.eu-west-1.amazonaws.com",
        ],
      },
    });
    expect(resource(defaults, "aws:kms/alias:Alias", "db-key").inputs).toEqual({
      name: "alias/saas-platform-test-db",
      targetKeyId: key().state!["keyId"],
    });
  });

  test("allowFrom omitted: private, in the private subnets, behind a security group with no way in", () => {
    expect(instance().inputs["publiclyAccessible"]).toBe(false);
    const sg = resource(defaults, T.sg, "db-sg");
    expect(instance().inputs["vpcSecurityGroupIds"]).toEqual([sg.id]);
    expect(sg.inputs).not.toHaveProperty("ingress");
    expect(ofType(defaults, T.ingress)).toEqual([]);
    const subnets = resource(defaults, T.subnets, "db-subnets");
    expect(subnets.inputs["subnetIds"]).toEqual(defaults.outputs["privateSubnetIds"]);
    expect(instance().inputs["dbSubnetGroupName"]).toBe(subnets.state!["name"]);
    expect(defaults.outputs["securityGroupId"]).toBe(sg.id);
  });

  test("allowFrom and the allowFrom method admit exactly the given groups on 5432, never a CIDR", async () => {
    const result = await recordProgram(STACK, async () => {
      const network = new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "none" });
      const db = new ManagedPostgres("db", {
        target: "aws",
        network: network.requireCloud("test"),
        allowFrom: ["sg-0worker"],
      });
      db.allowFrom("api", "sg-0api");
      return {};
    });
    const sg = resource(result, T.sg, "db-sg");
    const rule = (source: string, description: string) => ({
      securityGroupId: sg.id,
      referencedSecurityGroupId: source,
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      description,
    });
    expect(resource(result, T.ingress, "db-from-1").inputs).toEqual(rule("sg-0worker", "PostgreSQL from consumer 1"));
    expect(resource(result, T.ingress, "db-from-api").inputs).toEqual(rule("sg-0api", "PostgreSQL from api"));
    expect(ofType(result, T.ingress)).toHaveLength(2);
  });

  test("tags omitted: children carry none of their own (the provider's defaultTags apply); given tags reach them", async () => {
    expect(instance().inputs["tags"]).toEqual({});
    const result = await build({ tags: { CostCentre: "data" } });
    const mine = result.resources.filter((x) => x.custom && x.name.startsWith("db") && "tags" in x.inputs);
    expect(mine.map((x) => x.name).sort()).toEqual(
      [
        "db",
        "db-backup",
        "db-backup",
        "db-key",
        "db-log-postgresql",
        "db-log-upgrade",
        "db-monitoring",
        "db-params",
        "db-sg",
        "db-subnets",
        "db-url",
        "db-vault",
      ].sort(),
    );
    for (const x of mine) expect(x.inputs["tags"]).toMatchObject({ CostCentre: "data" });
  });

  test("every other problem with the args at once, each naming the arg and the value", () => {
    expect(() =>
      validateManagedPostgresArgs("db", {
        target: "aws",
        network: { azCount: 2 } as never,
        maxAllocatedStorageGb: 70000,
        instanceClass: "t4g.small",
        engineVersion: "latest",
        databaseName: "My-App",
        logRetentionDays: 10,
        maintenanceWindow: "sunday 4am",
        backup: { enabled: true, copyToRegion: "europe" },
      }),
    ).toThrow(
      [
        'ManagedPostgres "db" has invalid args:',
        "  - maxAllocatedStorageGb must be an integer from 20 to 65536 (got 70000)",
        '  - instanceClass must be an RDS instance class such as db.t4g.small (got "t4g.small")',
        '  - engineVersion must be a PostgreSQL major or major.minor such as "17" (got "latest")',
        '  - databaseName must be lowercase letters, digits or _ starting with a letter (got "My-App")',
        "  - logRetentionDays must be a period CloudWatch accepts (got 10)",
        '  - maintenanceWindow must be "ddd:hh:mm-ddd:hh:mm" in UTC (got "sunday 4am")',
        '  - backup.copyToRegion must be an AWS region code such as eu-central-1 (got "europe")',
      ].join("\n"),
    );
  });

  test("the Docker variant's defaults: postgres:17-alpine, database app, user app_admin, 127.0.0.1:5432, a URL without TLS", async () => {
    const result = await recordProgram(STACK, async () => {
      const network = new Network("net", { target: "docker", networkName: "acme-dev" });
      const db = new ManagedPostgres("db", { target: "docker", network: network.requireLocal("test") });
      return { plainUrl: pulumi.unsecret(db.url), host: db.host, port: db.port, databaseName: db.databaseName };
    });
    expect(resource(result, "docker:index/remoteImage:RemoteImage", "db-image").inputs).toMatchObject({
      name: "postgres:17-alpine",
      keepLocally: true,
    });
    const container = resource(result, T.container, "db");
    expect(container.inputs).toMatchObject({
      envs: ["POSTGRES_DB=app", "POSTGRES_USER=app_admin", "[secret]"],
      ports: [{ internal: 5432, external: 5432, ip: "127.0.0.1" }],
      networksAdvanced: [{ name: "acme-dev", aliases: ["postgres"] }],
    });
    expect(container.secretInputs).toEqual(["envs.2"]);
    expect(result.outputs).toMatchObject({ host: "postgres", port: 5432, databaseName: "app" });
    expect(result.outputs["plainUrl"]).toMatch(
      /^postgresql:\/\/app_admin:[A-Za-z0-9]{32}@postgres:5432\/app\?sslmode=disable$/,
    );
    expect(() => validateManagedPostgresArgs("db", { target: "docker", network: {} as never, hostPort: 0 })).toThrow(
      'ManagedPostgres "db" has invalid args:\n  - hostPort must be a port from 1 to 65535 (got 0)',
    );
  });
});
