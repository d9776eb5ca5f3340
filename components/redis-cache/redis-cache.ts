import * as pulumi from "@pulumi/pulumi";
import { admitConsumer, consumerRuleName, type ServiceConnection } from "../consumers";
import type { AwsOnly, Target } from "../target";
import { windowProblems } from "../windows";
import {
  awsRedisCacheDefaults,
  CACHE_ENGINES,
  CACHE_PORT,
  createAwsRedisCache,
  engineVersionProblem,
  type AwsRedisCacheArgs,
} from "./aws";
import { createDockerRedisCache, type DockerRedisCacheArgs } from "./docker";
import { logRetentionProblems, portProblems, throwIfInvalid } from "../validation";

export type { AwsRedisCacheArgs } from "./aws";
export type { DockerRedisCacheArgs } from "./docker";

/** `target: "aws"`: an ElastiCache replication group; `target: "docker"` (dev): a Redis container. */
export type RedisCacheArgs = AwsRedisCacheArgs | DockerRedisCacheArgs;

/**
 * A Redis-compatible cache with the same outputs in both variants (host, port, secret URL). In AWS: encrypted at
 * rest and in transit (TLS required), an auth token kept as a secret and in Secrets Manager, automatic failover and
 * Multi-AZ with replicas, daily snapshots, slow log to CloudWatch, reachable only from the listed security groups.
 */
/** What only the AWS variant has. */
export interface RedisCacheCloud {
  /** The cache's security group (add ingress through `allowFrom`). */
  readonly securityGroupId: pulumi.Output<string>;
  /** Secrets Manager secret holding `url`, for ECS task `secrets`. */
  readonly secretArn: pulumi.Output<string>;
  /** The node ids (CloudWatch `CacheClusterId`) and how many there are. */
  readonly nodes: { readonly count: number; readonly ids: pulumi.Output<string[]> };
}

export class RedisCache<T extends Target = Target> extends pulumi.ComponentResource {
  public readonly host: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  /** Secret. */
  public readonly url: pulumi.Output<string>;
  /** The AWS variant's outputs (typed exactly by `target`: a `RedisCache<"aws">` always has them). */
  public readonly cloud: AwsOnly<T, RedisCacheCloud>;

  private readonly componentName: string;

  constructor(name: string, args: RedisCacheArgs & { readonly target: T }, opts?: pulumi.ComponentResourceOptions) {
    validateRedisCacheArgs(name, args);
    super("saas-platform:components:RedisCache", name, {}, opts);
    this.componentName = name;
    const a: RedisCacheArgs = args;
    if (a.target === "aws") {
      const resolved = awsRedisCacheDefaults(a);
      const out = createAwsRedisCache(name, resolved, this);
      this.host = out.host;
      this.port = out.port;
      this.url = out.url;
      const cloud: RedisCacheCloud = {
        securityGroupId: out.securityGroupId,
        secretArn: out.secretArn,
        nodes: { count: 1 + resolved.replicas, ids: out.memberClusterIds },
      };
      this.cloud = cloud as AwsOnly<T, RedisCacheCloud>;
    } else {
      const out = createDockerRedisCache(name, a, this);
      this.host = out.host;
      this.port = out.port;
      this.url = out.url;
      this.cloud = undefined as AwsOnly<T, RedisCacheCloud>;
    }
    this.registerOutputs({ host: this.host, port: this.port, url: this.url });
  }

  /**
   * Admits a consumer's security group on 6379 (AWS only), e.g. the API service's, declared by the stack after both
   * exist. `consumer` names the rule (`<name>-from-<consumer>`) and must be unique per consumer.
   */
  allowFrom(consumer: string, securityGroupId: pulumi.Input<string>): void {
    const cloud = this.cloud;
    if (cloud === undefined) {
      throw new pulumi.RunError(`${this.componentName}.allowFrom("${consumer}") needs the AWS variant`);
    }
    admitConsumer(
      consumerRuleName(this.componentName, consumer),
      {
        securityGroupId: cloud.securityGroupId,
        source: securityGroupId,
        port: CACHE_PORT,
        description: `Redis from ${consumer}`,
      },
      { parent: this },
    );
  }

  /**
   * The connection a service declares itself (AWS only): `ApiService`'s `connections` then creates the rule admitting
   * its tasks on 6379 before they start. The rule keeps the URN `allowFrom(consumer)` gave it (an alias), so a stack
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
      port: CACHE_PORT,
      ingressDescription: `Redis from ${consumer}`,
      ingressAliases: [{ name: consumerRuleName(this.componentName, consumer), parent: this }],
    };
  }
}

/** Every problem with the args at once, before any child is declared. */
export function validateRedisCacheArgs(name: string, args: RedisCacheArgs): void {
  const problems: string[] = [];
  if (args.target === "aws") {
    const a = awsRedisCacheDefaults(args);
    if (!Number.isInteger(a.replicas) || a.replicas < 0 || a.replicas > 5) {
      problems.push(`replicas must be an integer from 0 to 5 (got ${a.replicas})`);
    }
    if (a.replicas > 0 && a.network.azCount < 2) {
      problems.push(
        `replicas ${a.replicas} means Multi-AZ, which needs a network over at least 2 AZs (got ${a.network.azCount}); set replicas to 0 or add AZs`,
      );
    }
    if (!Number.isInteger(a.snapshotRetentionDays) || a.snapshotRetentionDays < 0 || a.snapshotRetentionDays > 35) {
      problems.push(`snapshotRetentionDays must be an integer from 0 to 35 (got ${a.snapshotRetentionDays})`);
    }
    if (!/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(a.nodeType)) {
      problems.push(`nodeType must be an ElastiCache node type such as cache.t4g.small (got "${a.nodeType}")`);
    }
    if (!CACHE_ENGINES.includes(a.engine)) {
      problems.push(`engine must be one of ${CACHE_ENGINES.join(", ")} (got "${String(a.engine)}")`);
    } else {
      const version = engineVersionProblem(a.engine, a.engineVersion);
      if (version !== undefined) problems.push(`engineVersion ${version}`);
    }
    problems.push(...logRetentionProblems("logRetentionDays", a.logRetentionDays));
    problems.push(...windowProblems("snapshotWindow", a.snapshotWindow, a.maintenanceWindow, 60));
  } else {
    problems.push(...portProblems("hostPort", args.hostPort));
  }
  throwIfInvalid("RedisCache", name, problems);
}
