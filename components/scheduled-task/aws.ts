import * as aws from "@pulumi/aws";
import { serviceConnections } from "../api-service/connections";
import * as pulumi from "@pulumi/pulumi";
import { serviceImage } from "../api-service/repository";
import { executionPolicy, permissionsPolicy } from "../api-service/roles";
import { serviceTrustPolicy } from "../iam";
import { namingScope, physicalName } from "../naming";
import { transform } from "../transform";
import type { ResolvedAwsScheduledTaskArgs } from "./args";
import { stateMachineDefinition } from "./schedule";

/** The name of the task's one container. */
export const CONTAINER = "app";

/**
 * The rule Step Functions manages to hear that an ECS task stopped: the Run a Job (`.sync`) integration puts it in the
 * account, so its role needs `events:PutTargets`, `PutRule` and `DescribeRule` on it (Step Functions developer guide,
 * "IAM policies for Amazon ECS/AWS Fargate").
 */
export const ECS_EVENTS_RULE = "StepFunctionsGetEventsForECSTaskRule";

export interface AwsScheduledTaskOutputs {
  readonly stateMachineArn: pulumi.Output<string>;
  readonly scheduleName: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;
  /** The task's logs (what the container prints); the state machine logs its errors to a group of its own. */
  readonly logGroupName: pulumi.Output<string>;
  readonly stateMachineLogGroupName: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  /** The alarm on failed, timed-out and aborted runs. */
  readonly alarmName: pulumi.Output<string>;
  /** The failure alarm's ARN (office hours switch its actions off at night with the stack's other alarms). */
  readonly alarmArn: pulumi.Output<string>;
  readonly imageRef: pulumi.Output<string>;
  /** Absent for a prebuilt image. */
  readonly repositoryUrl: pulumi.Output<string> | undefined;
}

/**
 * The AWS variant: the image (and its repository), the task's log group, roles, security group and task definition;
 * a Standard state machine that runs the task once per execution with a timeout and retries; a schedule that starts
 * an execution; an alarm on executions that did not succeed.
 */
