import type * as aws from "@pulumi/aws";
import type { ServiceConnection } from "../consumers";
import type * as pulumi from "@pulumi/pulumi";
import type { FargateCapacity, FargateTransforms, ResolvedFargateArgs, TaskPermission } from "../api-service/aws-args";
import type { QueueScaling } from "../api-service/fargate-service";
import type { ContainerHealthCheck } from "../api-service/health";
import type { ImageSource } from "../api-service/image";
import type { AwsNetworkOutputs } from "../network";
import type { Transform } from "../transform";

/** The existing ECS cluster a worker joins: the stack's (owned by its first HTTP ApiService), or staging's. */
export interface WorkerCluster {
  readonly arn: pulumi.Input<string>;
  readonly name: pulumi.Input<string>;
  /**
   * Whether the cluster has Container Insights on. Queue scaling needs it: it divides the backlog by the running task
   * count Container Insights publishes.
   * @default false
   */
  readonly containerInsights?: boolean;
}

/** Arguments of the AWS variant of {@link WorkerService}. */
export interface AwsWorkerServiceArgs {
  readonly target: "aws";
  readonly network: AwsNetworkOutputs;
  /** The cluster the service joins; a worker never owns one. */
  readonly cluster: WorkerCluster;
  /** The image: prebuilt, or built from a folder and pushed to this worker's own ECR repository. */
  readonly image: ImageSource;
  /**
   * The container's command, instead of the image's (`CMD`), e.g. the API's image run as a worker.
   * @default - the image's own
   * @example ["node", "dist/worker.js"]
   */
  readonly command?: readonly string[];
  /** Fargate CPU units. @default 256 */
  readonly cpu?: number;
  /** MiB, a size Fargate offers for `cpu`. @default 512 */
  readonly memory?: number;
  /** Autoscaling floor; also the desired count at creation (at least 1). @default 1 */
  readonly minTasks?: number;
  /** Autoscaling ceiling; equal to `minTasks` for a fixed size. @default 2 */
  readonly maxTasks?: number;
  /**
   * A container-level health check, opt-in (components/api-service/health.ts): ECS replaces a task whose check fails.
   * Without one, a task is healthy while its process runs.
   * @default - none
   */
  readonly containerHealthCheck?: ContainerHealthCheck;
  /** Plain environment values (no secrets: names that look like one are refused). */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Secrets by environment name → Secrets Manager secret ARN; ECS injects the values at start. */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** KMS keys the secrets are encrypted with (customer-managed keys need `kms:Decrypt` for the execution role). */
  readonly secretKmsKeyArns?: readonly pulumi.Input<string>[];
  /**
   * What the worker may do in AWS (the task role). Queue scaling grants nothing: give the queue's actions here, e.g.
   * `sqs:ReceiveMessage`, `sqs:DeleteMessage`, `sqs:ChangeMessageVisibility` on its ARN.
   * @default []
   */
  readonly permissions?: readonly TaskPermission[];
  /**
   * Network paths to other security groups (the database, the cache): both rules of each, created before the tasks
   * start (see ApiService's `connections`). @default []
   */
  readonly connections?: readonly ServiceConnection[];
  /**
   * The Fargate capacity the tasks run on; the cluster must offer it (an ApiService's cluster offers both).
   * `FARGATE_SPOT` costs about 70 % less and may be interrupted with two minutes' notice: fine for a worker whose
   * jobs can be retried, never for one that must not stop mid-job.
   * @default "FARGATE"
   */
  readonly capacity?: FargateCapacity;
  /** The container's root filesystem is read-only (a writable `/tmp` is mounted). @default true */
  readonly readonlyRootFilesystem?: boolean;
  /** A KMS key CloudWatch Logs may use (the stack's logs key) for the worker's log group. @default - CloudWatch's own */
  readonly logsKmsKeyArn?: pulumi.Input<string>;
  /** Days CloudWatch keeps the worker's logs. @default 30 */
  readonly logRetentionDays?: number;
  /**
   * Register the service with Application Auto Scaling even when its size is fixed (`minTasks` = `maxTasks`), so
   * scheduled actions (office hours) can set its task range; the task count is then Application Auto Scaling's.
   * @default false - only a service with room to scale has a scalable target
   */
  readonly scheduledScaling?: boolean;
  /** Scale to keep average CPU near this percentage (with room to scale). @default 60 */
  readonly cpuTargetPercent?: number;
  /**
   * Also scale on an SQS queue's backlog per task: visible messages divided by running tasks, kept near
   * `messagesPerTask`. Needs room to scale (`maxTasks` > `minTasks`) and a cluster with Container Insights
   * (`cluster.containerInsights`). Grants nothing: the worker's access to the queue goes in `permissions`.
   * @default - CPU only
   */
  readonly queue?: QueueScaling;
  /** ECR keeps this many images (a built image only). @default 30 */
  readonly keepImages?: number;
  /** Pulumi `protect` on the repository (and no force delete). @default false */
  readonly protect?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
  readonly transform?: FargateTransforms & {
    readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  };
}

export type ResolvedAwsWorkerServiceArgs = ResolvedFargateArgs &
  Required<Omit<AwsWorkerServiceArgs, "transform" | "logsKmsKeyArn" | "containerHealthCheck" | "command" | "queue">> &
  Pick<AwsWorkerServiceArgs, "transform" | "logsKmsKeyArn" | "containerHealthCheck" | "command" | "queue">;

/** The AWS variant's args with every default filled. Pure. */
export function awsWorkerServiceDefaults(args: AwsWorkerServiceArgs): ResolvedAwsWorkerServiceArgs {
  return {
    ...args,
    connections: args.connections ?? [],
    cpu: args.cpu ?? 256,
    memory: args.memory ?? 512,
    minTasks: args.minTasks ?? 1,
    maxTasks: args.maxTasks ?? 2,
    environment: args.environment ?? {},
    secrets: args.secrets ?? {},
    secretKmsKeyArns: args.secretKmsKeyArns ?? [],
    permissions: args.permissions ?? [],
    capacity: args.capacity ?? "FARGATE",
    readonlyRootFilesystem: args.readonlyRootFilesystem ?? true,
    logRetentionDays: args.logRetentionDays ?? 30,
    scheduledScaling: args.scheduledScaling ?? false,
    cpuTargetPercent: args.cpuTargetPercent ?? 60,
    keepImages: args.keepImages ?? 30,
    protect: args.protect ?? false,
    tags: args.tags ?? {},
  };
}
