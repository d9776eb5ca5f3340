// The details of ScheduledTask that scheduled-task.test.ts leaves open: the defaults (omitted or `undefined`), the
// parent, descriptions and tags of every child, what the schedule waits for, the transforms, the alarm's options, the
// outputs (and what is registered), the local container in full, and the exact text of every check at its limits.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsNetworkOutputs, DockerNetworkOutputs } from "../../components/network";
import {
  awsScheduledTaskDefaults,
  ScheduledTask,
  validateScheduledTaskArgs,
  type AwsScheduledTaskArgs,
  type ScheduledTaskArgs,
} from "../../components/scheduled-task";
import { recordProgram, type SynthResult } from "../../synth/synth";
import { API_CONTEXT, physical, resource } from "../helpers/synth";
import { recordCalls, type Recorded } from "../helpers/spies";

const T = {
  component: "saas-platform:components:ScheduledTask",
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
  image: "docker:index/image:Image",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  container: "docker:index/container:Container",
  topic: "aws:sns/topic:Topic",
} as const;

const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };
const CLUSTER_ARN = "arn:aws:ecs:eu-west-1:123456789012:cluster/app";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";

const fakeNetwork = (marker: pulumi.Resource): AwsNetworkOutputs =>
  ({
    vpcId: pulumi.output("vpc-0123"),
    privateSubnetIds: pulumi.output(["subnet-a", "subnet-b"]),
    egressReady: [marker],
  }) as unknown as AwsNetworkOutputs;
const dockerNetwork = (): DockerNetworkOutputs => ({
  networkName: pulumi.output("acme-dev"),
  networkId: pulumi.output("net-0"),
});
const json = (value: unknown): unknown => JSON.parse(String(value));

/** Runs a program while recording what each component registers as its outputs. */
async function withRegistered(run: () => Promise<SynthResult>): Promise<[SynthResult, Recorded]> {
  const { result, recorded } = await recordCalls(run);
  return [result, recorded];
}

describe("awsScheduledTaskDefaults", () => {
  const required = {
    target: "aws",
    network: {} as never,
    cluster: { arn: CLUSTER_ARN, name: "app" },
    image: { image: "nginx:1" },
    schedule: "rate(1 day)",
  } as const;
  const defaults = {
    timezone: "UTC",
    timeoutMinutes: 60,
    retries: 2,
    cpu: 256,
    memory: 512,
    environment: {},
    secrets: {},
    secretKmsKeyArns: [],
    permissions: [],
    capacity: "FARGATE",
    alarmTopicArns: [],
    logRetentionDays: 30,
    enabled: true,
    connections: [],
    alarmActionsScheduled: false,
    keepImages: 30,
    tags: {},
  };

  test("fills every omitted arg, and every arg given as undefined", () => {
    expect(awsScheduledTaskDefaults(required)).toEqual({ ...required, ...defaults });
    const undef = Object.fromEntries(Object.keys(defaults).map((k) => [k, undefined]));
    expect(awsScheduledTaskDefaults({ ...required, ...undef })).toEqual({
      ...required,
      ...defaults,
    });
  });

  test("keeps every arg given, falsy ones included", () => {
    const given: AwsScheduledTaskArgs = {
      ...required,
      timezone: "Europe/Dublin",
      timeoutMinutes: 5,
      retries: 0,
      cpu: 512,
      memory: 1024,
      environment: { A: "1" },
      secrets: { B: SECRET_ARN },
      secretKmsKeyArns: ["k"],
      permissions: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }],
      capacity: "FARGATE_SPOT",
      alarmTopicArns: ["t"],
      logRetentionDays: 7,
      enabled: false,
      connections: [{ name: "db", securityGroupId: "sg-1", port: 5432 }],
      alarmActionsScheduled: true,
      keepImages: 3,
      tags: { Team: "data" },
    };
    expect(awsScheduledTaskDefaults(given)).toEqual(given);
  });
});

