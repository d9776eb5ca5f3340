/**
 * When a scheduled job would start while its stack sleeps (components/office-hours/asleep-runs.ts): the cron fields
 * EventBridge Scheduler reads, the office days and hours, and two time zones with their daylight saving time.
 */
import { asleepRun } from "../../components/office-hours/asleep-runs";
import type { OfficeHours } from "../../components/office-hours/hours";

const HOURS: OfficeHours = { days: "MON-FRI", from: 8, to: 19, timezone: "UTC" };

describe("asleepRun", () => {
  test.each([
    ["at 08:30 on weekdays", "cron(30 8 ? * MON-FRI *)"],
    ["every 15 minutes from 08:00 to 18:45 on weekdays", "cron(0/15 8-18 ? * MON-FRI *)"],
    ["weekdays by number (1 is Sunday)", "cron(0 9 ? * 2-6 *)"],
    ["a list of days and hours", "cron(0 9,18 ? * MON,WED,FRI *)"],
    ["the nearest weekday to the 1st", "cron(0 9 1W * ? *)"],
    ["the second Friday", "cron(0 10 ? * FRI#2 *)"],
    ["the last Friday", "cron(0 10 ? * 6L *)"],
    ["the last minute before the stack sleeps", "cron(59 18 ? * MON-FRI *)"],
  ])("%s: every run inside office hours", (_, schedule) => {
    expect(asleepRun(schedule, "UTC", HOURS)).toBeUndefined();
  });

  test.each([
    ["a nightly job", "cron(0 3 * * ? *)", "SUN 03:00 UTC"],
    ["every day, including the weekend", "cron(0 9 * * ? *)", "SUN 09:00 UTC"],
    ["a day of the month, which falls on weekends too", "cron(0 10 15 * ? *)", "SUN 10:00 UTC"],
    ["the last day of the month", "cron(0 10 L * ? *)", "SUN 10:00 UTC"],
    ["Sunday by number", "cron(0 9 ? * 1 *)", "SUN 09:00 UTC"],
    ["the hour the stack goes to sleep", "cron(0/15 8-19 ? * MON-FRI *)", "MON 19:00 UTC"],
    ["a minute before the services are back", "cron(59 7 ? * MON-FRI *)", "MON 07:59 UTC"],
    ["Saturday, awake only MON-FRI", "cron(0 10 ? * SAT *)", "SAT 10:00 UTC"],
    ["the last day of the week (L alone: Saturday)", "cron(0 10 ? * L *)", "SAT 10:00 UTC"],
  ])("%s: a run while asleep, named in the office hours' zone", (_, schedule, when) => {
    expect(asleepRun(schedule, "UTC", HOURS)).toBe(when);
  });

  test("a rate fires around the clock", () => {
    expect(asleepRun("rate(1 hour)", "UTC", HOURS)).toBe("around the clock");
    expect(asleepRun("rate(1 day)", "UTC", HOURS)).toBe("around the clock");
  });

  test("office days are the stack's: MON-SAT wakes on Saturday, SUN-SAT every day", () => {
    expect(asleepRun("cron(0 10 ? * SAT *)", "UTC", { ...HOURS, days: "MON-SAT" })).toBeUndefined();
    expect(asleepRun("cron(0 10 ? * SUN *)", "UTC", { ...HOURS, days: "MON-SAT" })).toBe("SUN 10:00 UTC");
    expect(asleepRun("cron(0 10 * * ? *)", "UTC", { ...HOURS, days: "SUN-SAT" })).toBeUndefined();
  });

  test("a job in another zone is compared all year: 08:30 in Dublin is 07:30 UTC in July", () => {
    expect(asleepRun("cron(30 8 ? * MON-FRI *)", "Europe/Dublin", HOURS)).toBe("MON 07:30 UTC");
    expect(asleepRun("cron(30 9 ? * MON-FRI *)", "Europe/Dublin", HOURS)).toBeUndefined();
    // Both zones shift together: no difference all year.
    expect(asleepRun("cron(30 8 ? * MON-FRI *)", "Europe/Dublin", { ...HOURS, timezone: "Europe/London" })).toBe(
      undefined,
    );
    // 08:00 in New York is 14:00 in Berlin in January and in July, 13:00 for the weeks only one has changed its clocks.
    expect(
      asleepRun("cron(0 8 ? * MON-FRI *)", "America/New_York", {
        ...HOURS,
        from: 8,
        to: 15,
        timezone: "Europe/Berlin",
      }),
    ).toBeUndefined();
    expect(
      asleepRun("cron(0 8 ? * MON-FRI *)", "America/New_York", {
        ...HOURS,
        from: 8,
        to: 14,
        timezone: "Europe/Berlin",
      }),
    ).toBe("MON 14:00 Europe/Berlin");
  });

  test("the weeks when only one of the zones has changed its clocks count (US and EU switch on different dates)", () => {
    // 04:00 in New York is 09:00 in London most of the year, but 08:00 from 9 to 27 March and 26 to 30 October 2026.
    const london: OfficeHours = { days: "MON-FRI", from: 9, to: 18, timezone: "Europe/London" };
    expect(asleepRun("cron(0 4 ? * MON-FRI *)", "America/New_York", london)).toBe("MON 08:00 Europe/London");
    expect(asleepRun("cron(0 5 ? * MON-FRI *)", "America/New_York", london)).toBeUndefined();
  });

  test("a range that runs backwards wraps round, so its runs are all checked", () => {
    expect(asleepRun("cron(0 22-2 ? * MON-FRI *)", "UTC", HOURS)).toBe("MON 00:00 UTC");
    expect(asleepRun("cron(0 12 ? * FRI-MON *)", "UTC", HOURS)).toBe("SUN 12:00 UTC");
    expect(asleepRun("cron(0 12 ? * 6-2 *)", "UTC", HOURS)).toBe("SUN 12:00 UTC");
    expect(asleepRun("cron(0 17-9/2 ? * MON-FRI *)", "UTC", HOURS)).toBe("MON 01:00 UTC");
  });

  test("a day across midnight in the other zone: 23:30 on Friday in New York is Saturday in Berlin", () => {
    expect(
      asleepRun("cron(30 23 ? * FRI *)", "America/New_York", {
        days: "MON-FRI",
        from: 1,
        to: 23,
        timezone: "Europe/Berlin",
      }),
    ).toBe("SAT 04:30 Europe/Berlin"); // 05:30 most of the year; the first run named is the earliest shift
  });

  test("what it cannot read is left to the schedule's and the zone's own checks", () => {
    expect(asleepRun("cron(0 3 * *)", "UTC", HOURS)).toBeUndefined();
    expect(asleepRun("cron(0 25 * * ? *)", "UTC", HOURS)).toBeUndefined();
    expect(asleepRun("at(2026-01-01T00:00:00)", "UTC", HOURS)).toBeUndefined();
    expect(asleepRun("cron(0 3 * * ? *)", "Mars/Base", HOURS)).toBeUndefined();
    expect(asleepRun("cron(0 3 * * ? *)", "UTC", { ...HOURS, timezone: "Mars/Base" })).toBeUndefined();
  });
});
