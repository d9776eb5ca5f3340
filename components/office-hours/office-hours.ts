import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "../iam";
import { namingScope, physicalName } from "../naming";
import { throwIfInvalid } from "../validation";
import {
  ALARMS_SETTLE_MINUTES,
  DRAIN_MINUTES,
  officeCron,
  officeHoursProblems,
  WARM_UP_MINUTES,
  type OfficeHours,
} from "./hours";

/** A service whose task count sleeps: its Application Auto Scaling target (min and max while awake). */
export interface SleepingService {
  /** Names its two scheduled actions (`<component>-<name>-sleep`, `-wake`). */
  readonly name: string;
  /** The scalable target's `resourceId` (`service/<cluster>/<service>`), as the target outputs it. */
  readonly scalableTargetResourceId: pulumi.Input<string>;
  readonly minTasks: number;
  readonly maxTasks: number;
}

export interface OfficeHoursArgs {
  readonly hours: OfficeHours;
  /** Services scaled to zero tasks while asleep. */
  readonly services?: readonly SleepingService[];
  /** RDS instances stopped while asleep (single-AZ or Multi-AZ instances; not read replicas). */
  readonly databases?: ReadonlyArray<{
    readonly name: string;
    readonly identifier: pulumi.Input<string>;
    readonly arn: pulumi.Input<string>;
  }>;
  /** EC2 instances stopped while asleep (the NAT instance). */
  readonly instances?: ReadonlyArray<{
    readonly name: string;
    readonly id: pulumi.Input<string>;
    readonly arn: pulumi.Input<string>;
  }>;
  /** Alarms whose actions are off while asleep (a stopped stack is not an incident). */
  readonly alarms?: { readonly names: pulumi.Input<string>[]; readonly arns: pulumi.Input<string>[] };
  readonly tags?: Record<string, string>;
}

/**
 * Puts a non-production stack to sleep out of office hours: Application Auto Scaling scheduled actions set each
 * service's task range to 0–0 and back; EventBridge Scheduler stops and starts the databases and instances through
 * universal targets (`arn:aws:scheduler:::aws-sdk:<service>:<action>`) and switches the alarms' actions off and on.
 * Order on waking: database and NAT instance first ({@link WARM_UP_MINUTES} early), services on the hour, alarms
 * {@link ALARMS_SETTLE_MINUTES} later; on sleeping: alarms and services on the hour, the rest
 * {@link DRAIN_MINUTES} later. Scheduler is billed per invocation beyond 14 million a month (free here); scheduled
 * actions are free.
 */
export class OfficeHoursSchedule extends pulumi.ComponentResource {
  /** The schedule group holding the stack's stop and start schedules. */
  public readonly groupName: pulumi.Output<string>;

