import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { namingScope, physicalName } from "../naming";
import type { AwsNetworkOutputs } from "../network";
import { admitConsumer } from "../consumers";
import { KEY_ADMINISTRATION, plainServiceTrustPolicy, serviceTrustPolicy, viaService } from "../iam";
import { transform, type Transform } from "../transform";
import { storeUrlSecret } from "../url-secret";
import type { DatabaseOutputs, RestoreSource } from "./outputs";
import { storageAutoscaling } from "./storage";

export const POSTGRES_PORT = 5432;

/** The product's retention policy for AWS Backup, beyond what RDS's automated backups (≤ 35 days) keep. */
export const BACKUP_RULES = [
  { ruleName: "daily", schedule: "cron(30 5 * * ? *)", deleteAfterDays: 7 },
  { ruleName: "weekly", schedule: "cron(30 5 ? * SUN *)", deleteAfterDays: 28 },
  { ruleName: "monthly", schedule: "cron(30 5 1 * ? *)", deleteAfterDays: 365 },
] as const;

/** Arguments of the AWS variant of {@link ManagedPostgres}: RDS for PostgreSQL. */
export interface AwsPostgresArgs {
  readonly target: "aws";
  /** The VPC: the database goes into its private subnets. */
  readonly network: AwsNetworkOutputs;
  /**
   * Security groups of the services that may connect (port 5432). Nothing else can, not even the VPC's own range.
   * @default [] - nobody until a consumer is added
   */
  readonly allowFrom?: readonly pulumi.Input<string>[];
  /** @default "db.t4g.small" */
  readonly instanceClass?: string;
  /** PostgreSQL major (minor upgrades are automatic) or major.minor. @default "17" */
  readonly engineVersion?: string;
  /** @default 20 */
  readonly allocatedStorageGb?: number;
  /**
   * Storage autoscaling ceiling (gp3). Equal to `allocatedStorageGb` turns autoscaling off (the ceiling is then not
   * sent: RDS refuses one that is not at least 10 % above the allocation, see `storageAutoscalingProblem`).
   * @default 100
   */
  readonly maxAllocatedStorageGb?: number;
  /** RDS automated backups and point-in-time recovery window, 1 to 35 days. @default 7 */
  readonly backupRetentionDays?: number;
  /** A standby in another AZ with automatic failover. @default false */
  readonly multiAz?: boolean;
  /**
   * The database created at launch: 1 to 63 lowercase letters, digits or _, a letter first, not a PostgreSQL reserved
   * word. @default "app"
   */
  readonly databaseName?: string;
  /**
   * The master user: 1 to 16 lowercase letters, digits or _ (RDS's limit), not a PostgreSQL reserved word, not
   * admin, postgres, a name starting with pg_ or rds, or the IAM user `app_iam`. @default "app_admin"
   */
  readonly username?: string;
  /** Daily, UTC; must not overlap the maintenance window. @default "02:00-03:00" */
  readonly backupWindow?: string;
  /** Weekly, UTC. @default "sun:04:00-sun:05:00" */
  readonly maintenanceWindow?: string;
  /** Statements slower than this are logged (`log_min_duration_statement`). @default 500 */
  readonly slowStatementMs?: number;
  /** A KMS key CloudWatch Logs may use (the stack's logs key) for the exported logs. @default - CloudWatch's own */
  readonly logsKmsKeyArn?: pulumi.Input<string>;
  /** Days CloudWatch keeps the exported PostgreSQL logs. @default 30 */
  readonly logRetentionDays?: number;
  /** Apply changes now instead of in the maintenance window. @default false */
  readonly applyImmediately?: boolean;
  /** Pulumi `protect` and RDS deletion protection on the instance, key and vault; the vault is retained. @default false */
  readonly protect?: boolean;
  /**
   * Take a final snapshot when the instance is deleted. `false` is for disposable databases only (PR previews): the
   * instance and its automated backups are gone with the stack. Not allowed with `protect`.
   * @default true
   */
  readonly finalSnapshot?: boolean;
  /**
   * AWS Backup plan with the product's retention (daily 7 d, weekly 4 w, monthly 12 m).
   * `copyToRegion` also copies each recovery point to a vault in that region for disaster recovery.
   * @default { enabled: true }
   */
  readonly backup?: { readonly enabled: boolean; readonly copyToRegion?: string };
  /** Create the database from a snapshot or a point in time instead of empty. See docs/runbooks/restore-database.md. */
  readonly restoreFrom?: RestoreSource;
  readonly tags?: Readonly<Record<string, string>>;
  readonly transform?: {
    readonly instance?: Transform<aws.rds.InstanceArgs>;
    readonly parameterGroup?: Transform<aws.rds.ParameterGroupArgs>;
    readonly subnetGroup?: Transform<aws.rds.SubnetGroupArgs>;
    readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    readonly kmsKey?: Transform<aws.kms.KeyArgs>;
    readonly password?: Transform<random.RandomPasswordArgs>;
    readonly secret?: Transform<aws.secretsmanager.SecretArgs>;
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    readonly backupVault?: Transform<aws.backup.VaultArgs>;
    readonly backupPlan?: Transform<aws.backup.PlanArgs>;
    readonly backupSelection?: Transform<aws.backup.SelectionArgs>;
    readonly backupRole?: Transform<aws.iam.RoleArgs>;
    readonly monitoringRole?: Transform<aws.iam.RoleArgs>;
    readonly ingressRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
    readonly secretVersion?: Transform<aws.secretsmanager.SecretVersionArgs>;
  };
}

