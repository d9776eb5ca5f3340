import type * as aws from "@pulumi/aws";
import type { ServiceConnection } from "../consumers";
import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import type { FargateCapacity, ImageSource, TaskPermission } from "../api-service";
import type { AwsNetworkOutputs, DockerNetworkOutputs } from "../network";
import type { Transform } from "../transform";

/** What both variants run: the image, its command and environment, and when. */
interface CommonScheduledTaskArgs {
  /** The image: prebuilt, or built from a folder (in AWS, pushed to a repository of the task's own). */
  readonly image: ImageSource;
  /**
   * The container's command, replacing the image's `CMD`.
   * @default - the image's own command
   * @example ["node", "dist/jobs/nightly-report.js"]
   */
  readonly command?: readonly string[];
  /**
   * When it runs, as EventBridge Scheduler reads it: `cron(minutes hours day-of-month month day-of-week year)` (six
   * fields, `?` in one of the two day fields) or `rate(<n> minute(s)|hour(s)|day(s)`. Locally it is only a label: a
   * local cron runs by hand (`runCommand`).
   * @example "cron(0 3 * * ? *)" - every day at 03:00 in `timezone`
   */
  readonly schedule: string;
  /** Plain environment values (no secrets: names that look like one are refused). @default {} */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Secrets by environment name. In AWS: Secrets Manager secret ARNs that ECS injects at start; locally: the values
   * themselves (e.g. the local database URL), kept secret. @default {}
   */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Arguments of the AWS variant of {@link ScheduledTask}. */
export interface AwsScheduledTaskArgs extends CommonScheduledTaskArgs {
  readonly target: "aws";
  /** The task runs in the private subnets (no public IP) and waits for their egress routes. */
  readonly network: AwsNetworkOutputs;
  /** The ECS cluster the task runs in (an `ApiService`'s `cloud.clusterArn` and `cloud.clusterName`). */
  readonly cluster: { readonly arn: pulumi.Input<string>; readonly name: pulumi.Input<string> };
  /** IANA time zone the cron expression is read in; daylight saving time follows it. @default "UTC" */
  readonly timezone?: string;
  /** How long one run may take before it is stopped as failed (1 minute to a year). @default 60 */
  readonly timeoutMinutes?: number;
  /**
   * How many times a failed run is retried (0 to 10), after 1, 2, 4 … minutes. A run that timed out is not retried.
   * @default 2
   */
  readonly retries?: number;
  /** Fargate CPU units. @default 256 */
  readonly cpu?: number;
  /** MiB, a size Fargate offers for `cpu`. @default 512 */
  readonly memory?: number;
  /** KMS keys the secrets are encrypted with (customer-managed keys need `kms:Decrypt`). @default [] */
  readonly secretKmsKeyArns?: readonly pulumi.Input<string>[];
  /** What the task may do in AWS (its task role). @default [] */
  readonly permissions?: readonly TaskPermission[];
  /** Network paths to the database or the cache: both rules of each, in place before the first run. @default [] */
  readonly connections?: readonly ServiceConnection[];
  /**
   * Whether something else (office hours) switches the failure alarm's actions off and on: an update then leaves
   * `actionsEnabled` alone. @default false
   */
  readonly alarmActionsScheduled?: boolean;
  /**
   * The Fargate capacity: `FARGATE_SPOT` costs about 70 % less and may be interrupted (the run then fails and is
   * retried); the cluster must offer it (an `ApiService`'s own cluster does).
   * @default "FARGATE"
   */
  readonly capacity?: FargateCapacity;
  /** SNS topics told when a run fails, times out or is aborted. @default [] - the alarm exists, but tells no one */
  readonly alarmTopicArns?: readonly pulumi.Input<string>[];
  /** A KMS key CloudWatch Logs may use (the stack's logs key) for both log groups. @default - CloudWatch's own */
  readonly logsKmsKeyArn?: pulumi.Input<string>;
  /** Days CloudWatch keeps the task's and the state machine's logs. @default 30 */
  readonly logRetentionDays?: number;
  /** An existing EventBridge Scheduler schedule group. @default - the account's `default` group */
  readonly scheduleGroupName?: string;
  /** Whether the schedule fires; `false` keeps everything but starts no run. @default true */
  readonly enabled?: boolean;
  /** ECR keeps this many images (a build only). @default 30 */
  readonly keepImages?: number;
  readonly tags?: Readonly<Record<string, string>>;
  readonly transform?: {
    readonly repository?: Transform<aws.ecr.RepositoryArgs>;
    readonly image?: Transform<docker.ImageArgs>;
    readonly taskDefinition?: Transform<aws.ecs.TaskDefinitionArgs>;
    readonly stateMachine?: Transform<aws.sfn.StateMachineArgs>;
    readonly schedule?: Transform<aws.scheduler.ScheduleArgs>;
    readonly alarm?: Transform<aws.cloudwatch.MetricAlarmArgs>;
  };
}

/** Arguments of the local (dev) variant of {@link ScheduledTask}: the image as a container that runs by hand. */
export interface DockerScheduledTaskArgs extends CommonScheduledTaskArgs {
  readonly target: "docker";
  /** The stack's Docker network (where the local Postgres and Redis are). */
  readonly network: DockerNetworkOutputs;
  readonly transform?: {
    readonly image?: Transform<docker.ImageArgs>;
    readonly container?: Transform<docker.ContainerArgs>;
  };
}

export type ResolvedAwsScheduledTaskArgs = Required<
  Omit<AwsScheduledTaskArgs, "transform" | "command" | "logsKmsKeyArn" | "scheduleGroupName">
> &
  Pick<AwsScheduledTaskArgs, "transform" | "command" | "logsKmsKeyArn" | "scheduleGroupName">;

/** The AWS variant's args with every default filled (pure). */
export function awsScheduledTaskDefaults(args: AwsScheduledTaskArgs): ResolvedAwsScheduledTaskArgs {
  return {
    ...args,
    timezone: args.timezone ?? "UTC",
    timeoutMinutes: args.timeoutMinutes ?? 60,
    retries: args.retries ?? 2,
    cpu: args.cpu ?? 256,
    memory: args.memory ?? 512,
    environment: args.environment ?? {},
    secrets: args.secrets ?? {},
    secretKmsKeyArns: args.secretKmsKeyArns ?? [],
    permissions: args.permissions ?? [],
    capacity: args.capacity ?? "FARGATE",
    alarmTopicArns: args.alarmTopicArns ?? [],
    logRetentionDays: args.logRetentionDays ?? 30,
    enabled: args.enabled ?? true,
    connections: args.connections ?? [],
    alarmActionsScheduled: args.alarmActionsScheduled ?? false,
    keepImages: args.keepImages ?? 30,
    tags: args.tags ?? {},
  };
}
