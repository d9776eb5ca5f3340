/**
 * Whether a scheduled job would run while its stack sleeps. Out of office hours the stack's database (and staging's NAT
 * instance) are stopped, and its alarms are silenced: a job EventBridge Scheduler starts then fails unseen. Pure: the
 * config check reads it before anything is declared.
 */
import { isTimeZone, type OfficeDays, type OfficeHours } from "./hours";

/** Days of the week as JavaScript numbers them (0 = Sunday), with EventBridge's names. */
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
const OFFICE_DAY_NUMBERS: Record<OfficeDays, readonly number[]> = {
  "MON-FRI": [1, 2, 3, 4, 5],
  "MON-SAT": [1, 2, 3, 4, 5, 6],
  "SUN-SAT": [0, 1, 2, 3, 4, 5, 6],
};
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const WEEKDAYS = [1, 2, 3, 4, 5];

/**
 * The values one cron field selects between `min` and `max`: `*`, `a`, `a-b`, `a/step`, `*\/step`, `a-b/step` and
 * lists of them (EventBridge Scheduler "Cron expressions reference"). `value` reads one token (a number or a name);
 * `undefined` for anything else.
 */
function fieldValues(
  field: string,
  min: number,
  max: number,
  value: (token: string) => number | undefined,
): number[] | undefined {
  const selected = new Set<number>();
  for (const part of field.split(",")) {
    const m = /^(\*|[^-/]+)(?:-([^-/]+))?(?:\/(\d+))?$/.exec(part);
    if (m === null) return undefined;
    const from = m[1] === "*" ? min : value(m[1]!);
    const to = m[2] !== undefined ? value(m[2]) : m[1] === "*" || m[3] !== undefined ? max : from;
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (from === undefined || to === undefined || step < 1 || from < min || from > max || to < min || to > max) {
      return undefined;
    }
    // A range that runs backwards (`22-2`, `FRI-MON`) is read as wrapping round: more runs, never fewer.
    const span = to >= from ? to - from : max - min + 1 - (from - to);
    for (let i = 0; i <= span; i += step) selected.add(min + ((from - min + i) % (max - min + 1)));
  }
  return [...selected].sort((a, b) => a - b);
}

/** A minutes or hours token: digits only. */
const digits = (token: string): number | undefined => (/^\d+$/.test(token) ? Number(token) : undefined);

/** A day-of-week token: `SUN`–`SAT` or 1–7 (1 is Sunday), as JavaScript's 0–6; `FRI#3` and `6L` name their day. */
function dayNumber(token: string): number | undefined {
  const day = token.toUpperCase().replace(/#\d+$|L$/, "");
  if (day === "") return 6; // `L` alone: the last day of the week, Saturday.
  const named = (DAY_NAMES as readonly string[]).indexOf(day);
  if (named >= 0) return named;
  return /^[1-7]$/.test(day) ? Number(day) - 1 : undefined;
}

/** The days of the week a cron's day fields let it run on. */
function cronDays(dayOfMonth: string, dayOfWeek: string): number[] | undefined {
  if (dayOfWeek !== "?") return fieldValues(dayOfWeek, 0, 6, dayNumber);
  // A day of the month falls on every day of the week over the months, unless `W` asks for the nearest weekday.
  return dayOfMonth.includes("W") ? WEEKDAYS : EVERY_DAY;
}

/** A wall-clock time of one day of the week: day (0 = Sunday), hour and minute. */
interface WeekTime {
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** How many minutes `zone`'s wall clock is ahead of UTC at an instant. */
function offsetMinutes(zone: string, instant: number): number {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      hourCycle: "h23",
    });
    formatters.set(zone, format);
  }
  const p = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  const wall = Date.UTC(p["year"]!, p["month"]! - 1, p["day"], p["hour"], p["minute"]);
  return Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

const shifts = new Map<string, readonly number[]>();
/**
 * Every difference, in minutes, between the wall clocks of `office` and `job` over a year (2026, every 6 hours): one
 * for zones without daylight saving time, more where the two change their clocks on different dates (New York and
 * London differ by 4 hours for weeks in March and October, 5 otherwise).
 */
function shiftsBetween(job: string, office: string): readonly number[] {
  const key = `${job} ${office}`;
  let found = shifts.get(key);
  if (found === undefined) {
    const seen = new Set<number>();
    const start = Date.UTC(2026, 0, 1);
    for (let t = start; t < Date.UTC(2027, 0, 1); t += 6 * 3_600_000) {
      seen.add(offsetMinutes(office, t) - offsetMinutes(job, t));
    }
    found = [...seen].sort((a, b) => a - b);
    shifts.set(key, found);
  }
  return found;
}

const WEEK_MINUTES = 7 * 24 * 60;
/** A time of the week moved by `minutes`, round the week. */
function shifted(time: WeekTime, minutes: number): WeekTime {
  const total =
    ((((time.day * 24 + time.hour) * 60 + time.minute + minutes) % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
  return { day: Math.floor(total / 1440), hour: Math.floor((total % 1440) / 60), minute: total % 60 };
}

const awake = (t: WeekTime, hours: OfficeHours): boolean =>
  OFFICE_DAY_NUMBERS[hours.days].includes(t.day) &&
  t.hour * 60 + t.minute >= hours.from * 60 &&
  t.hour * 60 + t.minute < hours.to * 60;

const shown = (t: WeekTime, zone: string): string =>
  `${DAY_NAMES[t.day]} ${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")} ${zone}`;

/**
 * When a job scheduled by `schedule` (EventBridge Scheduler's `cron(...)` or `rate(...)`, in `timezone`) would start
 * while a stack with these office hours sleeps: one such time in the office hours' zone ("SUN 03:00 UTC"), "around the
 * clock" for a rate, or `undefined` when every run starts inside office hours, whatever the two zones' daylight saving
 * time. A cron this reading does not model, or an unknown time zone, is left to the schedule's and the zone's own
 * checks (`undefined`).
 */
export function asleepRun(schedule: string, timezone: string, hours: OfficeHours): string | undefined {
  // A zone that does not exist is the time-zone checks' problem, not this one's.
  if (!isTimeZone(timezone) || !isTimeZone(hours.timezone)) return undefined;
  if (schedule.startsWith("rate(")) return "around the clock";
  const fields = /^cron\((.*)\)$/.exec(schedule)?.[1]?.trim().split(/\s+/);
  if (fields === undefined || fields.length !== 6) return undefined;
  const minutes = fieldValues(fields[0]!, 0, 59, digits);
  const hoursOfDay = fieldValues(fields[1]!, 0, 23, digits);
  const days = cronDays(fields[2]!, fields[4]!);
  if (minutes === undefined || hoursOfDay === undefined || days === undefined) return undefined;
  const differences = timezone === hours.timezone ? [0] : shiftsBetween(timezone, hours.timezone);
  for (const day of days) {
    for (const hour of hoursOfDay) {
      for (const minute of minutes) {
        for (const difference of differences) {
          const local = shifted({ day, hour, minute }, difference);
          if (!awake(local, hours)) return shown(local, hours.timezone);
        }
      }
    }
  }
  return undefined;
}
