import * as pulumi from "@pulumi/pulumi";
import { taskRunProvider, type TaskRunInputs } from "./provider";

/**
 * How long a run may wait for its task, in seconds. The floor leaves Fargate time to start a task (30–60 s) and stays
 * above the waiter's first poll (6 s: a shorter wait is refused by the SDK, not waited). The ceiling is the deploy
 * role's session: configure-aws-credentials gives CI one hour, and a run outliving it could not stop its task.
 */
export const TASK_RUN_TIMEOUT_SECONDS = { min: 60, max: 3600, default: 600 } as const;

/** What is wrong with a run's timeout (nothing when it is a whole number of seconds within the limits). Pure. */
export function taskRunTimeoutProblem(key: string, value: number | undefined): string | undefined {
  const { min, max } = TASK_RUN_TIMEOUT_SECONDS;
  if (value === undefined || (Number.isInteger(value) && value >= min && value <= max)) return undefined;
  return `${key} must be a whole number of seconds from ${min} to ${max} (got ${value})`;
}

export interface EcsTaskRunArgs {
  readonly region: pulumi.Input<string>;
  readonly cluster: pulumi.Input<string>;
  /** The task definition's ARN with its revision: a new revision runs the task again. */
  readonly taskDefinition: pulumi.Input<string>;
  readonly subnets: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroups: pulumi.Input<pulumi.Input<string>[]>;
  /** Runs the task again when it changes. */
  readonly trigger: pulumi.Input<string>;
  /** From 60 to 3600 ({@link TASK_RUN_TIMEOUT_SECONDS}). @default 600 */
  readonly timeoutSeconds?: number;
  readonly description: string;
}

/**
 * One run of an ECS task on `pulumi up`, which fails the `up` unless the task exits 0 (a dynamic resource: see
 * ./provider.ts). It never runs in `pulumi preview`, in the offline synth or in tests, which record it like any
 * other resource.
 */
export class EcsTaskRun extends pulumi.dynamic.Resource {
  declare public readonly taskArn: pulumi.Output<string>;
  declare public readonly exitCode: pulumi.Output<number>;

  constructor(name: string, args: EcsTaskRunArgs, opts?: pulumi.CustomResourceOptions) {
    const problem = taskRunTimeoutProblem("timeoutSeconds", args.timeoutSeconds);
    if (problem !== undefined) throw new pulumi.RunError(`EcsTaskRun "${name}" (${args.description}): ${problem}`);
    const inputs: Record<keyof TaskRunInputs, pulumi.Input<unknown>> = {
      region: args.region,
      cluster: args.cluster,
      taskDefinition: args.taskDefinition,
      subnets: args.subnets,
      securityGroups: args.securityGroups,
      trigger: args.trigger,
      timeoutSeconds: args.timeoutSeconds ?? TASK_RUN_TIMEOUT_SECONDS.default,
      description: args.description,
    };
    super(taskRunProvider, name, { ...inputs, taskArn: undefined, exitCode: undefined }, opts);
  }
}
