import type * as aws from "@pulumi/aws";
import { egressTo } from "../api-service/connections";
import * as pulumi from "@pulumi/pulumi";
import { permissionProblems as taskPermissionProblems, SECRET_LIKE } from "../api-service/checks";
import { CLUSTER_CAPACITY_PROVIDERS } from "../api-service/aws-args";
import { imageSourceProblems } from "../api-service/image";
import { FARGATE_MEMORY_BY_CPU } from "../aws-facts";
import { isTimeZone } from "../office-hours/hours";
import type { AwsOnly, DockerOnly, Target } from "../target";
import { logRetentionProblems, throwIfInvalid } from "../validation";
import { awsScheduledTaskDefaults, type AwsScheduledTaskArgs, type DockerScheduledTaskArgs } from "./args";
import { createAwsScheduledTask, type AwsScheduledTaskOutputs } from "./aws";
import { createDockerScheduledTask, type DockerScheduledTaskOutputs } from "./docker";
import { MAX_EXECUTION_MINUTES, MAX_RETRIES, scheduleExpressionProblems, worstCaseMinutes } from "./schedule";

/** `target: "aws"`: Scheduler → Step Functions → a Fargate task; `target: "docker"` (dev): a container run by hand. */
export type ScheduledTaskArgs = AwsScheduledTaskArgs | DockerScheduledTaskArgs;

/**
 * A job on a schedule (the `cron` kind of app service). In AWS: an EventBridge Scheduler schedule starts a Standard
 * Step Functions execution, which runs the image as one Fargate task in the private subnets and waits for it, with a
 * timeout per run and retries; a run that fails, times out or is aborted sets off an alarm. Locally: the same image as
 * a container on the dev network that runs only when asked (`runCommand`).
 */
export class ScheduledTask<T extends Target = Target> extends pulumi.ComponentResource {
  /** How to run the job now, by hand: `aws stepfunctions start-execution …` in AWS, `docker start -a …` locally. */
  public readonly runCommand: pulumi.Output<string>;
  /** The image the task runs (a digest when built here in AWS). */
  public readonly imageRef: pulumi.Output<string>;
  /** The AWS variant's outputs (typed exactly by `target`). */
  public readonly cloud: AwsOnly<T, AwsScheduledTaskOutputs>;
  /** The local variant's outputs (typed exactly by `target`). */
  public readonly local: DockerOnly<T, DockerScheduledTaskOutputs>;
  private readonly componentName: string;

  constructor(name: string, args: ScheduledTaskArgs & { readonly target: T }, opts?: pulumi.ComponentResourceOptions) {
    validateScheduledTaskArgs(name, args);
    super("saas-platform:components:ScheduledTask", name, {}, opts);
    this.componentName = name;
    const a: ScheduledTaskArgs = args;
    if (a.target === "aws") {
      const cloud = createAwsScheduledTask(name, awsScheduledTaskDefaults(a), this);
      this.cloud = cloud as AwsOnly<T, AwsScheduledTaskOutputs>;
      this.local = undefined as DockerOnly<T, DockerScheduledTaskOutputs>;
      this.imageRef = cloud.imageRef;
      this.runCommand = pulumi.interpolate`aws stepfunctions start-execution --state-machine-arn ${cloud.stateMachineArn}`;
      this.registerOutputs({
        stateMachineArn: cloud.stateMachineArn,
        scheduleName: cloud.scheduleName,
        logGroupName: cloud.logGroupName,
        alarmName: cloud.alarmName,
      });
    } else {
      const local = createDockerScheduledTask(name, a, this);
      this.cloud = undefined as AwsOnly<T, AwsScheduledTaskOutputs>;
      this.local = local as DockerOnly<T, DockerScheduledTaskOutputs>;
      this.imageRef = local.imageRef;
      this.runCommand = pulumi.interpolate`docker start -a ${local.containerName}`;
      this.registerOutputs({ runCommand: this.runCommand });
    }
  }

