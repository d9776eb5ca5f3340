import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IAM_DATABASE_USER } from "./iam-auth";
import type { AwsOnly, Target } from "../target";
import { isAwsRegion, partitionProblem } from "../aws-facts";
import { admitConsumer, consumerRuleName, type ServiceConnection } from "../consumers";
import { windowProblems } from "../windows";
import { awsPostgresDefaults, createAwsPostgres, POSTGRES_PORT, type AwsPostgresArgs } from "./aws";
import { createDockerPostgres, type DockerPostgresArgs } from "./docker";
import { storageAutoscalingProblem } from "./storage";
import { POSTGRES_RESERVED_WORDS, RDS_KEPT_USER_NAMES } from "./reserved-words";
import { logRetentionProblems, portProblems, throwIfInvalid } from "../validation";

export type { AwsPostgresArgs } from "./aws";
export type { DockerPostgresArgs } from "./docker";

/** `target: "aws"`: RDS for PostgreSQL with AWS Backup; `target: "docker"` (dev): a PostgreSQL container. */
export type ManagedPostgresArgs = AwsPostgresArgs | DockerPostgresArgs;

/**
 * PostgreSQL with the same outputs in both variants (host, port, database name, secret URL). In AWS: private,
 * KMS-encrypted gp3 storage with autoscaling, TLS forced, point-in-time recovery, an AWS Backup plan (daily 7 d /
 * weekly 4 w / monthly 12 m, optionally copied to a second region), a final snapshot always, Performance Insights,
 * enhanced monitoring and logs in CloudWatch, reachable only from the listed security groups.
 */
/** What only the AWS variant has. */
export interface ManagedPostgresCloud {
  /** The database's security group. */
  readonly securityGroupId: pulumi.Output<string>;
  /** Secrets Manager secret holding `url`, for ECS task `secrets` (resolves once the secret has its value). */
  readonly secretArn: pulumi.Output<string>;
  readonly instanceIdentifier: pulumi.Output<string>;
  /** The RDS instance's ARN (e.g. for an office-hours schedule that stops it at night). */
  readonly instanceArn: pulumi.Output<string>;
  /** What IAM database authentication needs (./iam-auth.ts). */
  readonly iamAuth: {
    readonly resourceId: pulumi.Output<string>;
    readonly adminUsername: pulumi.Output<string>;
    readonly user: string;
  };
  /** When the backup plan is on. */
  readonly backupVaultName: pulumi.Output<string> | undefined;
  /** What the instance was sized with (monitoring derives thresholds from it). */
  readonly sizing: { readonly instanceClass: string; readonly allocatedStorageGb: number };
  /** The key of the storage and the URL secret. */
  readonly kmsKeyArn: pulumi.Output<string>;
}

export class ManagedPostgres<T extends Target = Target> extends pulumi.ComponentResource {
  public readonly host: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly databaseName: pulumi.Output<string>;
  /** Secret. */
  public readonly url: pulumi.Output<string>;
  /** The AWS variant's outputs (typed exactly by `target`: a `ManagedPostgres<"aws">` always has them). */
  public readonly cloud: AwsOnly<T, ManagedPostgresCloud>;

  private readonly componentName: string;

  constructor(
    name: string,
    args: ManagedPostgresArgs & { readonly target: T },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    validateManagedPostgresArgs(name, args);
    super("saas-platform:components:ManagedPostgres", name, {}, opts);
    this.componentName = name;
    const a: ManagedPostgresArgs = args;
    if (a.target === "aws") {
      const resolved = awsPostgresDefaults(a);
      const out = createAwsPostgres(name, resolved, this);
      this.host = out.host;
      this.port = out.port;
      this.databaseName = out.databaseName;
      this.url = out.url;
      const cloud: ManagedPostgresCloud = {
        securityGroupId: out.securityGroupId,
        secretArn: out.secretArn,
        instanceIdentifier: out.instanceIdentifier,
        instanceArn: out.instanceArn,
        iamAuth: { resourceId: out.resourceId, adminUsername: out.adminUsername, user: IAM_DATABASE_USER },
        backupVaultName: out.backupVaultName,
        sizing: { instanceClass: resolved.instanceClass, allocatedStorageGb: resolved.allocatedStorageGb },
        kmsKeyArn: out.kmsKeyArn,
      };
      this.cloud = cloud as AwsOnly<T, ManagedPostgresCloud>;
    } else {
      const out = createDockerPostgres(name, a, this);
      this.host = out.host;
      this.port = out.port;
      this.databaseName = out.databaseName;
      this.url = out.url;
      this.cloud = undefined as AwsOnly<T, ManagedPostgresCloud>;
    }
    this.registerOutputs({ host: this.host, port: this.port, databaseName: this.databaseName, url: this.url });
  }

