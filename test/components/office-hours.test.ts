import * as aws from "@pulumi/aws";
import {
  awakeShare,
  officeCron,
  officeHoursProblems,
  OfficeHoursSchedule,
  shareBetween,
  type OfficeHours,
  type OfficeHoursArgs,
} from "../../components/office-hours";
import { recordProgram, SynthError, type SynthResult } from "../../synth/synth";
import { estimateCost } from "../../synth/cost";
import { ofType, physical, resource } from "../helpers/synth";

const T = {
  action: "aws:appautoscaling/scheduledAction:ScheduledAction",
  schedule: "aws:scheduler/schedule:Schedule",
  group: "aws:scheduler/scheduleGroup:ScheduleGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

const HOURS: OfficeHours = { days: "MON-FRI", from: 8, to: 18, timezone: "Europe/Dublin" };
const STACK = { project: "saas-platform", stack: "test", config: {}, secretKeys: [] };

/** An ECS service with a scalable target, an RDS instance, a NAT-like instance and an alarm, put to sleep. */
async function sleepingStack(hours: OfficeHours = HOURS): Promise<SynthResult> {
  return recordProgram(STACK, async () => {
    const service = new aws.ecs.Service("svc", { name: "svc", cluster: "cluster", desiredCount: 2 });
    const target = new aws.appautoscaling.Target("svc-scaling", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: service.name.apply((n) => `service/cluster/${n}`),
      minCapacity: 2,
      maxCapacity: 4,
    });
    const db = new aws.rds.Instance("db", {
      identifier: "app-db",
      instanceClass: "db.t4g.micro",
      engine: "postgres",
      allocatedStorage: 20,
    });
    const nat = new aws.ec2.Instance("nat", { ami: "ami-1", instanceType: "t4g.nano", sourceDestCheck: false });
    const alarm = new aws.cloudwatch.MetricAlarm("alarm", {
      comparisonOperator: "GreaterThanThreshold",
      evaluationPeriods: 1,
    });
    new OfficeHoursSchedule("office-hours", {
      hours,
      services: [{ name: "api", scalableTargetResourceId: target.resourceId, minTasks: 2, maxTasks: 4 }],
      databases: [{ name: "database", identifier: db.identifier, arn: db.arn }],
      instances: [{ name: "nat", id: nat.id, arn: nat.arn }],
      alarms: { names: [alarm.name], arns: [alarm.arn] },
    });
    return {};
  });
}

let stack: SynthResult;
beforeAll(async () => {
  stack = await sleepingStack();
});
const schedule = (name: string) => resource(stack, T.schedule, `office-hours-${name}`);
const input = (name: string): unknown =>
  JSON.parse(String((schedule(name).inputs["target"] as { input: string }).input));

