import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAwsApiService, type AwsApiServiceOutputs } from "./aws";
import { awsApiServiceDefaults, type AwsApiServiceArgs } from "./aws-args";
import { environmentProblems, fargateSizeProblems, imageAndCapacityProblems, permissionProblems } from "./checks";
import { createDockerApiService, type DockerApiServiceArgs } from "./docker";
import type { AwsOnly, Target } from "../target";
import { imageSourceProblems } from "./image";
import { containerHealthCheckProblem } from "./health";
import { createOneOffTask, type OneOffTaskArgs } from "./one-off";
import { connectionProblems, egressTo } from "./connections";
import { migrationProblems } from "./migration";
import type { EcsTaskRun } from "../ecs-task-run";
import { HOSTNAME, logRetentionProblems, portProblems, throwIfInvalid } from "../validation";

export type { AwsApiServiceArgs, FargateCapacity, MigrationArgs, SharedLoadBalancer, TaskPermission } from "./aws-args";
export type { ServiceConnection } from "../consumers";
export type { DockerApiServiceArgs } from "./docker";
export type { ImageSource } from "./image";
export type { OneOffTaskArgs } from "./one-off";

/** `target: "aws"`: ECR + Fargate behind an HTTPS load balancer; `target: "docker"` (dev): a local container. */
export type ApiServiceArgs = AwsApiServiceArgs | DockerApiServiceArgs;

/**
 * The backend API. In AWS: its image in ECR, a Fargate service in private subnets behind an HTTPS load balancer
 * (TLS 1.2/1.3, HTTP redirected), secrets injected from Secrets Manager, autoscaling on CPU and requests, rolling
 * releases with a circuit breaker. Locally: the same image as a container next to the local database and cache.
 */
export class ApiService<T extends Target = Target> extends pulumi.ComponentResource {
  /** `https://<load balancer>` in AWS (the edge tier puts the API's own hostname in front), `http://127.0.0.1:<port>` locally. */
  public readonly url: pulumi.Output<string>;
  /** `<url><healthCheckPath>`: what the load balancer checks in AWS, the same path on the local container. */
  public readonly healthUrl: pulumi.Output<string>;
  /** The image the service runs (a digest when built here). */
  public readonly imageRef: pulumi.Output<string>;
  /** The AWS variant's outputs (typed exactly by `target`: an `ApiService<"aws">` always has them). */
  public readonly cloud: AwsOnly<T, AwsApiServiceOutputs>;
  private readonly componentName: string;

  constructor(name: string, args: ApiServiceArgs & { readonly target: T }, opts?: pulumi.ComponentResourceOptions) {
    validateApiServiceArgs(name, args);
    super("saas-platform:components:ApiService", name, {}, opts);
    this.componentName = name;
    const a: ApiServiceArgs = args;
    if (a.target === "aws") {
      const resolved = awsApiServiceDefaults(a);
      const cloud = createAwsApiService(name, resolved, this);
      this.cloud = cloud as AwsOnly<T, AwsApiServiceOutputs>;
      this.url = cloud.url;
      this.healthUrl = pulumi.interpolate`${cloud.url}${resolved.healthCheckPath}`;
      this.imageRef = cloud.imageRef;
      this.registerOutputs({
        url: this.url,
        serviceName: cloud.serviceName,
        clusterName: cloud.clusterName,
        logGroupName: cloud.logGroupName,
      });
    } else {
      const local = createDockerApiService(name, a, this);
      this.cloud = undefined as AwsOnly<T, AwsApiServiceOutputs>;
      this.url = local.url;
      this.healthUrl = local.healthUrl;
      this.imageRef = local.imageRef;
      this.registerOutputs({ url: this.url });
    }
  }

  /**
   * Runs a command once, as a task of the service, on `pulumi up` (AWS only): its image (or `image`), the secrets it
   * names, the service's security group and subnets. The `up` fails unless it exits 0; it runs again when `trigger`
   * changes, and never in a preview. See components/api-service/one-off.ts.
   */
  runTask(name: string, args: OneOffTaskArgs): EcsTaskRun {
    if (this.cloud === undefined) {
      throw new pulumi.RunError(`${this.componentName}.runTask("${name}") needs the AWS variant`);
    }
    return createOneOffTask(this.componentName, name, this.cloud, args, this);
  }

