/**
 * The AWS facts of a scheduled task, pure: the schedule expressions EventBridge Scheduler accepts, the Step Functions
 * limits, and the state machine that runs the task. The component, its tests and the docs share them.
 */

/**
 * Longest a Standard workflow execution may run: one year (Step Functions quotas, "Maximum execution time"). Every
 * attempt of the task and the waits between them fit in one execution.
 */
export const MAX_EXECUTION_MINUTES = 365 * 24 * 60;
/** Most retries of a failed run the component allows (each one is a whole run of the task). */
export const MAX_RETRIES = 10;
/** Seconds before the first retry; each later wait is {@link RETRY_BACKOFF_RATE} times longer (1, 2, 4 … minutes). */
export const RETRY_INTERVAL_SECONDS = 60;
export const RETRY_BACKOFF_RATE = 2;

/**
 * Field by field, the characters a cron expression of EventBridge Scheduler may hold (EventBridge "Cron expressions
 * reference", which Scheduler's "Schedule types" page follows): minutes, hours, day-of-month, month, day-of-week, year.
 */
const CRON_FIELDS: ReadonlyArray<readonly [string, RegExp]> = [
  ["minutes", /^[0-9,\-*/]+$/],
  ["hours", /^[0-9,\-*/]+$/],
  ["day-of-month", /^[0-9,\-*?/LW]+$/],
  ["month", /^[0-9A-Za-z,\-*/]+$/],
  ["day-of-week", /^[0-9A-Za-z,\-*?L#]+$/],
  ["year", /^[0-9,\-*/]+$/],
];

/**
 * What is wrong with a recurring schedule expression, or nothing. Scheduler takes `cron(fields)` with six fields
 * (minutes hours day-of-month month day-of-week year; one of the two day fields must be `?`) or `rate(value unit)`
 * with a positive whole value and minute(s), hour(s) or day(s): singular for 1, plural above (Scheduler API reference,
 * `ScheduleExpression`; EventBridge "Rate expressions reference"). One-time `at(...)` expressions are not for a cron.
 */
export function scheduleExpressionProblems(expression: string): string[] {
  const got = `(got ${JSON.stringify(expression)})`;
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron !== null) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length !== 6) {
      return [
        `schedule cron(...) must have 6 fields: minutes hours day-of-month month day-of-week year, e.g. cron(0 3 * * ? *) ${got}`,
      ];
    }
    const problems = CRON_FIELDS.flatMap(([field, allowed], i) =>
      allowed.test(fields[i]!) ? [] : [`schedule cron(...) has an invalid ${field} field "${fields[i]}" ${got}`],
    );
    // "You can't use * in both the Day-of-month and Day-of-week fields. If you use it in one, you must use ? in the other."
    if ((fields[2] === "?") === (fields[4] === "?")) {
      problems.push(`schedule cron(...) must use ? in exactly one of day-of-month and day-of-week ${got}`);
    }
    return problems;
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate !== null) {
    const value = Number(rate[1]);
    const singular = !rate[2]!.endsWith("s");
    if (value < 1) return [`schedule rate(...) must have a value of at least 1 ${got}`];
    if (singular !== (value === 1)) {
      return [
        `schedule rate(...) takes a singular unit for 1 and a plural one above, e.g. rate(1 hour), rate(6 hours) ${got}`,
      ];
    }
    return [];
  }
  return [
    `schedule must be cron(minutes hours day-of-month month day-of-week year) or rate(<n> minute(s)|hour(s)|day(s)) ${got}`,
  ];
}

/** Minutes one execution can last at most: every attempt timing out, and the waits between attempts. */
export function worstCaseMinutes(timeoutMinutes: number, retries: number): number {
  let waits = 0;
  for (let k = 0; k < retries; k++) waits += RETRY_INTERVAL_SECONDS * RETRY_BACKOFF_RATE ** k;
  return (retries + 1) * timeoutMinutes + waits / 60;
}

/** What the state machine runs: the task on the cluster, in the given subnets and security group, no public IP. */
export interface RunTaskTarget {
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  readonly capacity: "FARGATE" | "FARGATE_SPOT";
  readonly timeoutMinutes: number;
  readonly retries: number;
}

/** The one state of the machine. */
export const RUN_STATE = "RunTask";

/**
 * The Amazon States Language definition: one Task state on the optimised ECS integration's Run a Job pattern
 * (`ecs:runTask.sync`), which waits for the task to stop. It fails when the task cannot start (a non-empty `Failures`
 * is reported as `AmazonECS.Unknown`: Step Functions developer guide, "Run Amazon ECS or Fargate tasks") and when an
 * essential container exits non-zero (`States.TaskFailed`, as the AWS Copilot team observed for its scheduled jobs,
 * aws/copilot-cli#3160, built on the same pattern), so no Choice on the exit code is needed. Each attempt may run
 * `timeoutMinutes` (`TimeoutSeconds`, then `States.Timeout`). Retries: every error except a timeout (a run that hit
 * its limit would most likely hit it again), following the "retry any error except States.Timeout" example of the
 * developer guide ("Error handling": a retrier for `States.Timeout` with `MaxAttempts` 0 first, then `States.ALL`,
 * which must come alone and last). Nothing catches the final error, so the execution fails and the alarm sees it.
 */
export function stateMachineDefinition(name: string, t: RunTaskTarget): object {
  return {
    Comment: `Runs ${name} once on Fargate; fails when the task cannot start, exits non-zero or runs too long`,
    StartAt: RUN_STATE,
    States: {
      [RUN_STATE]: {
        Type: "Task",
        Resource: "arn:aws:states:::ecs:runTask.sync",
        Parameters: {
          Cluster: t.clusterArn,
          TaskDefinition: t.taskDefinitionArn,
          // LaunchType works on any cluster; Spot needs a strategy (and a cluster that offers FARGATE_SPOT).
          ...(t.capacity === "FARGATE"
            ? { LaunchType: "FARGATE" }
            : { CapacityProviderStrategy: [{ CapacityProvider: "FARGATE_SPOT", Weight: 1 }] }),
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              Subnets: [...t.subnetIds],
              SecurityGroups: [t.securityGroupId],
              AssignPublicIp: "DISABLED",
            },
          },
        },
        TimeoutSeconds: t.timeoutMinutes * 60,
        Retry: [
          { ErrorEquals: ["States.Timeout"], MaxAttempts: 0 },
          {
            ErrorEquals: ["States.ALL"],
            IntervalSeconds: RETRY_INTERVAL_SECONDS,
            MaxAttempts: t.retries,
            BackoffRate: RETRY_BACKOFF_RATE,
          },
        ],
        End: true,
      },
    },
  };
}
