import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { namingScope, physicalName } from "../naming";
import type { AwsNetworkOutputs } from "../network";
import { admitConsumer } from "../consumers";
import { transform, type Transform } from "../transform";
import { storeUrlSecret } from "../url-secret";
import type { CacheOutputs } from "./outputs";

export const CACHE_ENGINES = ["valkey", "redis"] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];

/** Arguments of the AWS variant of {@link RedisCache}: an ElastiCache replication group. */
export interface AwsRedisCacheArgs {
  readonly target: "aws";
  /** The VPC: the cache goes into its private subnets. */
  readonly network: AwsNetworkOutputs;
  /**
   * Security groups of the services that may connect (port 6379). Nothing else can, not even the VPC's own range.
   * @default [] - nobody until a consumer is added
   */
  readonly allowFrom?: readonly pulumi.Input<string>[];
  /** @default "cache.t4g.small" */
  readonly nodeType?: string;
  /**
   * Read replicas besides the primary. With at least one, failover is automatic and the nodes spread over AZs
   * (Multi-AZ); with none, a node failure loses the cache until ElastiCache replaces the node.
   * @default 1
   */
  readonly replicas?: number;
  /** Valkey is AWS's open-source Redis fork (cheaper on ElastiCache); the wire protocol is the same. @default "valkey" */
  readonly engine?: CacheEngine;
  /**
   * `major.minor` or `major.minor.patch` (`7.1`, `6.2`, `5.0.6`), of an engine ElastiCache has a parameter group
   * family for ({@link PARAMETER_FAMILIES}). @default "8.0" for valkey, "7.1" for redis
   */
  readonly engineVersion?: string;
  /** Days of daily snapshots (0 turns them off). AWS Backup does not cover ElastiCache. @default 7 */
  readonly snapshotRetentionDays?: number;
  /** UTC, `hh:mm-hh:mm`; must not overlap the maintenance window. @default "03:00-04:00" */
  readonly snapshotWindow?: string;
  /** UTC, `ddd:hh:mm-ddd:hh:mm`. @default "sun:05:00-sun:06:00" */
  readonly maintenanceWindow?: string;
  /** Eviction when memory is full. Use `noeviction` when the cache also holds queues. @default "volatile-lru" */
  readonly maxmemoryPolicy?: string;
  /** Days CloudWatch keeps the slow log. @default 30 */
  readonly logRetentionDays?: number;
  /** A KMS key CloudWatch Logs may use (the stack's logs key) for the slow log. @default - CloudWatch's own */
  readonly logsKmsKeyArn?: pulumi.Input<string>;
  /**
   * A customer key for the data at rest and the URL secret (e.g. the database's: one data key per stack). It is set
   * when the cache is created: changing it replaces the replication group.
   * @default - ElastiCache's and Secrets Manager's AWS-managed keys
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Apply changes now instead of in the maintenance window. @default false */
  readonly applyImmediately?: boolean;
  /** Pulumi `protect` on the replication group. @default false */
  readonly protect?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
  readonly transform?: {
    readonly replicationGroup?: Transform<aws.elasticache.ReplicationGroupArgs>;
    readonly parameterGroup?: Transform<aws.elasticache.ParameterGroupArgs>;
    readonly subnetGroup?: Transform<aws.elasticache.SubnetGroupArgs>;
    readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    readonly slowLogGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    readonly authToken?: Transform<random.RandomPasswordArgs>;
    readonly secret?: Transform<aws.secretsmanager.SecretArgs>;
    readonly secretVersion?: Transform<aws.secretsmanager.SecretVersionArgs>;
    readonly ingressRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
  };
}

export type ResolvedAwsRedisCacheArgs = Required<Omit<AwsRedisCacheArgs, "transform" | "logsKmsKeyArn" | "kmsKeyArn">> &
  Pick<AwsRedisCacheArgs, "transform" | "logsKmsKeyArn" | "kmsKeyArn">;

/** Fills the defaults of {@link AwsRedisCacheArgs}. Pure. */
export function awsRedisCacheDefaults(args: AwsRedisCacheArgs): ResolvedAwsRedisCacheArgs {
  const engine = args.engine ?? "valkey";
  return {
    ...args,
    allowFrom: args.allowFrom ?? [],
    nodeType: args.nodeType ?? "cache.t4g.small",
    replicas: args.replicas ?? 1,
    engine,
    engineVersion: args.engineVersion ?? (engine === "valkey" ? "8.0" : "7.1"),
    snapshotRetentionDays: args.snapshotRetentionDays ?? 7,
    snapshotWindow: args.snapshotWindow ?? "03:00-04:00",
    maintenanceWindow: args.maintenanceWindow ?? "sun:05:00-sun:06:00",
    maxmemoryPolicy: args.maxmemoryPolicy ?? "volatile-lru",
    logRetentionDays: args.logRetentionDays ?? 30,
    applyImmediately: args.applyImmediately ?? false,
    protect: args.protect ?? false,
    tags: args.tags ?? {},
  };
}

/**
 * The parameter group families ElastiCache has for these engines: the valid values of CreateCacheParameterGroup's
 * `CacheParameterGroupFamily` (ElastiCache API Reference, checked 2026-11-26). Redis 6 is one family, `redis6.x`;
 * before it each minor version has its own (`redis5.0`); from 7 on, and for Valkey, the major version names it.
 */
export const PARAMETER_FAMILIES = [
  "valkey7",
  "valkey8",
  "redis2.6",
  "redis2.8",
  "redis3.2",
  "redis4.0",
  "redis5.0",
  "redis6.x",
  "redis7",
] as const;

