import * as pulumi from "@pulumi/pulumi";
import { Network, type AwsNetworkOutputs, type DockerNetworkOutputs } from "../../components/network";
import {
  MAX_EXECUTION_MINUTES,
  ScheduledTask,
  scheduleExpressionProblems,
  worstCaseMinutes,
  type ScheduledTaskArgs,
} from "../../components/scheduled-task";
import { recordProgram, type SynthError, type SynthResult } from "../../synth/synth";
import { API_CONTEXT, ofType, physical, resource } from "../helpers/synth";

const T = {
  schedule: "aws:scheduler/schedule:Schedule",
  stateMachine: "aws:sfn/stateMachine:StateMachine",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  taskDef: "aws:ecs/taskDefinition:TaskDefinition",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  repo: "aws:ecr/repository:Repository",
  lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  image: "docker:index/image:Image",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  container: "docker:index/container:Container",
} as const;

const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/app`;
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:app/database-url-AbCdEf`;
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0000-1111`;
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:notify`;

/** A network of plain values: the task's subnets and VPC are then known exactly. */
const fakeNetwork = () =>
  ({
    vpcId: pulumi.output("vpc-0123"),
    privateSubnetIds: pulumi.output(["subnet-a", "subnet-b"]),
    egressReady: [],
  }) as unknown as AwsNetworkOutputs;

/** The AWS variant with only what it needs, plus `extra`; the task's outputs come back as stack outputs. */
const aws = (extra: Partial<Extract<ScheduledTaskArgs, { target: "aws" }>> = {}, network = fakeNetwork) =>
  recordProgram(STACK, async () => {
    const task = new ScheduledTask("nightly", {
      target: "aws",
      network: network(),
      cluster: { arn: CLUSTER_ARN, name: "app" },
      image: { image: "ghcr.io/acme/jobs:1.0.0" },
      schedule: "cron(0 3 * * ? *)",
      ...extra,
    });
    return {
      runCommand: task.runCommand,
      stateMachineArn: task.cloud.stateMachineArn,
      scheduleName: task.cloud.scheduleName,
      taskDefinitionArn: task.cloud.taskDefinitionArn,
      logGroupName: task.cloud.logGroupName,
      securityGroupId: task.cloud.securityGroupId,
      taskRoleArn: task.cloud.taskRoleArn,
      alarmName: task.cloud.alarmName,
    };
  });

const json = (value: unknown): unknown => JSON.parse(String(value));
const policyOf = (result: SynthResult, name: string) => json(resource(result, T.rolePolicy, name).inputs["policy"]);
const arnOf = (result: SynthResult, type: string, name: string) => resource(result, type, name).state!["arn"];

const failure = (run: Promise<SynthResult>) =>
  run.then(
    () => {
      throw new Error("expected the program to fail");
    },
    (e: unknown) => e as SynthError,
  );