describe("the AWS task with tags, permissions, a connection and a network egress", () => {
  let r: SynthResult;
  let registered: Recorded;
  let task: ScheduledTask<"aws">;
  const TAGS = { Team: "data" };
  beforeAll(async () => {
    [r, registered] = await withRegistered(() =>
      recordProgram(STACK, async () => {
        const marker = new aws.sns.Topic("egress-marker");
        task = new ScheduledTask("nightly", {
          target: "aws",
          network: fakeNetwork(marker),
          cluster: { arn: CLUSTER_ARN, name: "app" },
          image: { image: "ghcr.io/acme/jobs:1.0.0" },
          schedule: "cron(0 3 * * ? *)",
          permissions: [{ actions: ["s3:PutObject"], resources: ["arn:aws:s3:::reports/*"] }],
          connections: [{ name: "database", securityGroupId: "sg-db", port: 5432 }],
          alarmActionsScheduled: true,
          tags: TAGS,
        });
        return {
          stateMachineLogGroupName: task.cloud.stateMachineLogGroupName,
          alarmArn: task.cloud.alarmArn,
          imageRef: task.imageRef,
        };
      }),
    );
  });

  test("every child is the component's", () => {
    const component = resource(r, T.component, "nightly");
    const children = physical(r).filter((x) => x.type !== T.topic);
    expect(children.length).toBe(18);
    for (const child of children) expect([child.name, child.parent]).toEqual([child.name, component.urn]);
  });

  test("the roles: their descriptions and the tags", () => {
    const roles = Object.fromEntries(
      ["execution", "task", "state-machine", "scheduler"].map((n) => [
        n,
        (({ description, tags }) => ({ description, tags }))(resource(r, T.role, `nightly-${n}`).inputs),
      ]),
    );
    expect(roles).toEqual({
      execution: { description: "ECS starts nightly: pull its image, write its logs, read its secrets", tags: TAGS },
      task: { description: "What nightly itself may do in AWS (nothing unless granted)", tags: TAGS },
      "state-machine": { description: "Step Functions runs nightly on ECS and waits for it", tags: TAGS },
      scheduler: { description: "EventBridge Scheduler starts nightly on its schedule", tags: TAGS },
    });
    expect(resource(r, T.rolePolicy, "nightly-task").inputs["role"]).toBe(resource(r, T.role, "nightly-task").id);
    expect(resource(r, T.rolePolicy, "nightly-execution").inputs["role"]).toBe(
      resource(r, T.role, "nightly-execution").id,
    );
    expect(resource(r, T.rolePolicy, "nightly-state-machine").inputs["role"]).toBe(
      resource(r, T.role, "nightly-state-machine").id,
    );
  });

  test("the tags reach the logs, the group (with its Name), the task, the state machine and the alarm", () => {
    for (const name of ["nightly-logs", "nightly-state-machine-logs"]) {
      expect(resource(r, T.logGroup, name).inputs["tags"]).toEqual(TAGS);
    }
    expect(resource(r, T.sg, "nightly-task").inputs).toEqual({
      vpcId: "vpc-0123",
      description: "nightly scheduled task: no ingress, HTTPS out",
      tags: { Team: "data", Name: "saas-platform-test-nightly-task" },
    });
    expect(resource(r, T.taskDef, "nightly-task").inputs["tags"]).toEqual(TAGS);
    expect(resource(r, T.taskDef, "nightly-task").inputs["family"]).toBe("saas-platform-test-nightly");
    expect(resource(r, T.stateMachine, "nightly-state-machine").inputs["tags"]).toEqual(TAGS);
    expect(resource(r, T.alarm, "nightly-failed").inputs["tags"]).toEqual(TAGS);
  });

  test("the scheduler may start this state machine only", () => {
    expect(json(resource(r, T.rolePolicy, "nightly-scheduler").inputs["policy"])).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "StartRun",
          Effect: "Allow",
          Action: ["states:StartExecution"],
          Resource: [resource(r, T.stateMachine, "nightly-state-machine").state!["arn"]],
        },
      ],
    });
    expect(resource(r, T.rolePolicy, "nightly-scheduler").inputs["role"]).toBe(
      resource(r, T.role, "nightly-scheduler").id,
    );
  });

  test("the schedule waits for every role policy, the network's egress, HTTPS out and both rules of the connection", () => {
    const deps = resource(r, T.schedule, "nightly-schedule").dependencies;
    for (const [type, name] of [
      [T.rolePolicy, "nightly-scheduler"],
      [T.rolePolicy, "nightly-state-machine"],
      [T.rolePolicy, "nightly-execution"],
      [T.rolePolicy, "nightly-task"],
      [T.topic, "egress-marker"],
      [T.egress, "nightly-https"],
      [T.egress, "nightly-to-database"],
      [T.ingress, "nightly-to-database-ingress"],
    ] as const) {
      expect(deps).toContain(resource(r, type, name).urn);
    }
    expect(resource(r, T.egress, "nightly-to-database").inputs).toMatchObject({
      securityGroupId: resource(r, T.sg, "nightly-task").id,
      referencedSecurityGroupId: "sg-db",
      fromPort: 5432,
    });
  });

  test("an alarm whose actions office hours switch leaves actionsEnabled alone", () => {
    expect(resource(r, T.alarm, "nightly-failed").options.ignoreChanges).toEqual(["actionsEnabled"]);
  });

  test("outputs and registered outputs", () => {
    expect(r.outputs).toEqual({
      stateMachineLogGroupName: "/aws/vendedlogs/states/saas-platform-test-nightly",
      alarmArn: resource(r, T.alarm, "nightly-failed").state!["arn"],
      imageRef: "ghcr.io/acme/jobs:1.0.0",
    });
    expect(task.cloud.repositoryUrl).toBeUndefined();
    expect(task.local).toBeUndefined();
    expect(task.imageRef === task.cloud.imageRef).toBe(true);
    const o = registered.onlyRegistrationOf(task);
    expect(Object.keys(o).sort()).toEqual(["alarmName", "logGroupName", "scheduleName", "stateMachineArn"]);
    expect(o["stateMachineArn"] === task.cloud.stateMachineArn).toBe(true);
    expect(o["scheduleName"] === task.cloud.scheduleName).toBe(true);
    expect(o["logGroupName"] === task.cloud.logGroupName).toBe(true);
    expect(o["alarmName"] === task.cloud.alarmName).toBe(true);
  });
});