export function createAwsScheduledTask(
  name: string,
  args: ResolvedAwsScheduledTaskArgs,
  parent: pulumi.ComponentResource,
): AwsScheduledTaskOutputs {
  const child = { parent };
  const scope = namingScope();
  const tags = { ...args.tags };
  const accountId = aws.getCallerIdentityOutput({}, child).accountId;
  const region = aws.getRegionOutput({}, child).region;
  const partition = aws.getPartitionOutput({}, child).partition;
  const family = physicalName(scope, name);
  const logs = (id: string, groupName: string) =>
    new aws.cloudwatch.LogGroup(
      `${name}-${id}`,
      {
        name: groupName,
        retentionInDays: args.logRetentionDays,
        ...(args.logsKmsKeyArn === undefined ? {} : { kmsKeyId: args.logsKmsKeyArn }),
        tags,
      },
      child,
    );

  const { repository, imageRef } = serviceImage({
    name,
    parent,
    scope,
    tags,
    args: { image: args.image, keepImages: args.keepImages, protect: false, transform: args.transform },
  });
  const logGroup = logs("logs", `/ecs/${family}`);

  const ecsTrust = serviceTrustPolicy("ecs-tasks.amazonaws.com", accountId);
  const executionRole = new aws.iam.Role(
    `${name}-execution`,
    {
      description: `ECS starts ${name}: pull its image, write its logs, read its secrets`,
      assumeRolePolicy: ecsTrust,
      tags,
    },
    child,
  );
  const executionRolePolicy = new aws.iam.RolePolicy(
    `${name}-execution`,
    {
      role: executionRole.id,
      policy: executionPolicy({
        repositoryArn: repository?.arn,
        logGroupArn: logGroup.arn,
        secretArns: Object.values(args.secrets),
        kmsKeyArns: args.secretKmsKeyArns,
        region,
      }),
    },
    child,
  );
  const taskRole = new aws.iam.Role(
    `${name}-task`,
    { description: `What ${name} itself may do in AWS (nothing unless granted)`, assumeRolePolicy: ecsTrust, tags },
    child,
  );
  const taskRolePolicies =
    args.permissions.length === 0
      ? []
      : [
          new aws.iam.RolePolicy(
            `${name}-task`,
            { role: taskRole.id, policy: permissionsPolicy(args.permissions) },
            child,
          ),
        ];

  // No ingress: nothing connects to a job. HTTPS out (AWS APIs, the image registry, third parties); the database and
  // the cache are reached by security group (`allowTo`).
  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-task`,
    {
      vpcId: args.network.vpcId,
      description: `${name} scheduled task: no ingress, HTTPS out`,
      tags: { ...tags, Name: physicalName(scope, `${name}-task`) },
    },
    child,
  );
  const httpsOut = new aws.vpc.SecurityGroupEgressRule(
    `${name}-https`,
    {
      securityGroupId: securityGroup.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "HTTPS out",
    },
    child,
  );
  // Both rules of each path to the database and the cache (see ApiService's `connections`).
  const connectionRules = serviceConnections({ name, parent, args, serviceSecurityGroupId: securityGroup.id });

  const taskDefinition = new aws.ecs.TaskDefinition(
    ...transform(
      args.transform?.taskDefinition,
      `${name}-task`,
      {
        family,
        cpu: String(args.cpu),
        memory: String(args.memory),
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        volumes: [{ name: "tmp" }],
        containerDefinitions: containerDefinitions(args, imageRef, logGroup.name, region),
        tags,
      },
      child,
    ),
  );

  const stateMachineLogs = logs("state-machine-logs", `/aws/vendedlogs/states/${family}`);
  const stateMachineRole = new aws.iam.Role(
    `${name}-state-machine`,
    {
      description: `Step Functions runs ${name} on ECS and waits for it`,
      assumeRolePolicy: serviceTrustPolicy("states.amazonaws.com", accountId),
      tags,
    },
    child,
  );
  const stateMachinePolicy = new aws.iam.RolePolicy(
    `${name}-state-machine`,
    {
      role: stateMachineRole.id,
      policy: pulumi
        .all([partition, region, accountId, pulumi.output(args.cluster.arn), executionRole.arn, taskRole.arn])
        .apply(([arn, awsRegion, account, clusterArn, executionRoleArn, taskRoleArn]) =>
          JSON.stringify({
            Version: "2012-10-17",
            // Step Functions developer guide, "IAM policies for Amazon ECS/AWS Fargate" (Run a Job, static resources),
            // narrowed to this family and cluster; the log-delivery actions ("Using CloudWatch Logs to log execution
            // history") have no resource-level permissions.
            Statement: [
              {
                Sid: "RunTask",
                Effect: "Allow",
                Action: ["ecs:RunTask"],
                Resource: [`arn:${arn}:ecs:${awsRegion}:${account}:task-definition/${family}:*`],
                Condition: { ArnEquals: { "ecs:cluster": clusterArn } },
              },
              {
                Sid: "WatchAndStopTask",
                Effect: "Allow",
                Action: ["ecs:DescribeTasks", "ecs:StopTask"],
                Resource: "*",
                Condition: { ArnEquals: { "ecs:cluster": clusterArn } },
              },
              {
                Sid: "PassTaskRoles",
                Effect: "Allow",
                Action: ["iam:PassRole"],
                Resource: [executionRoleArn, taskRoleArn],
                Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
              },
              {
                Sid: "TaskStoppedEvents",
                Effect: "Allow",
                Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                Resource: [`arn:${arn}:events:${awsRegion}:${account}:rule/${ECS_EVENTS_RULE}`],
              },
              {
                Sid: "DeliverLogs",
                Effect: "Allow",
                Action: [
                  "logs:CreateLogDelivery",
                  "logs:GetLogDelivery",
                  "logs:UpdateLogDelivery",
                  "logs:DeleteLogDelivery",
                  "logs:ListLogDeliveries",
                  "logs:PutResourcePolicy",
                  "logs:DescribeResourcePolicies",
                  "logs:DescribeLogGroups",
                ],
                Resource: "*",
              },
            ],
          }),
        ),
    },
    child,
  );
  const stateMachine = new aws.sfn.StateMachine(
    ...transform(
      args.transform?.stateMachine,
      `${name}-state-machine`,
      {
        name: physicalName(scope, name, "stateMachine"),
        type: "STANDARD",
        roleArn: stateMachineRole.arn,
        definition: pulumi
          .all([
            pulumi.output(args.cluster.arn),
            taskDefinition.arn,
            pulumi.output(args.network.privateSubnetIds),
            securityGroup.id,
          ])
          .apply(([clusterArn, taskDefinitionArn, subnetIds, securityGroupId]) =>
            JSON.stringify(
              stateMachineDefinition(name, {
                clusterArn,
                taskDefinitionArn,
                subnetIds,
                securityGroupId,
                capacity: args.capacity,
                timeoutMinutes: args.timeoutMinutes,
                retries: args.retries,
              }),
            ),
          ),
        // Errors only: a Standard workflow keeps its full history in Step Functions for 90 days anyway.
        loggingConfiguration: {
          logDestination: pulumi.interpolate`${stateMachineLogs.arn}:*`,
          includeExecutionData: false,
          level: "ERROR",
        },
        tags,
      },
      // Step Functions checks at creation that the role may deliver the logs.
      { ...child, dependsOn: [stateMachinePolicy] },
    ),
  );

  const schedulerRole = new aws.iam.Role(
    `${name}-scheduler`,
    {
      description: `EventBridge Scheduler starts ${name} on its schedule`,
      assumeRolePolicy: serviceTrustPolicy("scheduler.amazonaws.com", accountId),
      tags,
    },
    child,
  );
  const schedulerPolicy = new aws.iam.RolePolicy(
    `${name}-scheduler`,
    {
      role: schedulerRole.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "StartRun", Effect: "Allow", Action: ["states:StartExecution"], Resource: [stateMachine.arn] },
        ],
      }),
    },
    child,
  );
  const schedule = new aws.scheduler.Schedule(
    ...transform(
      args.transform?.schedule,
      `${name}-schedule`,
      {
        name: physicalName(scope, name, "schedulerSchedule"),
        ...(args.scheduleGroupName === undefined ? {} : { groupName: args.scheduleGroupName }),
        description: `Runs ${name} (${args.schedule} ${args.timezone})`,
        scheduleExpression: args.schedule,
        scheduleExpressionTimezone: args.timezone,
        flexibleTimeWindow: { mode: "OFF" },
        state: args.enabled ? "ENABLED" : "DISABLED",
        target: {
          // A templated target: the state machine's ARN means StartExecution (Scheduler user guide, "Templated
          // targets"). The definition reads no input; an explicit empty object keeps it valid JSON.
          arn: stateMachine.arn,
          roleArn: schedulerRole.arn,
          input: "{}",
          // Only a StartExecution that fails (throttling) is retried; a run that fails is the state machine's retry.
          retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
        },
      },
      // The first run may come right after creation: the roles must allow every call and the subnets reach out.
      {
        ...child,
        dependsOn: [
          schedulerPolicy,
          stateMachinePolicy,
          executionRolePolicy,
          ...taskRolePolicies,
          ...args.network.egressReady,
          httpsOut,
          ...connectionRules,
        ],
      },
    ),
  );

  const metric = (id: string, metricName: string) => ({
    id,
    metric: {
      namespace: "AWS/States",
      metricName,
      dimensions: { StateMachineArn: stateMachine.arn },
      period: 60,
      stat: "Sum",
    },
  });
  // One alarm on the sum, not three: one notification per bad run and one name to silence. No OK action: missing
  // data is not breaching, so the alarm returns to OK a minute later whether or not the job was fixed.
  const alarm = new aws.cloudwatch.MetricAlarm(
    ...transform(
      args.transform?.alarm,
      `${name}-failed`,
      {
        alarmDescription: `A run of the scheduled task ${name} failed, timed out or was aborted (see its executions in Step Functions and its logs)`,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "notBreaching",
        metricQueries: [
          metric("failed", "ExecutionsFailed"),
          metric("timedout", "ExecutionsTimedOut"),
          metric("aborted", "ExecutionsAborted"),
          {
            id: "unsuccessful",
            expression: "SUM([failed, timedout, aborted])",
            label: "Runs that did not succeed",
            returnData: true,
          },
        ],
        alarmActions: [...args.alarmTopicArns],
        tags,
      },
      // Office hours switch the alarm's actions off at night: an update or refresh must not switch them on.
      args.alarmActionsScheduled ? { ...child, ignoreChanges: ["actionsEnabled"] } : child,
    ),
  );

  return {
    stateMachineArn: stateMachine.arn,
    scheduleName: schedule.name,
    taskDefinitionArn: taskDefinition.arn,
    logGroupName: logGroup.name,
    stateMachineLogGroupName: stateMachineLogs.name,
    securityGroupId: securityGroup.id,
    taskRoleArn: taskRole.arn,
    alarmName: alarm.name,
    alarmArn: alarm.arn,
    imageRef,
    repositoryUrl: repository?.repositoryUrl,
  };
}

/** The container: read-only root with a writable /tmp, plain environment and secrets (`valueFrom` ARNs) apart. */
function containerDefinitions(
  args: ResolvedAwsScheduledTaskArgs,
  imageRef: pulumi.Output<string>,
  logGroupName: pulumi.Output<string>,
  region: pulumi.Output<string>,
): pulumi.Output<string> {
  const env = Object.entries(args.environment).sort(([a], [b]) => a.localeCompare(b));
  const secrets = Object.entries(args.secrets).sort(([a], [b]) => a.localeCompare(b));
  return pulumi
    .all([
      imageRef,
      logGroupName,
      region,
      pulumi.all(env.map(([, v]) => pulumi.output(v))),
      pulumi.all(secrets.map(([, v]) => pulumi.output(v))),
    ])
    .apply(([image, group, awsRegion, envValues, secretArns]) =>
      JSON.stringify([
        {
          name: CONTAINER,
          image,
          essential: true,
          ...(args.command === undefined ? {} : { command: [...args.command] }),
          environment: env.map(([key], i) => ({ name: key, value: envValues[i] })),
          secrets: secrets.map(([key], i) => ({ name: key, valueFrom: secretArns[i] })),
          readonlyRootFilesystem: true,
          mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
          linuxParameters: { initProcessEnabled: true },
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": group, "awslogs-region": awsRegion, "awslogs-stream-prefix": CONTAINER },
          },
        },
      ]),
    );
}
