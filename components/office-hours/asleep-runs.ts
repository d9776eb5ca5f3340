/**
 * Whether a scheduled job would run while its stack sleeps. Out of office hours the stack's database and NAT instance
 * are stopped, and its alarms are silenced: a job EventBridge Scheduler starts then fails unseen. Pure: the config
 * check reads it before anything is declared.
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
    if (from === undefined || to === undefined || step < 1 || from < min || to > max) return undefined;
    for (let v = from; v <= to; v += step) selected.add(v);
  }
  return [...selected].sort((a, b) => a - b);
}

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
/** The wall-clock time in `zone` of an instant. */
function wallTime(instant: number, zone: string): WeekTime {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      weekday: "short",
      hour: "numeric",
      minute: "numeric",
      hourCycle: "h23",
    });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    day: (DAY_NAMES as readonly string[]).indexOf(String(parts["weekday"]).toUpperCase()),
    hour: Number(parts["hour"]),
    minute: Number(parts["minute"]),
  };
}

/**
 * The instants a weekly wall-clock time in `zone` maps to, in a week of January and one of July (so that daylight
 * saving time on either side is seen): Mondays 2026-01-05 and 2026-07-06.
 */
function instantsOf(time: WeekTime, zone: string): number[] {
  return [Date.UTC(2026, 0, 5), Date.UTC(2026, 6, 6)].map((monday) => {
    const naive = monday + (((time.day + 6) % 7) * 24 * 60 + time.hour * 60 + time.minute) * 60_000;
    // The zone's offset at that moment, read back from its wall clock (one correction is exact outside a DST switch).
    const shown = wallTime(naive, zone);
    const shownMinutes = (((shown.day + 6) % 7) * 24 + shown.hour) * 60 + shown.minute;
    const wantedMinutes = (((time.day + 6) % 7) * 24 + time.hour) * 60 + time.minute;
    let offset = shownMinutes - wantedMinutes;
    if (offset > 3.5 * 24 * 60) offset -= 7 * 24 * 60;
    if (offset < -3.5 * 24 * 60) offset += 7 * 24 * 60;
    return naive - offset * 60_000;
  });
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
 * clock" for a rate, or `undefined` when every run starts inside office hours. A cron this reading does not model, or
 * an unknown time zone, is left to the schedule's and the zone's own checks (`undefined`).
 */
export function asleepRun(schedule: string, timezone: string, hours: OfficeHours): string | undefined {
  // A zone that does not exist is the time-zone checks' problem, not this one's.
  if (!isTimeZone(timezone) || !isTimeZone(hours.timezone)) return undefined;
  if (schedule.startsWith("rate(")) return "around the clock";
  const fields = /^cron\((.*)\)$/.exec(schedule)?.[1]?.trim().split(/\s+/);
  if (fields === undefined || fields.length !== 6) return undefined;
  const minutes = fieldValues(fields[0]!, 0, 59, (t) => (/^\d+$/.test(t) ? Number(t) : undefined));
  const hoursOfDay = fieldValues(fields[1]!, 0, 23, (t) => (/^\d+$/.test(t) ? Number(t) : undefined));
  const days = cronDays(fields[2]!, fields[4]!);
  if (minutes === undefined || hoursOfDay === undefined || days === undefined) return undefined;
  for (const day of days) {
    for (const hour of hoursOfDay) {
      for (const minute of minutes) {
        const time = { day, hour, minute };
        if (timezone === hours.timezone) {
          if (!awake(time, hours)) return shown(time, hours.timezone);
          continue;
        }
        for (const instant of instantsOf(time, timezone)) {
          const local = wallTime(instant, hours.timezone);
          if (!awake(local, hours)) return shown(local, hours.timezone);
        }
      }
    }
  }
  return undefined;
}