describe("office hours", () => {
  test("cron expressions on the office days, with minutes before and after the hour", () => {
    expect(officeCron(HOURS, 8)).toBe("cron(0 8 ? * MON-FRI *)");
    expect(officeCron(HOURS, 8, -15)).toBe("cron(45 7 ? * MON-FRI *)");
    expect(officeCron(HOURS, 18, 5)).toBe("cron(5 18 ? * MON-FRI *)");
  });

  test("the awake share is office days × hours over the week's 168 hours", () => {
    expect(awakeShare(HOURS)).toBeCloseTo((5 * 10) / 168);
    expect(awakeShare({ ...HOURS, days: "SUN-SAT", from: 1, to: 23 })).toBeCloseTo((7 * 22) / 168);
    expect(shareBetween("cron(45 7 ? * MON-FRI *)", "cron(5 18 ? * MON-FRI *)")).toBeCloseTo((5 * 620) / (168 * 60));
    // Forms the estimate cannot read are not guessed at.
    expect(shareBetween("rate(1 hour)", "cron(5 18 ? * MON-FRI *)")).toBeUndefined();
    expect(shareBetween("cron(0 8 ? * MON-FRI *)", "cron(0 18 ? * MON-SAT *)")).toBeUndefined();
    expect(shareBetween("cron(0 18 ? * MON-FRI *)", "cron(0 8 ? * MON-FRI *)")).toBeUndefined();
  });

  test("every problem of the hours at once, each naming its key", () => {
    expect(officeHoursProblems(HOURS)).toEqual([]);
    expect(officeHoursProblems({ days: "WEEKDAYS" as never, from: 0, to: 24, timezone: "Mars/Olympus" })).toEqual([
      { key: "days", message: 'must be one of MON-FRI, MON-SAT, SUN-SAT (got "WEEKDAYS")' },
      { key: "from", message: "must be a whole hour from 1 to 22 (got 0)" },
      { key: "to", message: "must be a whole hour from 2 to 23 (got 24)" },
      { key: "timezone", message: 'must be an IANA time zone such as UTC or Europe/Dublin (got "Mars/Olympus")' },
    ]);
    expect(officeHoursProblems({ ...HOURS, from: 18, to: 9 })).toEqual([
      { key: "to", message: "must be a later hour than from (18) (got 9)" },
    ]);
    expect(officeHoursProblems({ ...HOURS, timezone: "UTC" })).toEqual([]);
    // IANA names that V8 lists under an older alias are valid too.
    for (const timezone of ["Asia/Kolkata", "Europe/Kyiv", "Etc/UTC", "America/Nuuk"]) {
      expect(officeHoursProblems({ ...HOURS, timezone })).toEqual([]);
    }
  });

  test("bad hours fail before any resource is declared", async () => {
    const error = await sleepingStack({ ...HOURS, to: 7 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SynthError);
    expect((error as SynthError).message).toContain(
      'OfficeHoursSchedule "office-hours" has invalid args:\n  - hours.to must be a later hour than from (8) (got 7)',
    );
    expect(ofType({ resources: (error as SynthError).declared } as SynthResult, T.schedule)).toEqual([]);
  });
});

describe("the schedule", () => {
  test("scales each service to 0–0 tasks at the end of the day and back to its range in the morning", () => {
    const target = resource(stack, "aws:appautoscaling/target:Target", "svc-scaling");
    const actions = ofType(stack, T.action).map((a) => ({
      name: a.name,
      resourceId: a.inputs["resourceId"],
      dependsOnTarget: a.propertyDependencies["resourceId"],
      schedule: a.inputs["schedule"],
      timezone: a.inputs["timezone"],
      range: a.inputs["scalableTargetAction"],
      namespace: a.inputs["serviceNamespace"],
      dimension: a.inputs["scalableDimension"],
    }));
    const common = {
      resourceId: "service/cluster/svc",
      dependsOnTarget: [target.urn],
      timezone: "Europe/Dublin",
      namespace: "ecs",
      dimension: "ecs:service:DesiredCount",
    };
    expect(actions).toEqual([
      {
        ...common,
        name: "office-hours-api-sleep",
        schedule: "cron(0 18 ? * MON-FRI *)",
        range: { minCapacity: 0, maxCapacity: 0 },
      },
      {
        ...common,
        name: "office-hours-api-wake",
        schedule: "cron(0 8 ? * MON-FRI *)",
        range: { minCapacity: 2, maxCapacity: 4 },
      },
    ]);
  });

  test("starts the database and instance 15 minutes early and stops them 5 minutes after the services", () => {
    const db = resource(stack, "aws:rds/instance:Instance", "db");
    const nat = resource(stack, "aws:ec2/instance:Instance", "nat");
    const when = (name: string) => [
      schedule(name).inputs["scheduleExpression"],
      schedule(name).inputs["scheduleExpressionTimezone"],
    ];
    expect(when("database-start")).toEqual(["cron(45 7 ? * MON-FRI *)", "Europe/Dublin"]);
    expect(when("database-stop")).toEqual(["cron(5 18 ? * MON-FRI *)", "Europe/Dublin"]);
    expect(when("nat-start")).toEqual(["cron(45 7 ? * MON-FRI *)", "Europe/Dublin"]);
    expect(when("nat-stop")).toEqual(["cron(5 18 ? * MON-FRI *)", "Europe/Dublin"]);
    // Universal targets: the SDK action and its input, with the Scheduler's own casing (`DbInstanceIdentifier`).
    expect((schedule("database-start").inputs["target"] as { arn: string }).arn).toBe(
      "arn:aws:scheduler:::aws-sdk:rds:startDBInstance",
    );
    expect((schedule("database-stop").inputs["target"] as { arn: string }).arn).toBe(
      "arn:aws:scheduler:::aws-sdk:rds:stopDBInstance",
    );
    expect(input("database-stop")).toEqual({ DbInstanceIdentifier: "app-db" });
    expect((schedule("nat-stop").inputs["target"] as { arn: string }).arn).toBe(
      "arn:aws:scheduler:::aws-sdk:ec2:stopInstances",
    );
    expect(input("nat-start")).toEqual({ InstanceIds: [nat.id] });
    // The schedules depend on what they stop (the estimate and the policy read that relation).
    expect(schedule("database-stop").propertyDependencies["target"]).toContain(db.urn);
    expect(schedule("nat-stop").propertyDependencies["target"]).toContain(nat.urn);
    for (const s of ofType(stack, T.schedule)) {
      expect(s.inputs["flexibleTimeWindow"]).toEqual({ mode: "OFF" });
      expect(s.inputs["groupName"]).toBe(resource(stack, T.group, "office-hours").inputs["name"]);
    }
  });

  test("silences the alarms while asleep and lets them page again 15 minutes after the services are back", () => {
    const alarm = resource(stack, "aws:cloudwatch/metricAlarm:MetricAlarm", "alarm");
    expect(schedule("alarms-off").inputs["scheduleExpression"]).toBe("cron(0 18 ? * MON-FRI *)");
    expect(schedule("alarms-on").inputs["scheduleExpression"]).toBe("cron(15 8 ? * MON-FRI *)");
    expect((schedule("alarms-off").inputs["target"] as { arn: string }).arn).toBe(
      "arn:aws:scheduler:::aws-sdk:cloudwatch:disableAlarmActions",
    );
    expect(input("alarms-on")).toEqual({ AlarmNames: [alarm.state!["name"] ?? alarm.inputs["name"]] });
  });

  test("runs as a role only Scheduler of this account may assume, allowed exactly the calls it makes on those resources", () => {
    const role = resource(stack, T.role, "office-hours-scheduler");
    // What an operator reads in the IAM console about a role nobody assumes by hand.
    expect(role.inputs["description"]).toBe("EventBridge Scheduler: stops and starts this stack out of office hours");
    expect(JSON.parse(String(role.inputs["assumeRolePolicy"]))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "scheduler.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
    const db = resource(stack, "aws:rds/instance:Instance", "db");
    const nat = resource(stack, "aws:ec2/instance:Instance", "nat");
    const alarm = resource(stack, "aws:cloudwatch/metricAlarm:MetricAlarm", "alarm");
    const policy = JSON.parse(String(resource(stack, T.rolePolicy, "office-hours-scheduler").inputs["policy"]));
    expect(policy.Statement).toEqual([
      {
        Sid: "StopStartDatabases",
        Effect: "Allow",
        Action: ["rds:StopDBInstance", "rds:StartDBInstance"],
        Resource: [db.state!["arn"]],
      },
      {
        Sid: "StopStartInstances",
        Effect: "Allow",
        Action: ["ec2:StopInstances", "ec2:StartInstances"],
        Resource: [nat.state!["arn"]],
      },
      {
        Sid: "AlarmActions",
        Effect: "Allow",
        Action: ["cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions"],
        Resource: [alarm.state!["arn"]],
      },
    ]);
    // No schedule fires before its role may make the call.
    const policyUrn = resource(stack, T.rolePolicy, "office-hours-scheduler").urn;
    for (const s of ofType(stack, T.schedule)) expect(s.dependencies).toContain(policyUrn);
  });

  test("the estimate prices what the schedule stops by the share of the week it runs", () => {
    const cost = estimateCost(stack);
    const line = (name: string) => cost.resources.find((x) => x.name === name)!.cost;
    // db.t4g.micro in eu-west-1: $0.017 an hour, awake 07:45–18:05 on weekdays (5 × 620 minutes of 10,080).
    const dbShare = (5 * 620) / (7 * 24 * 60);
    expect(line("db")).toMatchObject({ kind: "priced", monthly: round(0.017 * 730 * dbShare + 20 * 0.127) });
    expect((line("db") as { basis: string }).basis).toContain("awake 31 % of the week");
    for (const free of [T.action, T.schedule, T.group]) {
      for (const r of cost.resources.filter((x) => x.type === free)) expect(r.cost.kind).toBe("free");
    }
  });
});

const round = (v: number) => Math.round(v * 100) / 100;

describe("OfficeHoursSchedule from plain args", () => {
  /** The component alone, with only what a test gives besides the hours; its group name comes back as an output. */
  const build = (args: Partial<OfficeHoursArgs> = {}) =>
    recordProgram(STACK, async () => {
      const schedule = new OfficeHoursSchedule("office-hours", { hours: HOURS, ...args });
      return { groupName: schedule.groupName };
    });

  test("services, databases, instances, alarms and tags omitted: only the schedule group, tagged with its component", async () => {
    const result = await build();
    expect(physical(result).map((x) => [x.type, x.name])).toEqual([[T.group, "office-hours"]]);
    const group = resource(result, T.group, "office-hours");
    expect(group.inputs).toEqual({
      name: "saas-platform-test-office-hours",
      tags: { Component: "office-hours" },
    });
    expect(group.state!["name"]).toBe("saas-platform-test-office-hours");
    expect(result.outputs["groupName"]).toBe("saas-platform-test-office-hours");
  });

  test("services alone: two free scheduled actions per service and no Scheduler role (nothing for it to call)", async () => {
    const result = await build({
      services: [{ name: "api", scalableTargetResourceId: "service/cluster/api", minTasks: 1, maxTasks: 3 }],
    });
    expect(ofType(result, T.action).map((a) => [a.name, a.inputs["name"], a.inputs["scalableTargetAction"]])).toEqual([
      ["office-hours-api-sleep", "saas-platform-test-office-hours-api-sleep", { minCapacity: 0, maxCapacity: 0 }],
      ["office-hours-api-wake", "saas-platform-test-office-hours-api-wake", { minCapacity: 1, maxCapacity: 3 }],
    ]);
    expect(ofType(result, T.role)).toEqual([]);
    expect(ofType(result, T.schedule)).toEqual([]);
  });

  test("alarms with no names count as none: no role, no alarm schedules", async () => {
    const result = await build({ alarms: { names: [], arns: [] } });
    expect(ofType(result, T.role)).toEqual([]);
    expect(ofType(result, T.rolePolicy)).toEqual([]);
    expect(ofType(result, T.schedule)).toEqual([]);
  });

  test("a database alone: its two schedules in the group, run by the role, retried for an hour, described with the hours", async () => {
    const result = await build({
      databases: [{ name: "db", identifier: "app-db", arn: "arn:aws:rds:eu-west-1:123456789012:db:app-db" }],
      tags: { Team: "platform" },
    });
    const group = resource(result, T.group, "office-hours");
    const role = resource(result, T.role, "office-hours-scheduler");
    expect(ofType(result, T.schedule).map((s) => s.name)).toEqual(["office-hours-db-start", "office-hours-db-stop"]);
    expect(resource(result, T.schedule, "office-hours-db-stop").inputs).toMatchObject({
      name: "saas-platform-test-db-stop",
      groupName: "saas-platform-test-office-hours",
      description: "rds:stopDBInstance (office hours MON-FRI 8:00–18:00 Europe/Dublin)",
      target: {
        arn: "arn:aws:scheduler:::aws-sdk:rds:stopDBInstance",
        roleArn: role.state!["arn"],
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
      },
    });
    expect(JSON.parse(String(resource(result, T.rolePolicy, "office-hours-scheduler").inputs["policy"]))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "StopStartDatabases",
          Effect: "Allow",
          Action: ["rds:StopDBInstance", "rds:StartDBInstance"],
          Resource: ["arn:aws:rds:eu-west-1:123456789012:db:app-db"],
        },
      ],
    });
    // Given tags join the component's own on the group and the role.
    for (const x of [group, role]) expect(x.inputs["tags"]).toEqual({ Team: "platform", Component: "office-hours" });
  });

  test("every problem of the hours at once, each under hours.<key>, before anything is declared", async () => {
    const error = await build({
      hours: { days: "WEEKDAYS" as never, from: 0, to: 24, timezone: "Mars/Olympus" },
    }).then(
      () => undefined,
      (e: unknown) => e as SynthError,
    );
    expect(error?.message).toBe(
      [
        'OfficeHoursSchedule "office-hours" has invalid args:',
        '  - hours.days must be one of MON-FRI, MON-SAT, SUN-SAT (got "WEEKDAYS")',
        "  - hours.from must be a whole hour from 1 to 22 (got 0)",
        "  - hours.to must be a whole hour from 2 to 23 (got 24)",
        '  - hours.timezone must be an IANA time zone such as UTC or Europe/Dublin (got "Mars/Olympus")',
      ].join("\n"),
    );
    expect(error?.declared.map((x) => x.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});

describe("office hours at their limits", () => {
  test("the first and last hours a stack may wake up and sleep are accepted", () => {
    expect(officeHoursProblems({ ...HOURS, from: 1, to: 2 })).toEqual([]);
    expect(officeHoursProblems({ ...HOURS, from: 22, to: 23 })).toEqual([]);
  });

  test("one hour past either end is refused, naming the range", () => {
    expect(officeHoursProblems({ ...HOURS, from: 23, to: 23 })).toEqual([
      { key: "from", message: "must be a whole hour from 1 to 22 (got 23)" },
    ]);
    expect(officeHoursProblems({ ...HOURS, from: 1, to: 1 })).toEqual([
      { key: "to", message: "must be a whole hour from 2 to 23 (got 1)" },
    ]);
  });

  test("hours are whole hours", () => {
    expect(officeHoursProblems({ ...HOURS, from: 8.5, to: 17.5 })).toEqual([
      { key: "from", message: "must be a whole hour from 1 to 22 (got 8.5)" },
      { key: "to", message: "must be a whole hour from 2 to 23 (got 17.5)" },
    ]);
  });

  test("a stack awake for no hour at all is refused", () => {
    expect(officeHoursProblems({ ...HOURS, from: 9, to: 9 })).toEqual([
      { key: "to", message: "must be a later hour than from (9) (got 9)" },
    ]);
  });

  test("the estimate reads only a whole cron expression, and no window of zero length", () => {
    expect(shareBetween("xcron(0 8 ? * MON-FRI *)", "cron(0 18 ? * MON-FRI *)")).toBeUndefined();
    expect(shareBetween("cron(0 8 ? * MON-FRI *)", "cron(0 18 ? * MON-FRI *) and more")).toBeUndefined();
    expect(shareBetween("cron(0 8 ? * MON-FRI *)", "cron(0 8 ? * MON-FRI *)")).toBeUndefined();
  });
});