  constructor(name: string, args: OfficeHoursArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfInvalid(
      "OfficeHoursSchedule",
      name,
      officeHoursProblems(args.hours).map((p) => `hours.${p.key} ${p.message}`),
    );
    super("saas-platform:components:OfficeHoursSchedule", name, {}, opts);
    const child = { parent: this };
    const scope = namingScope();
    const tags = { ...args.tags, Component: "office-hours" };
    const { hours } = args;
    const at = (hour: number, minutes = 0) => ({
      schedule: officeCron(hours, hour, minutes),
      timezone: hours.timezone,
    });

    for (const svc of args.services ?? []) {
      const action = (id: string, when: { schedule: string; timezone: string }, min: number, max: number) =>
        new aws.appautoscaling.ScheduledAction(
          `${name}-${svc.name}-${id}`,
          {
            name: physicalName(scope, `${name}-${svc.name}-${id}`),
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: svc.scalableTargetResourceId,
            ...when,
            scalableTargetAction: { minCapacity: min, maxCapacity: max },
          },
          child,
        );
      action("sleep", at(hours.to), 0, 0);
      action("wake", at(hours.from), svc.minTasks, svc.maxTasks);
    }

    const databases = args.databases ?? [];
    const instances = args.instances ?? [];
    const alarms = args.alarms;
    const group = new aws.scheduler.ScheduleGroup(
      name,
      { name: physicalName(scope, name, "schedulerGroup"), tags },
      child,
    );
    this.groupName = group.name;
    if (databases.length + instances.length === 0 && (alarms === undefined || alarms.names.length === 0)) {
      this.registerOutputs({ groupName: this.groupName });
      return;
    }

    const accountId = aws.getCallerIdentityOutput({}, child).accountId;
    const role = new aws.iam.Role(
      `${name}-scheduler`,
      {
        description: "EventBridge Scheduler: stops and starts this stack out of office hours",
        assumeRolePolicy: serviceTrustPolicy("scheduler.amazonaws.com", accountId),
        tags,
      },
      child,
    );
    const statements: pulumi.Input<object>[] = [];
    if (databases.length > 0) {
      statements.push({
        Sid: "StopStartDatabases",
        Effect: "Allow",
        Action: ["rds:StopDBInstance", "rds:StartDBInstance"],
        Resource: databases.map((d) => d.arn),
      });
    }
    if (instances.length > 0) {
      statements.push({
        Sid: "StopStartInstances",
        Effect: "Allow",
        Action: ["ec2:StopInstances", "ec2:StartInstances"],
        Resource: instances.map((i) => i.arn),
      });
    }
    if (alarms !== undefined && alarms.names.length > 0) {
      statements.push({
        Sid: "AlarmActions",
        Effect: "Allow",
        Action: ["cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions"],
        Resource: alarms.arns,
      });
    }
    const policy = new aws.iam.RolePolicy(
      `${name}-scheduler`,
      { role: role.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }) },
      child,
    );

    const schedule = (
      id: string,
      when: { schedule: string; timezone: string },
      action: string,
      input: pulumi.Input<object>,
    ) =>
      new aws.scheduler.Schedule(
        `${name}-${id}`,
        {
          name: physicalName(scope, id, "schedulerSchedule"),
          groupName: group.name,
          description: `${action} (office hours ${hours.days} ${hours.from}:00–${hours.to}:00 ${hours.timezone})`,
          scheduleExpression: when.schedule,
          scheduleExpressionTimezone: when.timezone,
          flexibleTimeWindow: { mode: "OFF" },
          target: {
            arn: `arn:aws:scheduler:::aws-sdk:${action}`,
            roleArn: role.arn,
            input: pulumi.jsonStringify(input),
            // A stop or start that fails (e.g. the database is still backing up) is retried for up to an hour.
            retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
          },
        },
        // The role must allow the call before the first invocation.
        { ...child, dependsOn: [policy] },
      );

    for (const db of databases) {
      schedule(`${db.name}-start`, at(hours.from, -WARM_UP_MINUTES), "rds:startDBInstance", {
        DbInstanceIdentifier: db.identifier,
      });
      schedule(`${db.name}-stop`, at(hours.to, DRAIN_MINUTES), "rds:stopDBInstance", {
        DbInstanceIdentifier: db.identifier,
      });
    }
    for (const instance of instances) {
      schedule(`${instance.name}-start`, at(hours.from, -WARM_UP_MINUTES), "ec2:startInstances", {
        InstanceIds: [instance.id],
      });
      schedule(`${instance.name}-stop`, at(hours.to, DRAIN_MINUTES), "ec2:stopInstances", {
        InstanceIds: [instance.id],
      });
    }
    if (alarms !== undefined && alarms.names.length > 0) {
      schedule("alarms-on", at(hours.from, ALARMS_SETTLE_MINUTES), "cloudwatch:enableAlarmActions", {
        AlarmNames: alarms.names,
      });
      schedule("alarms-off", at(hours.to), "cloudwatch:disableAlarmActions", { AlarmNames: alarms.names });
    }
    this.registerOutputs({ groupName: this.groupName });
  }
}
