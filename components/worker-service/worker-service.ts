import type * as aws from "@pulumi/aws";
import { egressTo } from "../api-service/connections";
import { connectionProblems } from "../api-service/connections";
import * as pulumi from "@pulumi/pulumi";
import { statSync } from "node:fs";
import { isAbsolute } from "node:path";
import {
  environmentProblems,
  fargateSizeProblems,
  imageAndCapacityProblems,
  permissionProblems,
} from "../api-service/checks";
import { containerHealthCheckProblem } from "../api-service/health";
import { imageSourceProblems } from "../api-service/image";
import { createOneOffTask, type OneOffTaskArgs } from "../api-service/one-off";
import type { EcsTaskRun } from "../ecs-task-run";
import { SQS_QUEUE_NAME } from "../aws-facts";
import type { AwsOnly, DockerOnly, Target } from "../target";
import { logRetentionProblems, portProblems, throwIfInvalid } from "../validation";
import { createAwsWorkerService, type AwsWorkerServiceOutputs } from "./aws";
import { awsWorkerServiceDefaults, type AwsWorkerServiceArgs, type ResolvedAwsWorkerServiceArgs } from "./aws-args";
import { createDockerWorkerService, type DockerWorkerServiceArgs, type DockerWorkerServiceOutputs } from "./docker";

/** `target: "aws"`: a Fargate service in an existing cluster, no load balancer; `target: "docker"` (dev): a container. */
export type WorkerServiceArgs = AwsWorkerServiceArgs | DockerWorkerServiceArgs;

/**
 * A long-running background service (a queue consumer, a scheduler loop) that nothing connects to. In AWS: its image
 * (built and pushed to its own ECR repository, or prebuilt), a Fargate service in the private subnets of an existing
 * cluster with no load balancer and no inbound rule, secrets injected from Secrets Manager, autoscaling on CPU (and
 * optionally on a queue's backlog per task), rolling releases with a circuit breaker and a release check. Locally:
 * the same image as a container on the dev network, no published port.
 */
export class WorkerService<T extends Target = Target> extends pulumi.ComponentResource {
  /** The image the worker runs (a digest when built here in AWS). */
  public readonly imageRef: pulumi.Output<string>;
  /** The AWS variant's outputs (typed exactly by `target`: a `WorkerService<"aws">` always has them). */
  public readonly cloud: AwsOnly<T, AwsWorkerServiceOutputs>;
  /** The local variant's outputs (`docker logs <containerName>`). */
  public readonly local: DockerOnly<T, DockerWorkerServiceOutputs>;
  private readonly componentName: string;

  constructor(name: string, args: WorkerServiceArgs & { readonly target: T }, opts?: pulumi.ComponentResourceOptions) {
    validateWorkerServiceArgs(name, args);
    super("saas-platform:components:WorkerService", name, {}, opts);
    this.componentName = name;
    const a: WorkerServiceArgs = args;
    if (a.target === "aws") {
      const cloud = createAwsWorkerService(name, awsWorkerServiceDefaults(a), this);
      this.cloud = cloud as AwsOnly<T, AwsWorkerServiceOutputs>;
      this.local = undefined as DockerOnly<T, DockerWorkerServiceOutputs>;
      this.imageRef = cloud.imageRef;
      this.registerOutputs({
        serviceName: cloud.serviceName,
        clusterName: cloud.clusterName,
        logGroupName: cloud.logGroupName,
      });
    } else {
      const local = createDockerWorkerService(name, a, this);
      this.cloud = undefined as AwsOnly<T, AwsWorkerServiceOutputs>;
      this.local = { containerName: local.containerName } as DockerOnly<T, DockerWorkerServiceOutputs>;
      this.imageRef = local.imageRef;
      this.registerOutputs({ containerName: local.containerName });
    }
  }

  /**
   * Runs a command once, as a task of the worker, on `pulumi up` (AWS only): its image (or `image`), the secrets it
   * names, the worker's security group and subnets. The `up` fails unless it exits 0; it runs again when `trigger`
   * changes, and never in a preview. See components/api-service/one-off.ts.
   */
  runTask(name: string, args: OneOffTaskArgs): EcsTaskRun {
    if (this.cloud === undefined) {
      throw new pulumi.RunError(`${this.componentName}.runTask("${name}") needs the AWS variant`);
    }
    return createOneOffTask(this.componentName, name, this.cloud, args, this);
  }