describe("the AWS task's defaults, given as undefined", () => {
  test("nothing optional is set, the alarm's actions are Pulumi's, no task policy", async () => {
    const r = await recordProgram(STACK, async () => {
      new ScheduledTask("nightly", {
        target: "aws",
        network: fakeNetwork(new aws.sns.Topic("egress-marker")),
        cluster: { arn: CLUSTER_ARN, name: "app" },
        image: { image: "ghcr.io/acme/jobs:1.0.0" },
        schedule: "cron(0 3 * * ? *)",
        command: undefined,
        environment: undefined,
        secrets: undefined,
        timezone: undefined,
        timeoutMinutes: undefined,
        retries: undefined,
        cpu: undefined,
        memory: undefined,
        secretKmsKeyArns: undefined,
        permissions: undefined,
        connections: undefined,
        alarmActionsScheduled: undefined,
        capacity: undefined,
        alarmTopicArns: undefined,
        logsKmsKeyArn: undefined,
        logRetentionDays: undefined,
        scheduleGroupName: undefined,
        enabled: undefined,
        keepImages: undefined,
        tags: undefined,
        transform: undefined,
      });
      return {};
    });
    expect(resource(r, T.alarm, "nightly-failed").options.ignoreChanges).toBeUndefined();
    expect(resource(r, T.schedule, "nightly-schedule").inputs).toMatchObject({
      scheduleExpressionTimezone: "UTC",
      state: "ENABLED",
    });
    expect(resource(r, T.schedule, "nightly-schedule").inputs).not.toHaveProperty("groupName");
    expect(resource(r, T.logGroup, "nightly-logs").inputs).toEqual({
      name: "/ecs/saas-platform-test-nightly",
      retentionInDays: 30,
      tags: {},
    });
    expect(json(resource(r, T.taskDef, "nightly-task").inputs["containerDefinitions"])).not.toMatchObject([
      { command: expect.anything() },
    ]);
    expect(
      physical(r)
        .filter((x) => x.type === T.rolePolicy)
        .map((x) => x.name),
    ).not.toContain("nightly-task");
    expect(resource(r, T.schedule, "nightly-schedule").dependencies).toContain(
      resource(r, T.topic, "egress-marker").urn,
    );
  });
});