/** The parameter group family of an engine version (`valkey8`, `redis7`, `redis6.x`, `redis5.0`), not checked. */
export function parameterFamily(engine: CacheEngine, version: string): string {
  const [major = "", minor = ""] = version.split(".");
  if (engine === "redis" && Number(major) < 6) return `redis${major}.${minor}`;
  if (engine === "redis" && major === "6") return "redis6.x";
  return `${engine}${major}`;
}

/** What is wrong with an engine version, as "must …", or undefined. */
export function engineVersionProblem(engine: CacheEngine, version: string): string | undefined {
  const family = parameterFamily(engine, version);
  if (/^\d+\.\d+(\.\d+)?$/.test(version) && (PARAMETER_FAMILIES as readonly string[]).includes(family)) {
    return undefined;
  }
  const known = PARAMETER_FAMILIES.filter((f) => f.startsWith(engine)).join(", ");
  return `must be a ${engine} version such as ${engine === "valkey" ? "8.0" : "7.1"}, of a parameter group family ElastiCache has (${known}; got "${version}")`;
}

export const CACHE_PORT = 6379;

export function createAwsRedisCache(
  name: string,
  args: ResolvedAwsRedisCacheArgs,
  parent: pulumi.ComponentResource,
): CacheOutputs & {
  readonly securityGroupId: pulumi.Output<string>;
  /** The URL secret's ARN; resolves once the secret has its value (its version exists). */
  readonly secretArn: pulumi.Output<string>;
  readonly memberClusterIds: pulumi.Output<string[]>;
} {
  const t = args.transform ?? {};
  const opts: pulumi.CustomResourceOptions = { parent };
  const scope = namingScope();
  const tags = { ...args.tags };

  // ElastiCache auth tokens: 16-128 printable characters without @, " or /; letters and digits avoid quoting trouble.
  const authToken = new random.RandomPassword(
    ...transform(t.authToken, `${name}-auth-token`, { length: 64, special: false }, { ...opts }),
  );
  const token = pulumi.secret(authToken.result);

  const securityGroup = new aws.ec2.SecurityGroup(
    ...transform(
      t.securityGroup,
      `${name}-sg`,
      {
        vpcId: args.network.vpcId,
        description: `${name}: ${args.engine} on ${CACHE_PORT}, only from its consumers`,
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
        port: CACHE_PORT,
        description: `${args.engine} from consumer ${i + 1}`,
      },
      { ...opts },
      t.ingressRule,
    ),
  );

  const subnetGroup = new aws.elasticache.SubnetGroup(
    ...transform(
      t.subnetGroup,
      `${name}-subnets`,
      {
        description: `${name}: private subnets`,
        subnetIds: args.network.privateSubnetIds,
        tags,
      },
      { ...opts },
    ),
  );

  const parameterGroup = new aws.elasticache.ParameterGroup(
    ...transform(
      t.parameterGroup,
      `${name}-params`,
      {
        family: parameterFamily(args.engine, args.engineVersion),
        description: `${name}: ${args.engine} ${args.engineVersion} parameters`,
        parameters: [{ name: "maxmemory-policy", value: args.maxmemoryPolicy }],
        tags,
      },
      { ...opts },
    ),
  );

  const slowLog = new aws.cloudwatch.LogGroup(
    ...transform(
      t.slowLogGroup,
      `${name}-slow-log`,
      {
        retentionInDays: args.logRetentionDays,
        ...(args.logsKmsKeyArn === undefined ? {} : { kmsKeyId: args.logsKmsKeyArn }),
        tags,
      },
      { ...opts },
    ),
  );

  const highlyAvailable = args.replicas > 0;
  const group = new aws.elasticache.ReplicationGroup(
    ...transform(
      t.replicationGroup,
      `${name}`,
      {
        replicationGroupId: physicalName(scope, name, "elasticacheReplicationGroup"),
        description: `${scope.project} ${scope.stack} ${name}`,
        engine: args.engine,
        engineVersion: args.engineVersion,
        nodeType: args.nodeType,
        numCacheClusters: 1 + args.replicas,
        automaticFailoverEnabled: highlyAvailable,
        multiAzEnabled: highlyAvailable,
        port: CACHE_PORT,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [securityGroup.id],
        parameterGroupName: parameterGroup.name,
        atRestEncryptionEnabled: true,
        ...(args.kmsKeyArn === undefined ? {} : { kmsKeyId: args.kmsKeyArn }),
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: token,
        authTokenUpdateStrategy: "ROTATE",
        snapshotRetentionLimit: args.snapshotRetentionDays,
        snapshotWindow: args.snapshotWindow,
        maintenanceWindow: args.maintenanceWindow,
        autoMinorVersionUpgrade: true,
        applyImmediately: args.applyImmediately,
        logDeliveryConfigurations: [
          { destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
        ],
        tags,
      },
      { ...opts, protect: args.protect },
    ),
  );

  const host = group.primaryEndpointAddress;
  const url = pulumi.secret(pulumi.interpolate`rediss://:${token}@${host}:${CACHE_PORT}`);

  // The services read the URL from Secrets Manager at start (ECS `secrets`), never from plain environment values.
  const secret = storeUrlSecret(
    `${name}-url`,
    {
      description: `${name}: connection URL (rediss://) with its auth token`,
      url,
      ...(args.kmsKeyArn === undefined ? {} : { kmsKeyId: args.kmsKeyArn }),
      tags,
    },
    { ...opts },
    t,
  );

  return {
    host,
    port: pulumi.output(CACHE_PORT),
    url,
    securityGroupId: securityGroup.id,
    secretArn: secret.readyArn,
    memberClusterIds: group.memberClusters.apply((ids) => [...ids].sort()),
  };
}