  /**
   * Lets the task connect to another security group on one TCP port (AWS only), e.g. the database's on 5432. With
   * HTTPS out, these are the only connections the task may open.
   */
  allowTo(target: string, securityGroupId: pulumi.Input<string>, port: number): aws.vpc.SecurityGroupEgressRule {
    if (this.cloud === undefined) {
      throw new pulumi.RunError(`${this.componentName}.allowTo("${target}") needs the AWS variant`);
    }
    return egressTo(this.componentName, target, { from: this.cloud.securityGroupId, to: securityGroupId, port }, this);
  }
}

/** An EventBridge Scheduler schedule group name: 1 to 64 of letters, digits, `-`, `_` and `.`. */
const SCHEDULE_GROUP_NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

/** Every problem with the args at once, before any child is declared. */
export function validateScheduledTaskArgs(name: string, args: ScheduledTaskArgs): void {
  const problems: string[] = [...imageSourceProblems(args.image)];
  problems.push(...scheduleExpressionProblems(args.schedule));
  const command = args.command;
  if (command !== undefined && (command.length === 0 || command.some((part) => typeof part !== "string"))) {
    problems.push(`command must list the program and its arguments as strings (got ${JSON.stringify(command)})`);
  }
  const secretLooking = Object.keys(args.environment ?? {}).filter((k) => SECRET_LIKE.test(k));
  if (secretLooking.length > 0) {
    problems.push(`environment must not carry credentials: move ${secretLooking.join(", ")} to secrets`);
  }
  const both = Object.keys(args.environment ?? {}).filter((k) => k in (args.secrets ?? {}));
  if (both.length > 0) problems.push(`${both.join(", ")} is set in both environment and secrets; keep one`);

  if (args.target === "aws") {
    const a = awsScheduledTaskDefaults(args);
    if (!isTimeZone(a.timezone)) {
      problems.push(
        `timezone must be an IANA time zone such as UTC or Europe/Dublin (got ${JSON.stringify(a.timezone)})`,
      );
    }
    const timeoutValid =
      Number.isInteger(a.timeoutMinutes) && a.timeoutMinutes >= 1 && a.timeoutMinutes <= MAX_EXECUTION_MINUTES;
    if (!timeoutValid) {
      problems.push(
        `timeoutMinutes must be a whole number from 1 to ${MAX_EXECUTION_MINUTES} (a year, the longest a Step Functions execution runs) (got ${a.timeoutMinutes})`,
      );
    }
    const retriesValid = Number.isInteger(a.retries) && a.retries >= 0 && a.retries <= MAX_RETRIES;
    if (!retriesValid) problems.push(`retries must be a whole number from 0 to ${MAX_RETRIES} (got ${a.retries})`);
    if (timeoutValid && retriesValid && worstCaseMinutes(a.timeoutMinutes, a.retries) > MAX_EXECUTION_MINUTES) {
      problems.push(
        `timeoutMinutes × (retries + 1) must fit in one Step Functions execution (a year): lower timeoutMinutes or retries (got ${a.timeoutMinutes} × ${a.retries + 1})`,
      );
    }
    const memories = FARGATE_MEMORY_BY_CPU[a.cpu];
    if (memories === undefined) {
      problems.push(`cpu must be a Fargate size: ${Object.keys(FARGATE_MEMORY_BY_CPU).join(", ")} (got ${a.cpu})`);
    } else if (!memories.includes(a.memory)) {
      problems.push(`memory must be one Fargate offers for cpu ${a.cpu}: ${memories.join(", ")} MiB (got ${a.memory})`);
    }
    problems.push(...logRetentionProblems("logRetentionDays", a.logRetentionDays));
    problems.push(...taskPermissionProblems(a.permissions));
    if (!(CLUSTER_CAPACITY_PROVIDERS as readonly string[]).includes(a.capacity)) {
      problems.push(`capacity must be "FARGATE" or "FARGATE_SPOT" (got "${String(a.capacity)}")`);
    }
    if (!Number.isInteger(a.keepImages) || a.keepImages < 1) {
      problems.push(`keepImages must be at least 1 (got ${a.keepImages})`);
    }
    if (a.scheduleGroupName !== undefined && !SCHEDULE_GROUP_NAME.test(a.scheduleGroupName)) {
      problems.push(
        `scheduleGroupName must be 1 to 64 letters, digits, -, _ or . (got ${JSON.stringify(a.scheduleGroupName)})`,
      );
    }
  }
  throwIfInvalid("ScheduledTask", name, problems);
}