describe("the AWS task's transforms", () => {
  let r: SynthResult;
  let seen: { name: string; dependsOn: unknown; keys: string[] } | undefined;
  beforeAll(async () => {
    r = await recordProgram(STACK, async () => {
      const task = new ScheduledTask("nightly", {
        target: "aws",
        network: fakeNetwork(new aws.sns.Topic("egress-marker")),
        cluster: { arn: CLUSTER_ARN, name: "app" },
        image: { build: { context: API_CONTEXT }, tag: "abc" },
        schedule: "cron(0 3 * * ? *)",
        transform: {
          repository: { imageTagMutability: "MUTABLE" },
          image: { skipPush: true },
          taskDefinition: { cpu: "1024" },
          stateMachine: (args, opts, name) => {
            seen = {
              name,
              dependsOn: (opts.dependsOn as pulumi.Resource[]).length,
              keys: Object.keys(args).sort(),
            };
            args.type = "EXPRESS";
          },
          schedule: { description: "schedule by transform" },
          alarm: { threshold: 3 },
        },
      });
      return { repositoryUrl: task.cloud.repositoryUrl! };
    });
  });

  test("each hook reaches its own child", () => {
    expect(resource(r, T.repo, "nightly-repo").inputs["imageTagMutability"]).toBe("MUTABLE");
    expect(resource(r, T.image, "nightly-image").inputs["skipPush"]).toBe(true);
    expect(resource(r, T.taskDef, "nightly-task").inputs["cpu"]).toBe("1024");
    expect(resource(r, T.stateMachine, "nightly-state-machine").inputs["type"]).toBe("EXPRESS");
    expect(resource(r, T.schedule, "nightly-schedule").inputs["description"]).toBe("schedule by transform");
    expect(resource(r, T.alarm, "nightly-failed").inputs["threshold"]).toBe(3);
    expect(r.outputs["repositoryUrl"]).toBe(resource(r, T.repo, "nightly-repo").state!["repositoryUrl"]);
  });

  test("the state machine's hook sees its name, args and its wait for the role policy", () => {
    expect(seen).toEqual({
      name: "nightly-state-machine",
      dependsOn: 1,
      keys: ["definition", "loggingConfiguration", "name", "roleArn", "tags", "type"],
    });
  });
});

describe("the local task", () => {
  test("every default: created, never started, on the network, read-only with a /tmp, labelled with its schedule", async () => {
    let task: ScheduledTask<"docker"> | undefined;
    const [r, registered] = await withRegistered(() =>
      recordProgram(STACK, async () => {
        task = new ScheduledTask("nightly", {
          target: "docker",
          network: dockerNetwork(),
          image: { image: "ghcr.io/acme/jobs:1.0.0" },
          schedule: "rate(1 day)",
          command: undefined,
          environment: undefined,
          secrets: undefined,
          transform: undefined,
        });
        return { imageRef: task.imageRef, containerName: task.local.containerName, localImage: task.local.imageRef };
      }),
    );
    const c = resource(r, T.container, "nightly");
    expect(c.inputs).toEqual({
      name: "saas-platform-test-nightly",
      image: resource(r, T.remoteImage, "nightly-image").state!["imageId"],
      envs: [],
      networksAdvanced: [{ name: "acme-dev" }],
      readOnly: true,
      tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
      start: false,
      mustRun: false,
      restart: "no",
      labels: [
        { label: "managed-by", value: "pulumi" },
        { label: "schedule", value: "rate(1 day)" },
      ],
    });
    expect(c.parent).toBe(resource(r, T.component, "nightly").urn);
    expect(r.outputs["imageRef"]).toBe(c.inputs["image"]);
    expect(r.outputs["localImage"]).toBe(c.inputs["image"]);
    expect(task!.cloud).toBeUndefined();
    const mine = registered.onlyRegistrationOf(task);
    expect(Object.keys(mine)).toEqual(["runCommand"]);
    expect(mine["runCommand"] === task!.runCommand).toBe(true);
  });

  test("values sorted by name, secrets kept secret, and both transforms", async () => {
    let envs: unknown;
    const r = await recordProgram(STACK, async () => {
      new ScheduledTask("nightly", {
        target: "docker",
        network: dockerNetwork(),
        image: { build: { context: API_CONTEXT } },
        schedule: "rate(1 day)",
        environment: { ZED: "z", ALPHA: "a" },
        secrets: { Z_URL: "postgresql://z", A_URL: "postgresql://a" },
        transform: {
          container: (args) => {
            envs = pulumi.unsecret(pulumi.all(args.envs as pulumi.Input<string>[]));
            args.restart = "always";
          },
          image: { skipPush: false },
        },
      });
      return { envs: envs as pulumi.Output<string[]> };
    });
    expect(r.outputs["envs"]).toEqual(["ALPHA=a", "ZED=z", "A_URL=postgresql://a", "Z_URL=postgresql://z"]);
    const c = resource(r, T.container, "nightly");
    expect(c.secretInputs).toEqual(["envs.2", "envs.3"]);
    expect(c.inputs["restart"]).toBe("always");
    expect(resource(r, T.image, "nightly-image").inputs["skipPush"]).toBe(false);
  });
});