export type ResolvedAwsPostgresArgs = Required<Omit<AwsPostgresArgs, "transform" | "restoreFrom" | "logsKmsKeyArn">> &
  Pick<AwsPostgresArgs, "transform" | "restoreFrom" | "logsKmsKeyArn">;

/** Fills the defaults of {@link AwsPostgresArgs}. Pure. */
export function awsPostgresDefaults(args: AwsPostgresArgs): ResolvedAwsPostgresArgs {
  return {
    ...args,
    allowFrom: args.allowFrom ?? [],
    instanceClass: args.instanceClass ?? "db.t4g.small",
    engineVersion: args.engineVersion ?? "17",
    allocatedStorageGb: args.allocatedStorageGb ?? 20,
    maxAllocatedStorageGb: args.maxAllocatedStorageGb ?? 100,
    backupRetentionDays: args.backupRetentionDays ?? 7,
    multiAz: args.multiAz ?? false,
    databaseName: args.databaseName ?? "app",
    username: args.username ?? "app_admin",
    backupWindow: args.backupWindow ?? "02:00-03:00",
    maintenanceWindow: args.maintenanceWindow ?? "sun:04:00-sun:05:00",
    slowStatementMs: args.slowStatementMs ?? 500,
    logRetentionDays: args.logRetentionDays ?? 30,
    applyImmediately: args.applyImmediately ?? false,
    protect: args.protect ?? false,
    finalSnapshot: args.finalSnapshot ?? true,
    backup: args.backup ?? { enabled: true },
    tags: args.tags ?? {},
  };
}

/** The parameter group family of a PostgreSQL version, e.g. `postgres17`. */
export const postgresFamily = (version: string): string => `postgres${version.split(".")[0] ?? version}`;

export interface AwsPostgresOutputs extends DatabaseOutputs {
  readonly securityGroupId: pulumi.Output<string>;
  /**
   * Secrets Manager secret holding the connection URL (for ECS task `secrets`). Resolves once the secret has its
   * value, so a consumer of this ARN waits for the value, not only for the empty secret.
   */
  readonly secretArn: pulumi.Output<string>;
  readonly instanceArn: pulumi.Output<string>;
  readonly instanceIdentifier: pulumi.Output<string>;
  /** RDS's resource id (`db-…`), which IAM database authentication names in `rds-db:connect` ARNs. */
  readonly resourceId: pulumi.Output<string>;
  /** The master user (owner of what migrations create). */
  readonly adminUsername: pulumi.Output<string>;
  readonly backupVaultName: pulumi.Output<string> | undefined;
  /** The key encrypting storage and the URL secret (readers of the secret need `kms:Decrypt` on it). */
  readonly kmsKeyArn: pulumi.Output<string>;
}

