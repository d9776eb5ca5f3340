/**
 * When a non-production stack is awake. Outside these hours its services run no task, its database is stopped and
 * its NAT instance is off; what is billed by the hour while asleep is only what cannot stop (the load balancer, the
 * cache node, storage). Pure: the config, the component and the cost estimate share these helpers.
 */
export const OFFICE_DAYS = ["MON-FRI", "MON-SAT", "SUN-SAT"] as const;
export type OfficeDays = (typeof OFFICE_DAYS)[number];

export interface OfficeHours {
  /** The days the stack wakes up (EventBridge Scheduler day-of-week range). */
  readonly days: OfficeDays;
  /** The hour the services are back (0–23, local time); the database and NAT instance start 15 minutes earlier. */
  readonly from: number;
  /** The hour everything goes to sleep (1–23, local time, after `from`). */
  readonly to: number;
  /** IANA time zone of `from` and `to` (e.g. `Europe/Dublin`); daylight saving time follows it. */
  readonly timezone: string;
}

/** What starts early, so that the services find their database and their egress ready. */
export const WARM_UP_MINUTES = 15;
/** How long after the services are back the alarms page again (the database's first minutes are noisy). */
export const ALARMS_SETTLE_MINUTES = 15;
/** How long after the services stop the database and NAT instance stop (connections drain first). */
export const DRAIN_MINUTES = 5;

const DAYS_PER_WEEK: Record<OfficeDays, number> = { "MON-FRI": 5, "MON-SAT": 6, "SUN-SAT": 7 };

/** Each problem of `hours`: the key (relative to the office-hours object) and what it must be. */
export function officeHoursProblems(hours: OfficeHours): Array<{ key: keyof OfficeHours; message: string }> {
  const problems: Array<{ key: keyof OfficeHours; message: string }> = [];
  const got = (value: unknown) => `(got ${JSON.stringify(value)})`;
  if (!OFFICE_DAYS.includes(hours.days)) {
    problems.push({ key: "days", message: `must be one of ${OFFICE_DAYS.join(", ")} ${got(hours.days)}` });
  }
  // 00:00 would put the warm-up on the previous day, outside the office days.
  const fromValid = Number.isInteger(hours.from) && hours.from >= 1 && hours.from <= 22;
  if (!fromValid) problems.push({ key: "from", message: `must be a whole hour from 1 to 22 ${got(hours.from)}` });
  if (!Number.isInteger(hours.to) || hours.to < 2 || hours.to > 23) {
    problems.push({ key: "to", message: `must be a whole hour from 2 to 23 ${got(hours.to)}` });
  } else if (fromValid && hours.to <= hours.from) {
    problems.push({ key: "to", message: `must be a later hour than from (${hours.from}) ${got(hours.to)}` });
  }
  if (!isTimeZone(hours.timezone)) {
    problems.push({
      key: "timezone",
      message: `must be an IANA time zone such as UTC or Europe/Dublin ${got(hours.timezone)}`,
    });
  }
  return problems;
}

/**
 * Whether the time-zone database knows `zone`, aliases included: `Intl.supportedValuesOf` lists only V8's canonical
 * names (`Asia/Calcutta`, not `Asia/Kolkata`), while a formatter accepts every IANA name and refuses typos.
 */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A weekly cron expression of EventBridge Scheduler and Application Auto Scaling (`cron(minutes hours ? * days *)`),
 * at `hour` plus `minutes` (negative: earlier) on the office days.
 */
export function officeCron(hours: OfficeHours, hour: number, minutes = 0): string {
  const total = hour * 60 + minutes;
  return `cron(${total % 60} ${Math.floor(total / 60)} ? * ${hours.days} *)`;
}

/** The share of a week the services are up. */
export function awakeShare(hours: OfficeHours): number {
  return (DAYS_PER_WEEK[hours.days] * (hours.to - hours.from)) / (7 * 24);
}

/**
 * The share of a week between two weekly crons of the form {@link officeCron} writes (start, then stop), or
 * `undefined` for any other form. The cost estimate reads the synthesised schedules with it.
 */
export function shareBetween(startCron: string, stopCron: string): number | undefined {
  const parse = (expr: string) => {
    const m = /^cron\((\d+) (\d+) \? \* ([A-Z-]+) \*\)$/.exec(expr);
    if (m === null || !(OFFICE_DAYS as readonly string[]).includes(m[3]!)) return undefined;
    return { minute: Number(m[1]) + Number(m[2]) * 60, days: m[3] as OfficeDays };
  };
  const start = parse(startCron);
  const stop = parse(stopCron);
  if (start === undefined || stop === undefined || start.days !== stop.days || stop.minute <= start.minute) {
    return undefined;
  }
  return (DAYS_PER_WEEK[start.days] * (stop.minute - start.minute)) / (7 * 24 * 60);
}