describe("ScheduledTask in AWS, every default", () => {
  let r: SynthResult;
  beforeAll(async () => {
    r = await aws();
  });

  test("declares exactly the task, its state machine, schedule, roles, logs, security group and alarm", () => {
    expect(physical(r).map((x) => `${x.type} ${x.name}`)).toEqual(
      [
        `${T.alarm} nightly-failed`,
        `${T.logGroup} nightly-logs`,
        `${T.logGroup} nightly-state-machine-logs`,
        `${T.sg} nightly-task`,
        `${T.taskDef} nightly-task`,
        `${T.role} nightly-execution`,
        `${T.role} nightly-scheduler`,
        `${T.role} nightly-state-machine`,
        `${T.role} nightly-task`,
        `${T.rolePolicy} nightly-execution`,
        `${T.rolePolicy} nightly-scheduler`,
        `${T.rolePolicy} nightly-state-machine`,
        `${T.schedule} nightly-schedule`,
        `${T.stateMachine} nightly-state-machine`,
        `${T.egress} nightly-https`,
      ].sort((a, b) => a.localeCompare(b)),
    );
    // No repository or build for a prebuilt image, no task-role policy without permissions, no ingress at all.
    expect(ofType(r, T.repo)).toEqual([]);
    expect(ofType(r, T.rolePolicy).map((x) => x.name)).not.toContain("nightly-task");
    expect(ofType(r, T.ingress)).toEqual([]);
  });

  test("the schedule: the cron in UTC, no flexible window, enabled, in the default group, starting the state machine", () => {
    const schedule = resource(r, T.schedule, "nightly-schedule");
    expect(schedule.inputs).toEqual({
      name: "saas-platform-test-nightly",
      description: "Runs nightly (cron(0 3 * * ? *) UTC)",
      scheduleExpression: "cron(0 3 * * ? *)",
      scheduleExpressionTimezone: "UTC",
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
      target: {
        arn: arnOf(r, T.stateMachine, "nightly-state-machine"),
        roleArn: arnOf(r, T.role, "nightly-scheduler"),
        input: "{}",
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
      },
    });
    expect(schedule.inputs).not.toHaveProperty("groupName");
    // It fires only once every role may make its calls.
    for (const policy of ["nightly-scheduler", "nightly-state-machine", "nightly-execution"]) {
      expect(schedule.dependencies).toContain(resource(r, T.rolePolicy, policy).urn);
    }
  });

  test("the state machine: Standard, one runTask.sync state with a 60-minute timeout and 2 retries, no public IP", () => {
    const machine = resource(r, T.stateMachine, "nightly-state-machine");
    const taskDefArn = arnOf(r, T.taskDef, "nightly-task");
    const sgId = resource(r, T.sg, "nightly-task").id;
    expect(machine.inputs["type"]).toBe("STANDARD");
    expect(machine.inputs["name"]).toBe("saas-platform-test-nightly");
    expect(machine.inputs["roleArn"]).toBe(arnOf(r, T.role, "nightly-state-machine"));
    expect(json(machine.inputs["definition"])).toEqual({
      Comment: "Runs nightly once on Fargate; fails when the task cannot start, exits non-zero or runs too long",
      StartAt: "RunTask",
      States: {
        RunTask: {
          Type: "Task",
          Resource: "arn:aws:states:::ecs:runTask.sync",
          Parameters: {
            Cluster: CLUSTER_ARN,
            TaskDefinition: taskDefArn,
            LaunchType: "FARGATE",
            NetworkConfiguration: {
              AwsvpcConfiguration: {
                Subnets: ["subnet-a", "subnet-b"],
                SecurityGroups: [sgId],
                AssignPublicIp: "DISABLED",
              },
            },
          },
          TimeoutSeconds: 3600,
          Retry: [
            { ErrorEquals: ["States.Timeout"], MaxAttempts: 0 },
            { ErrorEquals: ["States.ALL"], IntervalSeconds: 60, MaxAttempts: 2, BackoffRate: 2 },
          ],
          End: true,
        },
      },
    });
    // No Catch: the final error fails the execution, which is what the alarm counts.
    expect(machine.inputs["definition"]).not.toContain("Catch");
    const logs = resource(r, T.logGroup, "nightly-state-machine-logs");
    expect(machine.inputs["loggingConfiguration"]).toEqual({
      logDestination: `${String(logs.state!["arn"])}:*`,
      includeExecutionData: false,
      level: "ERROR",
    });
    expect(machine.dependencies).toContain(resource(r, T.rolePolicy, "nightly-state-machine").urn);
  });

  test("each service role trusts only its service acting for this account", () => {
    const trust = (name: string) => json(resource(r, T.role, name).inputs["assumeRolePolicy"]);
    for (const [role, service] of [
      ["nightly-state-machine", "states.amazonaws.com"],
      ["nightly-scheduler", "scheduler.amazonaws.com"],
      ["nightly-execution", "ecs-tasks.amazonaws.com"],
      ["nightly-task", "ecs-tasks.amazonaws.com"],
    ]) {
      expect(trust(role!)).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
          },
        ],
      });
    }
  });

  test("Step Functions may run this family on this cluster, watch and stop it, pass its two roles, use the ECS rule and deliver logs", () => {
    expect(policyOf(r, "nightly-state-machine")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "RunTask",
          Effect: "Allow",
          Action: ["ecs:RunTask"],
          Resource: [`arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/saas-platform-test-nightly:*`],
          Condition: { ArnEquals: { "ecs:cluster": CLUSTER_ARN } },
        },
        {
          Sid: "WatchAndStopTask",
          Effect: "Allow",
          Action: ["ecs:DescribeTasks", "ecs:StopTask"],
          Resource: "*",
          Condition: { ArnEquals: { "ecs:cluster": CLUSTER_ARN } },
        },
        {
          Sid: "PassTaskRoles",
          Effect: "Allow",
          Action: ["iam:PassRole"],
          Resource: [arnOf(r, T.role, "nightly-execution"), arnOf(r, T.role, "nightly-task")],
          Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        },
        {
          Sid: "TaskStoppedEvents",
          Effect: "Allow",
          Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
          Resource: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForECSTaskRule`],
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
    });
    expect(resource(r, T.taskDef, "nightly-task").inputs["family"]).toBe("saas-platform-test-nightly");
  });

  test("the Scheduler may start this state machine only; the execution role only writes the task's logs", () => {
    expect(policyOf(r, "nightly-scheduler")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "StartRun",
          Effect: "Allow",
          Action: ["states:StartExecution"],
          Resource: [arnOf(r, T.stateMachine, "nightly-state-machine")],
        },
      ],
    });
    expect(policyOf(r, "nightly-execution")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: [`${String(arnOf(r, T.logGroup, "nightly-logs"))}:*`],
        },
      ],
    });
  });

  test("the task: the smallest Fargate size on X86_64, one read-only container with a writable /tmp, logs to its own group", () => {
    const def = resource(r, T.taskDef, "nightly-task");
    expect(def.inputs).toMatchObject({
      cpu: "256",
      memory: "512",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: arnOf(r, T.role, "nightly-execution"),
      taskRoleArn: arnOf(r, T.role, "nightly-task"),
      volumes: [{ name: "tmp" }],
    });
    expect(json(def.inputs["containerDefinitions"])).toEqual([
      {
        name: "app",
        image: "ghcr.io/acme/jobs:1.0.0",
        essential: true,
        environment: [],
        secrets: [],
        readonlyRootFilesystem: true,
        mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
        linuxParameters: { initProcessEnabled: true },
        logConfiguration: {
          logDriver: "awslogs",
          options: {
            "awslogs-group": "/ecs/saas-platform-test-nightly",
            "awslogs-region": REGION,
            "awslogs-stream-prefix": "app",
          },
        },
      },
    ]);
    for (const [name, group] of [
      ["nightly-logs", "/ecs/saas-platform-test-nightly"],
      ["nightly-state-machine-logs", "/aws/vendedlogs/states/saas-platform-test-nightly"],
    ]) {
      expect(resource(r, T.logGroup, name!).inputs).toEqual({ name: group, retentionInDays: 30, tags: {} });
    }
  });

  test("the security group admits nothing and opens HTTPS out only", () => {
    const sg = resource(r, T.sg, "nightly-task");
    expect(sg.inputs["vpcId"]).toBe("vpc-0123");
    expect(ofType(r, T.egress).map((x) => x.inputs)).toEqual([
      {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
        description: "HTTPS out",
      },
    ]);
  });

  test("one alarm on the sum of failed, timed-out and aborted executions of this state machine, at the first one", () => {
    const machineArn = arnOf(r, T.stateMachine, "nightly-state-machine");
    const metric = (id: string, metricName: string) => ({
      id,
      metric: {
        namespace: "AWS/States",
        metricName,
        dimensions: { StateMachineArn: machineArn },
        period: 60,
        stat: "Sum",
      },
    });
    expect(resource(r, T.alarm, "nightly-failed").inputs).toEqual({
      alarmDescription:
        "A run of the scheduled task nightly failed, timed out or was aborted (see its executions in Step Functions and its logs)",
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
      alarmActions: [],
      tags: {},
    });
  });

  test("outputs name what was declared, and how to run the job by hand", () => {
    const machineArn = arnOf(r, T.stateMachine, "nightly-state-machine");
    expect(r.outputs).toEqual({
      runCommand: `aws stepfunctions start-execution --state-machine-arn ${String(machineArn)}`,
      stateMachineArn: machineArn,
      scheduleName: "saas-platform-test-nightly",
      taskDefinitionArn: arnOf(r, T.taskDef, "nightly-task"),
      logGroupName: "/ecs/saas-platform-test-nightly",
      securityGroupId: resource(r, T.sg, "nightly-task").id,
      taskRoleArn: arnOf(r, T.role, "nightly-task"),
      alarmName: resource(r, T.alarm, "nightly-failed").state!["name"],
    });
  });
});

describe("ScheduledTask in AWS, every option", () => {
  let r: SynthResult;
  beforeAll(async () => {
    r = await aws({
      image: { build: { context: API_CONTEXT }, tag: "abc123" },
      command: ["node", "dist/jobs/report.js"],
      schedule: "rate(6 hours)",
      timezone: "Europe/Dublin",
      timeoutMinutes: 15,
      retries: 0,
      cpu: 512,
      memory: 2048,
      environment: { REPORT_BUCKET: "reports" },
      secrets: { DATABASE_URL: SECRET_ARN },
      secretKmsKeyArns: [KEY_ARN],
      permissions: [{ actions: ["s3:PutObject"], resources: ["arn:aws:s3:::reports/*"] }],
      capacity: "FARGATE_SPOT",
      alarmTopicArns: [TOPIC_ARN],
      logsKmsKeyArn: KEY_ARN,
      logRetentionDays: 90,
      scheduleGroupName: "jobs",
      enabled: false,
      keepImages: 5,
      tags: { Team: "data" },
    });
  });

  test("the schedule reads the rate in the time zone, in the given group, and is switched off", () => {
    expect(resource(r, T.schedule, "nightly-schedule").inputs).toMatchObject({
      groupName: "jobs",
      scheduleExpression: "rate(6 hours)",
      scheduleExpressionTimezone: "Europe/Dublin",
      state: "DISABLED",
    });
  });

  test("the run: 15 minutes, never retried, on Fargate Spot through a capacity provider strategy", () => {
    const state = (
      json(resource(r, T.stateMachine, "nightly-state-machine").inputs["definition"]) as {
        States: { RunTask: Record<string, unknown> & { Parameters: Record<string, unknown> } };
      }
    ).States.RunTask;
    expect(state.TimeoutSeconds).toBe(900);
    expect(state.Retry).toEqual([
      { ErrorEquals: ["States.Timeout"], MaxAttempts: 0 },
      { ErrorEquals: ["States.ALL"], IntervalSeconds: 60, MaxAttempts: 0, BackoffRate: 2 },
    ]);
    expect(state.Parameters["CapacityProviderStrategy"]).toEqual([{ CapacityProvider: "FARGATE_SPOT", Weight: 1 }]);
    expect(state.Parameters).not.toHaveProperty("LaunchType");
  });

  test("the image is built into a repository of the task's own, which the execution role may pull from", () => {
    const repo = resource(r, T.repo, "nightly-repo");
    expect(repo.inputs["name"]).toBe("saas-platform-test-nightly");
    expect(json(resource(r, T.lifecycle, "nightly-repo").inputs["policy"])).toMatchObject({
      rules: [{ selection: { countNumber: 5 } }],
    });
    expect(resource(r, T.image, "nightly-image").inputs["imageName"]).toBe(
      `${String(repo.state!["repositoryUrl"])}:abc123`,
    );
    const statements = (policyOf(r, "nightly-execution") as { Statement: Array<{ Sid: string }> }).Statement;
    expect(statements.map((s) => s.Sid)).toEqual([
      "RegistryLogin",
      "PullImage",
      "WriteLogs",
      "ReadSecrets",
      "DecryptSecrets",
    ]);
    expect(statements[1]).toMatchObject({ Resource: [repo.state!["arn"]] });
    expect(statements[3]).toMatchObject({ Resource: [SECRET_ARN] });
    expect(statements[4]).toMatchObject({
      Resource: [KEY_ARN],
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } },
    });
  });

  test("the container gets the command, the plain environment and the secrets as valueFrom ARNs", () => {
    const def = resource(r, T.taskDef, "nightly-task");
    expect(def.inputs).toMatchObject({ cpu: "512", memory: "2048", tags: { Team: "data" } });
    expect(json(def.inputs["containerDefinitions"])).toMatchObject([
      {
        command: ["node", "dist/jobs/report.js"],
        environment: [{ name: "REPORT_BUCKET", value: "reports" }],
        secrets: [{ name: "DATABASE_URL", valueFrom: SECRET_ARN }],
      },
    ]);
  });

  test("the task role gets the permissions; the schedule also waits for that policy", () => {
    expect(policyOf(r, "nightly-task")).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::reports/*"] }],
    });
    expect(resource(r, T.schedule, "nightly-schedule").dependencies).toContain(
      resource(r, T.rolePolicy, "nightly-task").urn,
    );
  });

  test("logs are kept 90 days under the stack's key; the alarm tells the topic", () => {
    for (const name of ["nightly-logs", "nightly-state-machine-logs"]) {
      expect(resource(r, T.logGroup, name).inputs).toMatchObject({ retentionInDays: 90, kmsKeyId: KEY_ARN });
    }
    expect(resource(r, T.alarm, "nightly-failed").inputs["alarmActions"]).toEqual([TOPIC_ARN]);
    expect(resource(r, T.alarm, "nightly-failed").inputs).not.toHaveProperty("okActions");
  });
});

test("the first run waits for the private subnets' egress (image pull, secrets)", async () => {
  const r = await aws({}, () =>
    new Network("net", { target: "aws", cidr: "10.9.0.0/16", natGateways: "single" }).requireCloud("test"),
  );
  const routes = ofType(r, "aws:ec2/route:Route").filter((x) => x.name.startsWith("net-private-default"));
  expect(routes.length).toBeGreaterThan(0);
  const schedule = resource(r, T.schedule, "nightly-schedule");
  for (const route of routes) expect(schedule.dependencies).toContain(route.urn);
});

test("allowTo opens one port from the task to another security group", async () => {
  const r = await recordProgram(STACK, async () => {
    const task = new ScheduledTask("nightly", {
      target: "aws",
      network: fakeNetwork(),
      cluster: { arn: CLUSTER_ARN, name: "app" },
      image: { image: "ghcr.io/acme/jobs:1.0.0" },
      schedule: "cron(0 3 * * ? *)",
    });
    task.allowTo("database", "sg-database", 5432);
    return {};
  });
  expect(resource(r, T.egress, "nightly-to-database").inputs).toEqual({
    securityGroupId: resource(r, T.sg, "nightly-task").id,
    referencedSecurityGroupId: "sg-database",
    ipProtocol: "tcp",
    fromPort: 5432,
    toPort: 5432,
    description: "to database on 5432",
  });
});

describe("ScheduledTask on Docker (dev)", () => {
  const network = () =>
    ({ networkName: pulumi.output("saas-platform-test-net"), networkId: pulumi.output("n1") }) as DockerNetworkOutputs;
  const local = (extra: Partial<Extract<ScheduledTaskArgs, { target: "docker" }>> = {}) =>
    recordProgram(STACK, async () => {
      const task = new ScheduledTask("nightly", {
        target: "docker",
        network: network(),
        image: { image: "ghcr.io/acme/jobs:1.0.0" },
        schedule: "cron(0 3 * * ? *)",
        ...extra,
      });
      return { runCommand: task.runCommand, containerName: task.local.containerName };
    });

  test("a container created but never started, run by hand with docker start -a", async () => {
    const r = await local({
      command: ["node", "dist/jobs/report.js"],
      environment: { REPORT_BUCKET: "reports" },
      secrets: { DATABASE_URL: "postgres://app:local@postgres:5432/app" },
    });
    expect(physical(r).map((x) => `${x.type} ${x.name}`)).toEqual([
      `${T.container} nightly`,
      `${T.remoteImage} nightly-image`,
    ]);
    const container = resource(r, T.container, "nightly");
    expect(container.inputs).toMatchObject({
      name: "saas-platform-test-nightly",
      command: ["node", "dist/jobs/report.js"],
      networksAdvanced: [{ name: "saas-platform-test-net" }],
      readOnly: true,
      tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
      start: false,
      mustRun: false,
      restart: "no",
      labels: [
        { label: "managed-by", value: "pulumi" },
        { label: "schedule", value: "cron(0 3 * * ? *)" },
      ],
    });
    expect((container.inputs["envs"] as string[])[0]).toBe("REPORT_BUCKET=reports");
    expect(container.secretInputs).toContain("envs.1");
    expect(r.outputs).toEqual({
      runCommand: "docker start -a saas-platform-test-nightly",
      containerName: "saas-platform-test-nightly",
    });
  });

  test("allowTo needs the AWS variant", async () => {
    const error = await failure(
      recordProgram(STACK, async () => {
        const task = new ScheduledTask("nightly", {
          target: "docker",
          network: network(),
          image: { image: "ghcr.io/acme/jobs:1.0.0" },
          schedule: "cron(0 3 * * ? *)",
        });
        task.allowTo("database", "sg-1", 5432);
        return {};
      }),
    );
    expect(error.message).toContain('nightly.allowTo("database") needs the AWS variant');
  });
});

describe("validation", () => {
  test("every problem of the AWS args at once, before anything is declared", async () => {
    const error = await failure(
      aws({
        image: { image: "Not An Image" },
        schedule: "cron(0 3 * * *)",
        command: [],
        environment: { API_TOKEN: "x", REGION: "eu" },
        secrets: { REGION: SECRET_ARN },
        timezone: "Mars/Olympus",
        timeoutMinutes: 0,
        retries: 11,
        cpu: 256,
        memory: 4096,
        logRetentionDays: 10,
        permissions: [{ actions: ["s3:*"], resources: [] }],
        capacity: "EC2" as never,
        keepImages: 0,
        scheduleGroupName: "jobs group",
      }),
    );
    expect(error.message).toBe(
      [
        'ScheduledTask "nightly" has invalid args:',
        '  - image.image must be an image reference such as ghcr.io/acme/api:1.4.2 (got "Not An Image")',
        '  - schedule cron(...) must have 6 fields: minutes hours day-of-month month day-of-week year, e.g. cron(0 3 * * ? *) (got "cron(0 3 * * *)")',
        "  - command must list the program and its arguments as strings (got [])",
        "  - environment must not carry credentials: move API_TOKEN to secrets",
        "  - REGION is set in both environment and secrets; keep one",
        '  - timezone must be an IANA time zone such as UTC or Europe/Dublin (got "Mars/Olympus")',
        "  - timeoutMinutes must be a whole number from 1 to 525600 (a year, the longest a Step Functions execution runs) (got 0)",
        "  - retries must be a whole number from 0 to 10 (got 11)",
        "  - memory must be one Fargate offers for cpu 256: 512, 1024, 2048 MiB (got 4096)",
        "  - logRetentionDays must be a period CloudWatch accepts (got 10)",
        "  - permissions[0].actions must name actions, not wildcards (got s3:*)",
        "  - permissions[0].resources must list at least one ARN",
        '  - capacity must be "FARGATE" or "FARGATE_SPOT" (got "EC2")',
        "  - keepImages must be at least 1 (got 0)",
        '  - scheduleGroupName must be 1 to 64 letters, digits, -, _ or . (got "jobs group")',
      ].join("\n"),
    );
    expect(error.declared.map((x) => x.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  test("the Docker variant checks the schedule and the environment too", async () => {
    const error = await failure(
      recordProgram(STACK, async () => {
        new ScheduledTask("nightly", {
          target: "docker",
          network: { networkName: pulumi.output("n"), networkId: pulumi.output("n") },
          image: { image: "ghcr.io/acme/jobs:1.0.0" },
          schedule: "every night",
          environment: { DB_PASSWORD: "x" },
        });
        return {};
      }),
    );
    expect(error.message).toBe(
      [
        'ScheduledTask "nightly" has invalid args:',
        '  - schedule must be cron(minutes hours day-of-month month day-of-week year) or rate(<n> minute(s)|hour(s)|day(s)) (got "every night")',
        "  - environment must not carry credentials: move DB_PASSWORD to secrets",
      ].join("\n"),
    );
  });

  test("a run that could outlast one execution is refused, naming both settings", async () => {
    const error = await failure(aws({ timeoutMinutes: MAX_EXECUTION_MINUTES, retries: 1 }));
    expect(error.message).toContain(
      "timeoutMinutes × (retries + 1) must fit in one Step Functions execution (a year): lower timeoutMinutes or retries (got 525600 × 2)",
    );
  });

  test("the limits: 1 minute to a year, 0 to 10 retries", async () => {
    await expect(aws({ timeoutMinutes: MAX_EXECUTION_MINUTES, retries: 0 })).resolves.toBeDefined();
    await expect(aws({ timeoutMinutes: 1, retries: 10 })).resolves.toBeDefined();
    expect((await failure(aws({ timeoutMinutes: MAX_EXECUTION_MINUTES + 1, retries: 0 }))).message).toContain(
      "timeoutMinutes must be a whole number from 1 to 525600",
    );
    expect((await failure(aws({ timeoutMinutes: 1.5 }))).message).toContain("(got 1.5)");
    expect((await failure(aws({ retries: -1 }))).message).toContain(
      "retries must be a whole number from 0 to 10 (got -1)",
    );
    expect(worstCaseMinutes(60, 2)).toBe(3 * 60 + (60 + 120) / 60);
    expect(worstCaseMinutes(60, 0)).toBe(60);
  });
});

describe("schedule expressions", () => {
  test.each([
    "cron(0 3 * * ? *)",
    "cron(15 8 ? * MON-FRI *)",
    "cron(0/10 * ? * * *)",
    "cron(0 0 L * ? *)",
    "cron(0 12 ? * 6#3 2027)",
    "rate(1 minute)",
    "rate(5 minutes)",
    "rate(1 hour)",
    "rate(6 hours)",
    "rate(1 day)",
    "rate(7 days)",
  ])("%s is accepted", (expression) => {
    expect(scheduleExpressionProblems(expression)).toEqual([]);
  });

  test.each([
    ["cron(0 3 * * * *)", "must use ? in exactly one of day-of-month and day-of-week"],
    ["cron(0 3 ? * ? *)", "must use ? in exactly one of day-of-month and day-of-week"],
    ["cron(0 3 * * ?)", "must have 6 fields"],
    ["cron(0 3 * * ? * *)", "must have 6 fields"],
    ["cron(x 3 * * ? *)", 'has an invalid minutes field "x"'],
    ["cron(0 3 * * ? 20#7)", 'has an invalid year field "20#7"'],
    ["rate(1 hours)", "takes a singular unit for 1 and a plural one above"],
    ["rate(5 hour)", "takes a singular unit for 1 and a plural one above"],
    ["rate(0 minutes)", "must have a value of at least 1"],
    ["rate(5 weeks)", "must be cron("],
    ["at(2027-01-01T00:00:00)", "must be cron("],
    ["0 3 * * *", "must be cron("],
  ])("%s is refused: %s", (expression, message) => {
    const problems = scheduleExpressionProblems(expression);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
    expect(problems[0]).toContain(`(got "${expression}")`);
  });
});

describe("schedule expressions at their edges (each field's characters, anchors, whole values)", () => {
  test.each([
    ["minutes", "cron(x5 3 * * ? *)"],
    ["minutes", "cron(5x 3 * * ? *)"],
    ["hours", "cron(0 3x * * ? *)"],
    ["hours", "cron(0 x3 * * ? *)"],
    ["day-of-month", "cron(0 3 1x * ? *)"],
    ["day-of-month", "cron(0 3 x1 * ? *)"],
    ["month", "cron(0 3 * 1! ? *)"],
    ["month", "cron(0 3 * !1 ? *)"],
    ["day-of-week", "cron(0 3 ? * MON! *)"],
    ["day-of-week", "cron(0 3 ? * !MON *)"],
    ["year", "cron(0 3 * * ? 2027x)"],
  ])("an invalid %s field is refused: %s", (field, expression) => {
    expect(scheduleExpressionProblems(expression)).toEqual([
      `schedule cron(...) has an invalid ${field} field "${expression.slice(5, -1).split(" ")[["minutes", "hours", "day-of-month", "month", "day-of-week", "year"].indexOf(field)]}" (got ${JSON.stringify(expression)})`,
    ]);
  });

  test("fields of several characters, and several spaces between them, are accepted", () => {
    expect(scheduleExpressionProblems("cron(0,30 8-18/2 ? JAN-DEC MON-FRI 2026-2030)")).toEqual([]);
    expect(scheduleExpressionProblems("cron(0  3 L * ? *)")).toEqual([]);
    expect(scheduleExpressionProblems("cron(0 3 ? * 2#1 *)")).toEqual([]);
    expect(scheduleExpressionProblems("rate(15 minutes)")).toEqual([]);
    expect(scheduleExpressionProblems("rate(12 hours)")).toEqual([]);
  });

  test("text around an expression makes it no expression", () => {
    const neither = (e: string) =>
      `schedule must be cron(minutes hours day-of-month month day-of-week year) or rate(<n> minute(s)|hour(s)|day(s)) (got ${JSON.stringify(e)})`;
    for (const e of ["xcron(0 3 * * ? *)", "cron(0 3 * * ? *)x", "xrate(1 day)", "rate(1 day)x"]) {
      expect(scheduleExpressionProblems(e)).toEqual([neither(e)]);
    }
  });
});