  /**
   * Lets the tasks connect to another security group on one TCP port (AWS only), e.g. the database's on 5432. With
   * HTTPS out, these are the only connections the tasks may open.
   */
  allowTo(target: string, securityGroupId: pulumi.Input<string>, port: number): aws.vpc.SecurityGroupEgressRule {
    if (this.cloud === undefined) {
      throw new pulumi.RunError(`${this.componentName}.allowTo("${target}") needs the AWS variant`);
    }
    throwIfInvalid("WorkerService", this.componentName, portProblems(`allowTo("${target}") port`, port));
    return egressTo(
      this.componentName,
      target,
      { from: this.cloud.serviceSecurityGroupId, to: securityGroupId, port },
      this,
    );
  }
}

/** What is wrong with a command override (nothing when the image's own runs). */
function commandProblems(command: readonly string[] | undefined): string[] {
  if (command === undefined) return [];
  return command.length === 0 || command.some((part) => typeof part !== "string" || part === "")
    ? [
        `command must list the executable and its arguments, none empty, e.g. ["node", "worker.js"] (got ${JSON.stringify(command)})`,
      ]
    : [];
}

/** The AWS variant's sizes, scaling and queue. */
function awsProblems(a: ResolvedAwsWorkerServiceArgs): string[] {
  const problems = fargateSizeProblems(a.cpu, a.memory);
  if (!Number.isInteger(a.minTasks) || a.minTasks < 1) problems.push(`minTasks must be at least 1 (got ${a.minTasks})`);
  if (!Number.isInteger(a.maxTasks)) problems.push(`maxTasks must be a whole number (got ${a.maxTasks})`);
  else if (a.minTasks > a.maxTasks) {
    problems.push(
      `minTasks (${a.minTasks}) must not exceed maxTasks (${a.maxTasks}); raise maxTasks or lower minTasks`,
    );
  }
  problems.push(...logRetentionProblems("logRetentionDays", a.logRetentionDays));
  problems.push(...permissionProblems(a.permissions));
  problems.push(...imageAndCapacityProblems(a.keepImages, a.capacity));
  if (!(a.cpuTargetPercent > 0 && a.cpuTargetPercent <= 100)) {
    problems.push(`cpuTargetPercent must be above 0 and at most 100 (got ${a.cpuTargetPercent})`);
  }
  const queue = a.queue;
  if (queue !== undefined) {
    if (typeof queue.queueName === "string" && !SQS_QUEUE_NAME.test(queue.queueName)) {
      problems.push(
        `queue.queueName must be an SQS queue name (up to 80 letters, digits, - and _; a FIFO queue's ends in .fifo), not its URL or ARN (got "${queue.queueName}")`,
      );
    }
    if (!(Number.isFinite(queue.messagesPerTask) && queue.messagesPerTask > 0)) {
      problems.push(`queue.messagesPerTask must be a number above 0 (got ${queue.messagesPerTask})`);
    }
    if (!(a.maxTasks > a.minTasks)) {
      problems.push(`queue scaling needs room to scale: maxTasks (${a.maxTasks}) must exceed minTasks (${a.minTasks})`);
    }
    if (a.cluster.containerInsights !== true) {
      problems.push(
        "queue scaling divides the backlog by Container Insights' RunningTaskCount: turn Container Insights on for the cluster and set cluster.containerInsights: true",
      );
    }
  }
  return problems;
}

/** The local variant's bind mount. */
function mountProblems(mount: DockerWorkerServiceArgs["mount"]): string[] {
  if (mount === undefined) return [];
  const problems: string[] = [];
  if (!statSync(mount.hostPath, { throwIfNoEntry: false })?.isDirectory()) {
    problems.push(`mount.hostPath must be an existing folder (got ${JSON.stringify(mount.hostPath)})`);
  }
  if (!isAbsolute(mount.containerPath) || mount.containerPath === "/") {
    problems.push(
      `mount.containerPath must be an absolute path in the container, not / (got ${JSON.stringify(mount.containerPath)})`,
    );
  }
  return problems;
}

/** Every problem with the args at once, before any child is declared. */
export function validateWorkerServiceArgs(name: string, args: WorkerServiceArgs): void {
  const problems: string[] = [...imageSourceProblems(args.image)];
  problems.push(...commandProblems(args.command));
  const check = containerHealthCheckProblem(args.containerHealthCheck);
  if (check !== undefined) {
    problems.push(`containerHealthCheck ${check} (got ${JSON.stringify(args.containerHealthCheck)})`);
  }
  problems.push(...environmentProblems(args.environment, args.secrets));
  if (args.target === "aws") {
    problems.push(...awsProblems(awsWorkerServiceDefaults(args)), ...connectionProblems(args.connections ?? []));
  } else problems.push(...mountProblems(args.mount));
  throwIfInvalid("WorkerService", name, problems);
}