export function createAwsPostgres(
  name: string,
  args: ResolvedAwsPostgresArgs,
  parent: pulumi.ComponentResource,
): AwsPostgresOutputs {
  const t = args.transform ?? {};
  const opts: pulumi.CustomResourceOptions = { parent };
  const stateful: pulumi.CustomResourceOptions = { parent, protect: args.protect };
  const scope = namingScope();
  const identifier = physicalName(scope, name, "rdsInstance");
  const tags = { ...args.tags };
  const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;

  // One customer-managed key for storage, Performance Insights and the secret: access to data is an IAM decision
  // on this key, and the key outlives a deleted instance for its deletion window. A restored database keeps its
  // source's key (RDS cannot re-encrypt on restore) and uses it for everything else too.
  const keyArn =
    args.restoreFrom === undefined
      ? ownKey({ name, args, identifier, tags, parent }).arn
      : pulumi.output(args.restoreFrom.kmsKeyArn);

  // A random password (not the RDS-managed secret) so that one secret holds a complete DATABASE_URL that ECS can
  // inject as is, with the same shape as in dev. The price: the password is in Pulumi state, encrypted by the
  // stack's secrets provider; rotate it as in docs/runbooks/rotate-secrets.md.
  const password = new random.RandomPassword(
    ...transform(t.password, `${name}-password`, { length: 40, special: false }, { ...opts }),
  );
  const secretPassword = pulumi.secret(password.result);

  const securityGroup = new aws.ec2.SecurityGroup(
    ...transform(
      t.securityGroup,
      `${name}-sg`,
      {
        vpcId: args.network.vpcId,
        description: `${name}: PostgreSQL on ${POSTGRES_PORT}, only from its consumers`,
        tags: { ...tags, Name: physicalName(scope, `${name}-sg`) },
      },
      { ...opts },
    ),
  );
  args.allowFrom.forEach((source, i) =>
    admitConsumer(
      `${name}-from-${i + 1}`,
      {
        securityGroupId: securityGroup.id,
        source,
        port: POSTGRES_PORT,
        description: `PostgreSQL from consumer ${i + 1}`,
      },
      { ...opts },
      t.ingressRule,
    ),
  );

  const subnetGroup = new aws.rds.SubnetGroup(
    ...transform(
      t.subnetGroup,
      `${name}-subnets`,
      { description: `${identifier}: private subnets`, subnetIds: args.network.privateSubnetIds, tags },
      { ...opts },
    ),
  );

  const parameterGroup = new aws.rds.ParameterGroup(
    ...transform(
      t.parameterGroup,
      `${name}-params`,
      {
        family: postgresFamily(args.engineVersion),
        description: `${identifier}: TLS only, slow statement log`,
        parameters: [
          { name: "rds.force_ssl", value: "1" },
          { name: "log_min_duration_statement", value: String(args.slowStatementMs) },
          { name: "log_lock_waits", value: "1" },
          { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
        ],
        tags,
      },
      { ...opts },
    ),
  );

  // RDS creates these groups on first export with no retention; declaring them first sets the retention.
  const logGroups = ["postgresql", "upgrade"].map(
    (log) =>
      new aws.cloudwatch.LogGroup(
        ...transform(
          t.logGroup,
          `${name}-log-${log}`,
          {
            name: `/aws/rds/instance/${identifier}/${log}`,
            retentionInDays: args.logRetentionDays,
            ...(args.logsKmsKeyArn === undefined ? {} : { kmsKeyId: args.logsKmsKeyArn }),
            tags,
          },
          { ...opts },
        ),
      ),
  );

  const monitoringRole = new aws.iam.Role(
    ...transform(
      t.monitoringRole,
      `${name}-monitoring`,
      {
        description: `Lets RDS enhanced monitoring of ${identifier} publish OS metrics`,
        assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com", accountId),
        tags,
      },
      { ...opts },
    ),
  );
  new aws.iam.RolePolicyAttachment(
    `${name}-monitoring`,
    {
      role: monitoringRole.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    },
    { ...opts },
  );

  // The final snapshot gets a name unique to this instance (a fixed name would collide the second time an instance
  // of the same name is deleted). A disposable database takes none and keeps no automated backups.
  const finalSnapshotSuffix = args.finalSnapshot
    ? new random.RandomId(
        `${name}-final-snapshot`,
        { byteLength: 4, keepers: { identifier, restoreFrom: JSON.stringify(args.restoreFrom ?? null) } },
        { ...opts },
      )
    : undefined;

  const restore = restoreInputs(args.restoreFrom);
  const instance = new aws.rds.Instance(
    ...transform(
      t.instance,
      `${name}`,
      {
        identifier,
        engine: "postgres",
        engineVersion: args.engineVersion,
        instanceClass: args.instanceClass,
        ...(restore.fromBackup ? {} : { dbName: args.databaseName, username: args.username }),
        password: secretPassword,
        port: POSTGRES_PORT,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [securityGroup.id],
        parameterGroupName: parameterGroup.name,
        publiclyAccessible: false,
        storageType: "gp3",
        allocatedStorage: args.allocatedStorageGb,
        ...(storageAutoscaling(args) ? { maxAllocatedStorage: args.maxAllocatedStorageGb } : {}),
        storageEncrypted: true,
        kmsKeyId: keyArn,
        multiAz: args.multiAz,
        backupRetentionPeriod: args.backupRetentionDays,
        backupWindow: args.backupWindow,
        maintenanceWindow: args.maintenanceWindow,
        copyTagsToSnapshot: true,
        ...(finalSnapshotSuffix === undefined
          ? { deleteAutomatedBackups: true, skipFinalSnapshot: true }
          : {
              deleteAutomatedBackups: false,
              skipFinalSnapshot: false,
              finalSnapshotIdentifier: pulumi.interpolate`${identifier}-final-${finalSnapshotSuffix.hex}`,
            }),
        deletionProtection: args.protect,
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        applyImmediately: args.applyImmediately,
        // Performance Insights' console ended in 2026; its data now shows in CloudWatch Database Insights (standard
        // mode keeps 7 days at no extra cost).
        databaseInsightsMode: "standard",
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: keyArn,
        performanceInsightsRetentionPeriod: 7,
        monitoringInterval: 60,
        monitoringRoleArn: monitoringRole.arn,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        iamDatabaseAuthenticationEnabled: true,
        caCertIdentifier: "rds-ca-rsa2048-g1",
        ...restore.inputs,
        tags,
      },
      { ...stateful, dependsOn: logGroups },
    ),
  );

  const host = instance.address;
  const databaseName = pulumi.output(restore.fromBackup ? instance.dbName : args.databaseName);
  const username = restore.fromBackup ? instance.username : pulumi.output(args.username);
  const url = pulumi.secret(
    pulumi.interpolate`postgresql://${username}:${secretPassword}@${host}:${POSTGRES_PORT}/${databaseName}?sslmode=require`,
  );

  const secret = storeUrlSecret(
    `${name}-url`,
    { description: `${identifier}: connection URL (DATABASE_URL) with its password`, url, kmsKeyId: keyArn, tags },
    { ...opts },
    t,
  );

  const backupVaultName = args.backup.enabled ? createBackupPlan({ name, args, instance, keyArn, parent }) : undefined;

  return {
    host,
    port: pulumi.output(POSTGRES_PORT),
    databaseName,
    url,
    securityGroupId: securityGroup.id,
    secretArn: secret.readyArn,
    instanceArn: instance.arn,
    instanceIdentifier: instance.identifier,
    resourceId: instance.resourceId,
    adminUsername: username,
    backupVaultName,
    kmsKeyArn: keyArn,
  };
}

/** The database's own key, with an alias named after the instance. */
function ownKey({
  name,
  args,
  identifier,
  tags,
  parent,
}: {
  readonly name: string;
  readonly args: ResolvedAwsPostgresArgs;
  /** The instance's physical name, which the alias repeats. */
  readonly identifier: string;
  readonly tags: Record<string, string>;
  readonly parent: pulumi.ComponentResource;
}): aws.kms.Key {
  const key = new aws.kms.Key(
    ...transform(
      args.transform?.kmsKey,
      `${name}-key`,
      {
        description: `${identifier}: RDS storage, Performance Insights and secrets`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: dataKeyPolicy(parent),
        tags,
      },
      { parent, protect: args.protect },
    ),
  );
  new aws.kms.Alias(`${name}-key`, { name: `alias/${identifier}`, targetKeyId: key.keyId }, { parent });
  return key;
}

/** The data services that may use the stack's data key on a caller's behalf. */
export const DATA_KEY_SERVICES = ["rds", "secretsmanager", "elasticache", "backup"] as const;

/**
 * The data key's policy: the account's IAM administers the key, and its principals (those IAM allows) may use it only
 * through RDS, Secrets Manager, ElastiCache and AWS Backup of this region, never directly: reading the data means
 * asking one of those services, which log the access (the pattern of the AWS-managed keys, scoped to IAM).
 */
export function dataKeyPolicy(
  parent: pulumi.Resource,
  services: readonly string[] = DATA_KEY_SERVICES,
  inRegion?: string,
): pulumi.Output<string> {
  const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
  const region = inRegion === undefined ? aws.getRegionOutput({}, { parent }).region : pulumi.output(inRegion);
  const partition = aws.getPartitionOutput({}, { parent }).partition;
  return pulumi.all([account, region, partition]).apply(([id, awsRegion, p]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "KeyAdministration",
          Effect: "Allow",
          Principal: { AWS: `arn:${p}:iam::${id}:root` },
          Action: KEY_ADMINISTRATION,
          Resource: "*",
        },
        {
          Sid: "UseThroughDataServices",
          Effect: "Allow",
          Principal: { AWS: `arn:${p}:iam::${id}:root` },
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
            StringEquals: {
              "kms:ViaService": services.map((service) => viaService(service, awsRegion)),
            },
          },
        },
      ],
    }),
  );
}

