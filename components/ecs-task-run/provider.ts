import type * as EcsSdk from "@aws-sdk/client-ecs";
import type * as pulumi from "@pulumi/pulumi";

type EcsModule = typeof EcsSdk;

/** What one run needs: plain values, as the dynamic provider receives them. */
export interface TaskRunInputs {
  readonly region: string;
  readonly cluster: string;
  readonly taskDefinition: string;
  readonly subnets: string[];
  readonly securityGroups: string[];
  /** A new value runs the task again (e.g. a hash of what it does, the image digest). */
  readonly trigger: string;
  readonly timeoutSeconds: number;
  /** Named in errors: what the run was for. */
  readonly description: string;
}

export interface TaskRunOutputs extends TaskRunInputs {
  readonly taskArn: string;
  readonly exitCode: number;
}

/**
 * Runs an ECS task once on `pulumi up` (create, and update when the trigger or the task definition changes) and waits
 * for it to stop: a non-zero exit, a task that never started or one that outlived `timeoutSeconds` fails the `up`
 * with the reason. `pulumi preview` calls only `diff` (the engine never creates a dynamic resource in a preview), and
 * a destroy runs nothing. Credentials come from the environment of the `pulumi` process (the AWS SDK's default chain:
 * the same ones the AWS provider uses in CI).
 */
export const taskRunProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id: string, olds: TaskRunOutputs, news: TaskRunInputs): Promise<pulumi.dynamic.DiffResult> {
    const changed = (["trigger", "taskDefinition", "cluster", "region"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: TaskRunInputs): Promise<pulumi.dynamic.CreateResult> {
    const result = await runTaskOnce(inputs);
    return { id: result.taskArn, outs: { ...inputs, ...result } };
  },

  async update(_id: string, _olds: TaskRunOutputs, news: TaskRunInputs): Promise<pulumi.dynamic.UpdateResult> {
    const result = await runTaskOnce(news);
    return { outs: { ...news, ...result } };
  },

  // Nothing to undo: the task has stopped, and its logs stay in the service's log group.
  async delete(): Promise<void> {},
};

/** RunTask, wait for STOPPED, read the exit code. Throws with what happened. */
export async function runTaskOnce(inputs: TaskRunInputs): Promise<{ taskArn: string; exitCode: number }> {
  // Required here, not imported: the dynamic provider is serialised with its code, and runs in the engine's process.
  const ecs = require("@aws-sdk/client-ecs") as EcsModule;
  const client = new ecs.ECSClient({ region: inputs.region });
  const started = await client.send(
    new ecs.RunTaskCommand({
      cluster: inputs.cluster,
      taskDefinition: inputs.taskDefinition,
      launchType: "FARGATE",
      count: 1,
      startedBy: "pulumi-task-run",
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: inputs.subnets,
          securityGroups: inputs.securityGroups,
          assignPublicIp: "DISABLED",
        },
      },
    }),
  );
  const taskArn = started.tasks?.[0]?.taskArn;
  if (taskArn === undefined) {
    const why = (started.failures ?? []).map((f) => `${f.reason ?? "unknown"}${f.detail ? ` (${f.detail})` : ""}`);
    throw new Error(`${inputs.description}: ECS did not start the task: ${why.join("; ") || "no reason given"}`);
  }
  try {
    await ecs.waitUntilTasksStopped(
      { client, maxWaitTime: inputs.timeoutSeconds, minDelay: 6, maxDelay: 15 },
      { cluster: inputs.cluster, tasks: [taskArn] },
    );
  } catch {
    await client.send(
      new ecs.StopTaskCommand({ cluster: inputs.cluster, task: taskArn, reason: "timed out under pulumi up" }),
    );
    throw new Error(`${inputs.description}: task ${taskArn} did not finish within ${inputs.timeoutSeconds} s; stopped`);
  }
  const described = await client.send(new ecs.DescribeTasksCommand({ cluster: inputs.cluster, tasks: [taskArn] }));
  const task = described.tasks?.[0];
  return { taskArn, exitCode: exitCodeOf(inputs.description, taskArn, task) };
}

/** The essential container's exit code, or an error naming why the task stopped. Pure. */
export function exitCodeOf(
  description: string,
  taskArn: string,
  task:
    | {
        stopCode?: string;
        stoppedReason?: string;
        containers?: Array<{ name?: string; exitCode?: number; reason?: string }>;
      }
    | undefined,
): number {
  const container = task?.containers?.[0];
  const code = container?.exitCode;
  if (code === 0) return 0;
  const reason = [task?.stopCode, task?.stoppedReason, container?.reason].filter(Boolean).join(": ");
  throw new Error(
    `${description}: task ${taskArn} ${code === undefined ? "stopped before its container ran" : `exited with code ${code}`}${reason ? ` (${reason})` : ""}; its logs are in the service's log group`,
  );
}