  /**
   * Lets the tasks connect to another security group on one TCP port (AWS only), egress only, declared after the
   * service: the target must admit the tasks itself. For a connection the tasks (and the migration) need from their
   * first start, give `connections` instead, which declares both rules before the service. With HTTPS out (AWS APIs,
   * the image registry, third parties), these are the only connections the tasks may open.
   */
  allowTo(target: string, securityGroupId: pulumi.Input<string>, port: number): aws.vpc.SecurityGroupEgressRule {
    if (this.cloud === undefined) {
      throw new pulumi.RunError(`${this.componentName}.allowTo("${target}") needs the AWS variant`);
    }
    return egressTo(
      this.componentName,
      target,
      { from: this.cloud.serviceSecurityGroupId, to: securityGroupId, port },
      this,
    );
  }
}

/** What is wrong with joining another stack's load balancer (nothing when the service has its own). */
function sharedLoadBalancerProblems(shared: AwsApiServiceArgs["sharedLoadBalancer"]): string[] {
  if (shared === undefined) return [];
  const problems: string[] = [];
  if (!Number.isInteger(shared.priority) || shared.priority < 1 || shared.priority > 50000) {
    problems.push(`sharedLoadBalancer.priority must be a whole number from 1 to 50000 (got ${shared.priority})`);
  }
  if (shared.hostnames.length < 1 || shared.hostnames.length > 5) {
    problems.push(
      `sharedLoadBalancer.hostnames must list 1 to 5 hostnames, the most a host-header rule matches (got ${shared.hostnames.length})`,
    );
  }
  // A host-header rule also matches a wildcard such as *.example.com.
  const bad = shared.hostnames.filter((h) => !HOSTNAME.test(h.startsWith("*.") ? h.slice(2) : h));
  if (bad.length > 0) problems.push(`sharedLoadBalancer.hostnames must be DNS names (got ${bad.join(", ")})`);
  return problems;
}

/** Every problem with the args at once, before any child is declared. */
export function validateApiServiceArgs(name: string, args: ApiServiceArgs): void {
  const problems: string[] = [...imageSourceProblems(args.image)];
  problems.push(...portProblems("containerPort", args.containerPort));
  if (args.target === "docker") problems.push(...portProblems("hostPort", args.hostPort));
  const path = args.healthCheckPath;
  if (path !== undefined && !/^\/[^\s]*$/.test(path)) {
    problems.push(`healthCheckPath must be a path starting with / (got "${path}")`);
  }
  const check = containerHealthCheckProblem(args.containerHealthCheck);
  if (check !== undefined) {
    problems.push(`containerHealthCheck ${check} (got ${JSON.stringify(args.containerHealthCheck)})`);
  }
  problems.push(...environmentProblems(args.environment, args.secrets));

  if (args.target === "aws") {
    const a = awsApiServiceDefaults(args);
    problems.push(...fargateSizeProblems(a.cpu, a.memory));
    if (!Number.isInteger(a.minTasks) || a.minTasks < 1)
      problems.push(`minTasks must be at least 1 (got ${a.minTasks})`);
    // Application Auto Scaling's MaxCapacity is a whole number (RegisterScalableTarget); NaN or 2.5 fail at `up`.
    if (!Number.isInteger(a.maxTasks)) problems.push(`maxTasks must be a whole number (got ${a.maxTasks})`);
    else if (a.minTasks > a.maxTasks) {
      problems.push(
        `minTasks (${a.minTasks}) must not exceed maxTasks (${a.maxTasks}); raise maxTasks or lower minTasks`,
      );
    }
    problems.push(...logRetentionProblems("logRetentionDays", a.logRetentionDays));
    problems.push(...permissionProblems(a.permissions));
    problems.push(...imageAndCapacityProblems(a.keepImages, a.capacity));
    problems.push(...sharedLoadBalancerProblems(a.sharedLoadBalancer));
    problems.push(...connectionProblems(a.connections));
    problems.push(...migrationProblems(a.migration, a.secrets));
    if (!a.publicIpv4 && a.sharedLoadBalancer === undefined) {
      if (!a.network.ipv6) {
        problems.push(
          "publicIpv4: false needs a network with ipv6 (the load balancer's public side is then IPv6 only)",
        );
      }
      if (a.ingressPrefixListIds.length === 0) {
        problems.push(
          "publicIpv4: false is for a load balancer behind an edge proxy (set ingressPrefixListIds to its ranges): IPv4-only clients could not reach it directly",
        );
      }
    }
    if (a.sharedLoadBalancer !== undefined && a.clientCertificateTrustStoreArn !== undefined) {
      problems.push(
        "clientCertificateTrustStoreArn is for an own load balancer: a service joining another stack's listener gets that listener's mutual TLS",
      );
    }
  }
  throwIfInvalid("ApiService", name, problems);
}