describe("the args checks, one at a time and at their limits", () => {
  const base = {
    target: "aws",
    network: {} as never,
    cluster: { arn: CLUSTER_ARN, name: "app" },
    image: { image: "nginx:1" },
    schedule: "rate(1 day)",
  } as const;
  const ok = (args: ScheduledTaskArgs) => expect(() => validateScheduledTaskArgs("nightly", args)).not.toThrow();
  function problemsOf(args: ScheduledTaskArgs): string {
    try {
      validateScheduledTaskArgs("nightly", args);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("expected the args to be refused");
  }
  const only = (...problems: string[]) =>
    ['ScheduledTask "nightly" has invalid args:', ...problems.map((p) => `  - ${p}`)].join("\n");
  const local = {
    target: "docker",
    network: {} as never,
    image: { image: "nginx:1" },
    schedule: "rate(1 day)",
  } as const;

  test("the bare minimum passes, in both variants", () => {
    ok(base);
    ok(local);
  });

  test("a command: one or more strings", () => {
    ok({ ...base, command: ["node"] });
    ok({ ...base, command: ["node", ""] });
    expect(problemsOf({ ...base, command: ["node", 1 as never] })).toBe(
      only('command must list the program and its arguments as strings (got ["node",1])'),
    );
    expect(problemsOf({ ...local, command: [] })).toBe(
      only("command must list the program and its arguments as strings (got [])"),
    );
  });

  test("every secret-looking name, and every name set twice, is listed", () => {
    expect(
      problemsOf({
        ...local,
        environment: { API_TOKEN: "x", DB_PASSWORD: "y", A: "1", B: "2" },
        secrets: { A: "s", B: "t" },
      }),
    ).toBe(
      only(
        "environment must not carry credentials: move API_TOKEN, DB_PASSWORD to secrets",
        "A, B is set in both environment and secrets; keep one",
      ),
    );
    ok({ ...local, environment: { REGION: "eu" }, secrets: { DATABASE_URL: "x" } });
    ok({ ...local, environment: undefined, secrets: undefined });
  });

  test("an invalid timeout or retry count is not also compared with a year", () => {
    expect(problemsOf({ ...base, timeoutMinutes: 525601, retries: 10 })).toBe(
      only(
        "timeoutMinutes must be a whole number from 1 to 525600 (a year, the longest a Step Functions execution runs) (got 525601)",
      ),
    );
    expect(problemsOf({ ...base, timeoutMinutes: 525600, retries: 1.5 })).toBe(
      only("retries must be a whole number from 0 to 10 (got 1.5)"),
    );
    expect(problemsOf({ ...base, timeoutMinutes: 0.5 })).toBe(
      only(
        "timeoutMinutes must be a whole number from 1 to 525600 (a year, the longest a Step Functions execution runs) (got 0.5)",
      ),
    );
    ok({ ...base, timeoutMinutes: 1, retries: 0 });
    expect(problemsOf({ ...base, timeoutMinutes: 262800, retries: 1 })).toBe(
      only(
        "timeoutMinutes × (retries + 1) must fit in one Step Functions execution (a year): lower timeoutMinutes or retries (got 262800 × 2)",
      ),
    );
  });

  test("the time zone, the size and the capacity", () => {
    ok({ ...base, timezone: "Europe/Dublin" });
    expect(problemsOf({ ...base, timezone: "" })).toBe(
      only('timezone must be an IANA time zone such as UTC or Europe/Dublin (got "")'),
    );
    expect(problemsOf({ ...base, cpu: 300 })).toBe(
      only("cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192, 16384 (got 300)"),
    );
    ok({ ...base, cpu: 1024, memory: 8192 });
    ok({ ...base, capacity: "FARGATE_SPOT" });
    expect(problemsOf({ ...base, capacity: "EC2" as never })).toBe(
      only('capacity must be "FARGATE" or "FARGATE_SPOT" (got "EC2")'),
    );
  });

  test("images kept: a whole number, at least 1", () => {
    ok({ ...base, keepImages: 1 });
    for (const value of [0, 1.5, -1]) {
      expect(problemsOf({ ...base, keepImages: value })).toBe(only(`keepImages must be at least 1 (got ${value})`));
    }
  });

  test("a schedule group: 1 to 64 letters, digits, -, _ or .", () => {
    for (const group of ["a", "Jobs-1_x.y", "a".repeat(64)]) ok({ ...base, scheduleGroupName: group });
    for (const group of ["", "a".repeat(65), "jobs/x", "jobs group", " jobs", "jobs "]) {
      expect(problemsOf({ ...base, scheduleGroupName: group })).toBe(
        only(`scheduleGroupName must be 1 to 64 letters, digits, -, _ or . (got ${JSON.stringify(group)})`),
      );
    }
  });

  test("the AWS checks do not apply locally", () => {
    ok({ ...local, cpu: 300, timezone: "Mars/Olympus", keepImages: 0, scheduleGroupName: "a b" } as never);
  });
});
