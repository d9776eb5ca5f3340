// AWS backup and maintenance windows (components/windows.ts): the formats RDS and ElastiCache accept, the lengths,
// the overlap on any day of the week, and the messages a stack file's author reads.
import {
  dailyWindowMinutes,
  isDailyWindow,
  isWeeklyWindow,
  weeklyWindowMinutes,
  windowProblems,
  windowsOverlap,
} from "../../components/windows";

describe("formats", () => {
  test.each(["00:00-01:00", "09:59-10:00", "19:00-20:00", "23:59-00:00", "20:30-23:45"])("daily %s", (w) => {
    expect(isDailyWindow(w)).toBe(true);
  });
  test.each([
    "24:00-01:00", // no hour 24
    "03:60-04:00", // no minute 60
    "3:00-04:00", // two digits each
    "03:00-4:00",
    "03:00 - 04:00",
    "03:00-04:00Z",
    "x03:00-04:00",
    "03:00",
    "",
  ])("not daily: %s", (w) => {
    expect(isDailyWindow(w)).toBe(false);
  });
  test.each(["mon:00:00-mon:01:00", "sun:23:30-mon:00:30", "wed:19:59-thu:23:00", "sat:20:00-sat:23:59"])(
    "weekly %s",
    (w) => {
      expect(isWeeklyWindow(w)).toBe(true);
    },
  );
  test.each([
    "Sun:04:00-sun:05:00", // lower case only, as AWS writes them
    "sunday:04:00-sunday:05:00",
    "sun:24:00-mon:01:00",
    "sun:04:60-sun:05:00",
    "sun:4:00-sun:05:00",
    "sun:04:00-sun:05:00x",
    "xsun:04:00-sun:05:00",
    "04:00-05:00",
    "",
  ])("not weekly: %s", (w) => {
    expect(isWeeklyWindow(w)).toBe(false);
  });
});

describe("lengths", () => {
  test.each([
    ["03:00-04:00", 60],
    ["03:15-03:45", 30],
    ["23:30-00:30", 60], // wraps midnight
    ["10:00-09:59", 23 * 60 + 59],
    ["05:00-05:00", 24 * 60], // an end at the start is a whole day, not none
  ])("daily %s lasts %d minutes", (w, minutes) => {
    expect(dailyWindowMinutes(w)).toBe(minutes);
  });
  test.each([
    ["sun:04:00-sun:05:00", 60],
    ["mon:00:00-tue:00:00", 24 * 60],
    ["sun:23:30-mon:00:30", 60], // wraps the week
    ["tue:10:15-tue:10:45", 30],
    ["wed:08:00-wed:08:00", 7 * 24 * 60],
  ])("weekly %s lasts %d minutes", (w, minutes) => {
    expect(weeklyWindowMinutes(w)).toBe(minutes);
  });
  test("a malformed window is an error, not a length", () => {
    expect(() => dailyWindowMinutes("3am")).toThrow("not a daily window: 3am");
    expect(() => weeklyWindowMinutes("sunday")).toThrow("not a weekly window: sunday");
  });
});

describe("overlap, on any day of the week", () => {
  test.each([
    ["03:00-04:00", "sun:05:00-sun:06:00", false],
    ["04:30-05:30", "sun:05:00-sun:06:00", true],
    ["05:00-06:00", "sun:05:00-sun:06:00", true], // the same hour
    ["06:00-07:00", "sun:05:00-sun:06:00", false], // touching at the end
    ["04:00-05:00", "sun:05:00-sun:06:00", false], // touching at the start
    ["04:00-05:01", "sun:05:00-sun:06:00", true],
    ["05:59-07:00", "sun:05:00-sun:06:00", true],
    ["05:10-05:20", "sun:05:00-sun:06:00", true], // inside it
    ["00:00-23:00", "sun:05:00-sun:06:00", true], // around it
    ["03:00-04:00", "mon:03:30-mon:04:30", true], // the first day of the week
    ["03:00-04:00", "sun:03:30-sun:04:30", true], // the last
    ["23:30-00:30", "mon:00:00-mon:01:00", true], // the day before, wrapping midnight into Monday
    ["23:30-00:30", "sun:23:45-mon:00:15", true], // both wrap
    ["23:00-00:00", "mon:00:00-mon:01:00", false],
    ["22:00-23:00", "sun:23:30-mon:00:30", false],
    ["23:00-00:00", "sun:23:30-mon:00:30", true], // Sunday's daily window, in the weekly one across the week's end
    ["00:00-00:30", "sun:23:30-mon:00:30", true], // Monday's
    ["01:00-02:00", "sat:00:00-mon:00:00", true], // a long weekly window covers a day's window
  ])("%s against %s: %s", (daily, weekly, overlap) => {
    expect(windowsOverlap(daily, weekly)).toBe(overlap);
  });
});

describe("windowProblems", () => {
  test("well-formed, long enough, apart: no problem", () => {
    expect(windowProblems("backupWindow", "02:00-03:00", "sun:04:00-sun:05:00", 30)).toEqual([]);
    // Exactly the minimum is enough, for both.
    expect(windowProblems("backupWindow", "02:00-02:30", "sun:04:00-sun:04:30", 30)).toEqual([]);
  });

  test("every problem at once, naming the key and quoting the value", () => {
    expect(windowProblems("snapshotWindow", "3am", "sunday", 60)).toEqual([
      'snapshotWindow must be "hh:mm-hh:mm" in UTC (got "3am")',
      'maintenanceWindow must be "ddd:hh:mm-ddd:hh:mm" in UTC (got "sunday")',
    ]);
    expect(windowProblems("backupWindow", "02:00-02:29", "sun:04:00-sun:04:29", 30)).toEqual([
      'backupWindow must last at least 30 minutes (got "02:00-02:29")',
      'maintenanceWindow must last at least 30 minutes (got "sun:04:00-sun:04:29")',
    ]);
  });

  test("an overlap is named with both windows, and only between well-formed ones", () => {
    expect(windowProblems("backupWindow", "04:30-05:30", "sun:04:00-sun:05:00", 30)).toEqual([
      'backupWindow "04:30-05:30" overlaps maintenanceWindow "sun:04:00-sun:05:00"; move one of them',
    ]);
    // Too short and overlapping: both are said.
    expect(windowProblems("snapshotWindow", "04:30-05:00", "sun:04:00-sun:05:00", 60)).toEqual([
      'snapshotWindow must last at least 60 minutes (got "04:30-05:00")',
      'snapshotWindow "04:30-05:00" overlaps maintenanceWindow "sun:04:00-sun:05:00"; move one of them',
    ]);
    // A malformed one cannot be compared: only its format is reported.
    expect(windowProblems("backupWindow", "04:30-05:30", "sunday", 30)).toEqual([
      'maintenanceWindow must be "ddd:hh:mm-ddd:hh:mm" in UTC (got "sunday")',
    ]);
    expect(windowProblems("backupWindow", "4:30", "sun:04:00-sun:05:00", 30)).toEqual([
      'backupWindow must be "hh:mm-hh:mm" in UTC (got "4:30")',
    ]);
  });
});