  /**
   * Admits a consumer's security group on 5432 (AWS only), e.g. the API service's, declared by the stack after both
   * exist. `consumer` names the rule (`<name>-from-<consumer>`) and must be unique per consumer.
   */
  allowFrom(consumer: string, securityGroupId: pulumi.Input<string>): aws.vpc.SecurityGroupIngressRule {
    const cloud = this.cloud;
    if (cloud === undefined) {
      throw new pulumi.RunError(`${this.componentName}.allowFrom("${consumer}") needs the AWS variant`);
    }
    return admitConsumer(
      consumerRuleName(this.componentName, consumer),
      {
        securityGroupId: cloud.securityGroupId,
        source: securityGroupId,
        port: POSTGRES_PORT,
        description: `PostgreSQL from ${consumer}`,
      },
      { parent: this },
    );
  }

  /**
   * The connection a service declares itself (AWS only): `ApiService`'s `connections` then creates the rule admitting
   * its tasks on 5432 before they start. The rule keeps the URN `allowFrom(consumer)` gave it (an alias), so a stack
   * moving from `allowFrom` to `connections` changes nothing in AWS.
   */
  connectionFor(consumer: string): ServiceConnection {
    const cloud = this.cloud;
    if (cloud === undefined) {
      throw new pulumi.RunError(`${this.componentName}.connectionFor("${consumer}") needs the AWS variant`);
    }
    return {
      name: this.componentName,
      securityGroupId: cloud.securityGroupId,
      port: POSTGRES_PORT,
      ingressDescription: `PostgreSQL from ${consumer}`,
      ingressAliases: [{ name: consumerRuleName(this.componentName, consumer), parent: this }],
    };
  }
}

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/**
 * A UTC time as RFC 3339 writes it, of a day and hour that exist: `Date.parse` rolls `2026-02-30` over to March and
 * `24:00` to the next day instead of failing, so the time read back must be the time written.
 */
const isUtcTime = (t: unknown): t is string =>
  typeof t === "string" &&
  RFC3339_UTC.test(t) &&
  !Number.isNaN(Date.parse(t)) &&
  new Date(t).toISOString().slice(0, 19) === t.slice(0, 19);
const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;
/** RDS's master user name: 1 to 16 letters, digits or _, a letter first (CreateDBInstance, `MasterUsername`). */
const MASTER_USER = /^[a-z][a-z0-9_]{0,15}$/;