/** RDS inputs of a restore: from a snapshot, or to a point in time of another instance's automated backups. */
export function restoreInputs(source: RestoreSource | undefined): {
  fromBackup: boolean;
  inputs: Pick<aws.rds.InstanceArgs, "snapshotIdentifier" | "restoreToPointInTime">;
} {
  if (source === undefined) return { fromBackup: false, inputs: {} };
  if ("snapshotIdentifier" in source) {
    return { fromBackup: true, inputs: { snapshotIdentifier: source.snapshotIdentifier } };
  }
  const { source: from, time, latest } = source.pointInTime;
  return {
    fromBackup: true,
    inputs: {
      restoreToPointInTime: {
        sourceDbInstanceIdentifier: from,
        ...(latest === true ? { useLatestRestorableTime: true } : { restoreTime: time }),
      },
    },
  };
}

/** AWS Backup: an encrypted vault, the plan with the product's retention, and the selection of this database. */
function createBackupPlan({
  name,
  args,
  instance,
  keyArn,
  parent,
}: {
  readonly name: string;
  readonly args: ResolvedAwsPostgresArgs;
  /** The database the plan selects. */
  readonly instance: aws.rds.Instance;
  /** The database's key, which also encrypts the vault. */
  readonly keyArn: pulumi.Output<string>;
  readonly parent: pulumi.ComponentResource;
}): pulumi.Output<string> {
  const t = args.transform ?? {};
  const opts: pulumi.CustomResourceOptions = { parent };
  // The vault holds the only copies older than 35 days: protected and kept even if the stack is destroyed.
  const vaultOpts: pulumi.CustomResourceOptions = { parent, protect: args.protect, retainOnDelete: args.protect };
  const tags = { ...args.tags };

  const vault = new aws.backup.Vault(
    ...transform(t.backupVault, `${name}-vault`, { kmsKeyArn: keyArn, tags }, vaultOpts),
  );

  const copyRegion = args.backup.copyToRegion;
  // The copy vault has a customer key of its own region (a key cannot leave its region), kept like the vault.
  const copyVault =
    copyRegion === undefined
      ? undefined
      : new aws.backup.Vault(
          `${name}-vault-${copyRegion}`,
          {
            region: copyRegion,
            kmsKeyArn: new aws.kms.Key(
              `${name}-vault-${copyRegion}`,
              {
                region: copyRegion,
                description: `Encrypts the ${copyRegion} copies of ${name}'s backups`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                // AWS Backup copies into the vault, and RDS restores from it, in that region.
                policy: dataKeyPolicy(parent, ["rds", "backup"], copyRegion),
                tags,
              },
              vaultOpts,
            ).arn,
            tags,
          },
          vaultOpts,
        );

  const plan = new aws.backup.Plan(
    ...transform(
      t.backupPlan,
      `${name}-backup`,
      {
        rules: BACKUP_RULES.map((rule) => ({
          ruleName: rule.ruleName,
          targetVaultName: vault.name,
          schedule: rule.schedule,
          startWindow: 60,
          completionWindow: 24 * 60,
          lifecycle: { deleteAfter: rule.deleteAfterDays },
          recoveryPointTags: { ...tags, BackupRule: rule.ruleName },
          ...(copyVault
            ? {
                copyActions: [{ destinationVaultArn: copyVault.arn, lifecycle: { deleteAfter: rule.deleteAfterDays } }],
              }
            : {}),
        })),
        tags,
      },
      { ...opts },
    ),
  );

  const role = new aws.iam.Role(
    ...transform(
      t.backupRole,
      `${name}-backup`,
      {
        description: `Lets AWS Backup back up and restore ${name}`,
        assumeRolePolicy: plainServiceTrustPolicy("backup.amazonaws.com"),
        tags,
      },
      { ...opts },
    ),
  );
  for (const policy of ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"]) {
    new aws.iam.RolePolicyAttachment(
      `${name}-backup-${policy.endsWith("Restores") ? "restores" : "backup"}`,
      { role: role.name, policyArn: `arn:aws:iam::aws:policy/service-role/${policy}` },
      { ...opts },
    );
  }

  new aws.backup.Selection(
    ...transform(
      t.backupSelection,
      `${name}-backup`,
      { name: `${name}-database`, planId: plan.id, iamRoleArn: role.arn, resources: [instance.arn] },
      { ...opts },
    ),
  );

  return vault.name;
}
