import * as pulumi from "@pulumi/pulumi";
import { taskRunProvider, type TaskRunInputs } from "./provider";

export interface EcsTaskRunArgs {
  readonly region: pulumi.Input<string>;
  readonly cluster: pulumi.Input<string>;
  /** The task definition's ARN with its revision: a new revision runs the task again. */
  readonly taskDefinition: pulumi.Input<string>;
  readonly subnets: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroups: pulumi.Input<pulumi.Input<string>[]>;
  /** Runs the task again when it changes. */
  readonly trigger: pulumi.Input<string>;
  /** @default 600 */
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
    const inputs: Record<keyof TaskRunInputs, pulumi.Input<unknown>> = {
      region: args.region,
      cluster: args.cluster,
      taskDefinition: args.taskDefinition,
      subnets: args.subnets,
      securityGroups: args.securityGroups,
      trigger: args.trigger,
      timeoutSeconds: args.timeoutSeconds ?? 600,
      description: args.description,
    };
    super(taskRunProvider, name, { ...inputs, taskArn: undefined, exitCode: undefined }, opts);
  }
}