/** Every problem with the args at once, before any child is declared. */
export function validateManagedPostgresArgs(name: string, args: ManagedPostgresArgs): void {
  const problems: string[] = [];
  if (args.target === "aws") {
    const a = awsPostgresDefaults(args);
    const integer = (key: string, value: number, min: number, max: number) => {
      if (!Number.isInteger(value) || value < min || value > max) {
        problems.push(`${key} must be an integer from ${min} to ${max} (got ${value})`);
      }
    };
    integer("allocatedStorageGb", a.allocatedStorageGb, 20, 65536);
    integer("maxAllocatedStorageGb", a.maxAllocatedStorageGb, 20, 65536);
    const storage = storageAutoscalingProblem(a);
    if (storage !== undefined) problems.push(`maxAllocatedStorageGb ${storage}`);
    integer("backupRetentionDays", a.backupRetentionDays, 1, 35);
    if (!a.finalSnapshot && a.protect) {
      problems.push("finalSnapshot: false is for disposable databases and cannot be combined with protect: true");
    }
    if (a.multiAz && a.network.azCount < 2) {
      problems.push(`multiAz needs a network over at least 2 AZs (got ${a.network.azCount})`);
    }
    if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(a.instanceClass)) {
      problems.push(`instanceClass must be an RDS instance class such as db.t4g.small (got "${a.instanceClass}")`);
    }
    if (!/^\d{2}(\.\d+)?$/.test(a.engineVersion)) {
      problems.push(`engineVersion must be a PostgreSQL major or major.minor such as "17" (got "${a.engineVersion}")`);
    }
    if (!IDENTIFIER.test(a.databaseName)) {
      problems.push(
        `databaseName must be lowercase letters, digits or _ starting with a letter (got "${a.databaseName}")`,
      );
    } else if (POSTGRES_RESERVED_WORDS.has(a.databaseName)) {
      problems.push(`databaseName "${a.databaseName}" is a PostgreSQL reserved word, which RDS refuses`);
    }
    if (!MASTER_USER.test(a.username)) {
      problems.push(
        `username must be 1 to 16 lowercase letters, digits or _ starting with a letter, RDS's limit for the master user (got "${a.username}")`,
      );
    } else if (POSTGRES_RESERVED_WORDS.has(a.username)) {
      problems.push(`username "${a.username}" is a PostgreSQL reserved word, which RDS refuses`);
    } else if (RDS_KEPT_USER_NAMES.includes(a.username) || /^(pg_|rds)/.test(a.username)) {
      problems.push(
        `username "${a.username}" is kept for RDS or the engine (${RDS_KEPT_USER_NAMES.join(", ")}, and names starting with pg_ or rds): choose the app's own name`,
      );
    } else if (a.username === IAM_DATABASE_USER) {
      problems.push(
        `username "${a.username}" is the IAM user the stack grants rds_iam to, which would end the master user's password login: choose another name`,
      );
    }
    problems.push(...logRetentionProblems("logRetentionDays", a.logRetentionDays));
    problems.push(...windowProblems("backupWindow", a.backupWindow, a.maintenanceWindow, 30));
    const copy = a.backup.copyToRegion;
    if (copy !== undefined) {
      const problem = isAwsRegion(copy)
        ? partitionProblem(copy)
        : `must be an AWS region code such as eu-central-1 (got "${copy}")`;
      if (problem !== undefined) problems.push(`backup.copyToRegion ${problem}`);
    }
    if (copy !== undefined && !a.backup.enabled) {
      problems.push("backup.copyToRegion needs backup.enabled: the copies are made by the backup plan");
    }
    problems.push(...restoreProblems(args.restoreFrom));
  } else {
    problems.push(...portProblems("hostPort", args.hostPort));
  }
  throwIfInvalid("ManagedPostgres", name, problems);
}

/** A KMS key ARN: the provider reads back a key ARN, so an alias or a key id would differ and force a replacement. */
const KMS_KEY_ARN =
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$|^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/mrk-[0-9a-f]{32}$/;

function restoreProblems(source: AwsPostgresArgs["restoreFrom"]): string[] {
  if (source === undefined) return [];
  const raw = source as {
    snapshotIdentifier?: unknown;
    pointInTime?: { source?: unknown; time?: unknown; latest?: unknown };
    kmsKeyArn?: unknown;
  };
  const key =
    typeof raw.kmsKeyArn === "string" && KMS_KEY_ARN.test(raw.kmsKeyArn)
      ? []
      : [
          `restoreFrom.kmsKeyArn must be the ARN of the key the source is encrypted with, such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (a restore keeps it; got ${JSON.stringify(raw.kmsKeyArn)})`,
        ];
  return [...key, ...restoreSourceProblems(raw)];
}

function restoreSourceProblems(raw: {
  snapshotIdentifier?: unknown;
  pointInTime?: { source?: unknown; time?: unknown; latest?: unknown };
}): string[] {
  if (raw.snapshotIdentifier !== undefined && raw.pointInTime !== undefined) {
    return ["restoreFrom must give one source: snapshotIdentifier or pointInTime, not both"];
  }
  if (raw.snapshotIdentifier !== undefined) {
    return typeof raw.snapshotIdentifier === "string" && raw.snapshotIdentifier !== ""
      ? []
      : ["restoreFrom.snapshotIdentifier must be a snapshot name or ARN"];
  }
  const pit = raw.pointInTime;
  if (pit === undefined) return ["restoreFrom must give snapshotIdentifier or pointInTime"];
  const problems: string[] = [];
  if (typeof pit.source !== "string" || pit.source === "") {
    problems.push("restoreFrom.pointInTime.source must name the instance whose backups to restore");
  }
  const hasTime = pit.time !== undefined;
  const latest = pit.latest === true;
  if (hasTime === latest) problems.push("restoreFrom.pointInTime must give exactly one of time and latest: true");
  if (hasTime && !isUtcTime(pit.time)) {
    problems.push(
      `restoreFrom.pointInTime.time must be a UTC time such as 2026-11-24T09:30:00Z (got ${JSON.stringify(pit.time)})`,
    );
  }
  return problems;
}
