/**
 * AWS maintenance and backup windows. RDS and ElastiCache take a daily window (`hh:mm-hh:mm`, UTC) for backups or
 * snapshots and a weekly one (`ddd:hh:mm-ddd:hh:mm`) for maintenance; the two must not overlap, and each must last
 * at least an hour.
 */
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const DAY = 24 * 60;
const WEEK = 7 * DAY;

const DAILY = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKLY =
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/;

type Interval = readonly [start: number, end: number];

export const isDailyWindow = (w: string): boolean => DAILY.test(w);
export const isWeeklyWindow = (w: string): boolean => WEEKLY.test(w);

/** The daily window as minutes of the day (end may exceed a day when it wraps midnight). */
function daily(w: string): Interval {
  const m = DAILY.exec(w);
  if (!m) throw new Error(`not a daily window: ${w}`);
  const start = Number(m[1]) * 60 + Number(m[2]);
  let end = Number(m[3]) * 60 + Number(m[4]);
  if (end <= start) end += DAY;
  return [start, end];
}

/** The weekly window as minutes of the week from Monday 00:00 (end may exceed a week when it wraps). */
function weekly(w: string): Interval {
  const m = WEEKLY.exec(w);
  if (!m) throw new Error(`not a weekly window: ${w}`);
  const at = (day: string, h: string, min: string) =>
    DAYS.indexOf(day as (typeof DAYS)[number]) * DAY + Number(h) * 60 + Number(min);
  const start = at(m[1]!, m[2]!, m[3]!);
  let end = at(m[4]!, m[5]!, m[6]!);
  if (end <= start) end += WEEK;
  return [start, end];
}

export const dailyWindowMinutes = (w: string): number => length(daily(w));
export const weeklyWindowMinutes = (w: string): number => length(weekly(w));
const length = ([start, end]: Interval) => end - start;

/** Whether a daily window overlaps a weekly one on any day of the week. Both must be well-formed. */
export function windowsOverlap(dailyWindow: string, weeklyWindow: string): boolean {
  const [ds, de] = daily(dailyWindow);
  const [ws, we] = weekly(weeklyWindow);
  for (let d = -1; d <= 7; d++) {
    const s = d * DAY + ds;
    const e = d * DAY + de;
    for (const shift of [-WEEK, 0, WEEK]) {
      if (s < we + shift && ws + shift < e) return true;
    }
  }
  return false;
}

/**
 * The problems of a daily window (`key`) and the weekly maintenance window: format, minimum length, overlap. Both
 * RDS and ElastiCache need them; only their minimum length differs.
 */
export function windowProblems(key: string, daily: string, maintenance: string, minMinutes: number): string[] {
  const problems: string[] = [];
  const dailyOk = isDailyWindow(daily);
  const maintenanceOk = isWeeklyWindow(maintenance);
  if (!dailyOk) problems.push(`${key} must be "hh:mm-hh:mm" in UTC (got "${daily}")`);
  else if (dailyWindowMinutes(daily) < minMinutes) {
    problems.push(`${key} must last at least ${minMinutes} minutes (got "${daily}")`);
  }
  if (!maintenanceOk) {
    problems.push(`maintenanceWindow must be "ddd:hh:mm-ddd:hh:mm" in UTC (got "${maintenance}")`);
  } else if (weeklyWindowMinutes(maintenance) < minMinutes) {
    problems.push(`maintenanceWindow must last at least ${minMinutes} minutes (got "${maintenance}")`);
  }
  if (dailyOk && maintenanceOk && windowsOverlap(daily, maintenance)) {
    problems.push(`${key} "${daily}" overlaps maintenanceWindow "${maintenance}"; move one of them`);
  }
  return problems;
}
