import { describe, expect, it } from "vitest";
import {
  addMonths,
  dayName,
  dayOf,
  firstDayOfWeek,
  groupByDay,
  isMonth,
  monthName,
  monthOf,
  monthWeeks,
  rangeOf,
  startOfDay,
  weekdayNames,
} from "./calendar.ts";

const datesOf = (weeks: { date: string }[][]) => weeks.map((week) => week.map((day) => day.date));

describe("monthWeeks", () => {
  it("lays March 2025 out in six weeks from Monday, reaching into February and April", () => {
    const weeks = monthWeeks("2025-03", 1, "2025-03-14");
    expect(weeks).toHaveLength(6);
    expect(weeks.every((week) => week.length === 7)).toBe(true);
    expect(datesOf(weeks)[0]).toEqual([
      "2025-02-24",
      "2025-02-25",
      "2025-02-26",
      "2025-02-27",
      "2025-02-28",
      "2025-03-01",
      "2025-03-02",
    ]);
    expect(weeks.at(-1)?.map((day) => day.date)).toContain("2025-03-31");
    expect(weeks.at(-1)?.at(-1)?.date).toBe("2025-04-06");
    const flat = weeks.flat();
    expect(flat.filter((day) => day.isInMonth)).toHaveLength(31);
    expect(flat.find((day) => day.date === "2025-02-28")?.isInMonth).toBe(false);
    expect(flat.filter((day) => day.isToday).map((day) => day.date)).toEqual(["2025-03-14"]);
  });

  it("starts weeks on the day asked for: February 2026 takes four weeks from Sunday, five from Monday", () => {
    const fromSunday = monthWeeks("2026-02", 7, "2000-01-01");
    expect(datesOf(fromSunday).map((week) => [week[0], week[6]])).toEqual([
      ["2026-02-01", "2026-02-07"],
      ["2026-02-08", "2026-02-14"],
      ["2026-02-15", "2026-02-21"],
      ["2026-02-22", "2026-02-28"],
    ]);
    expect(fromSunday.flat().some((day) => day.isToday)).toBe(false);
    const fromMonday = monthWeeks("2026-02", 1, "2000-01-01");
    expect(fromMonday).toHaveLength(5);
    expect(fromMonday[0]?.[0]?.date).toBe("2026-01-26");
    expect(fromMonday.at(-1)?.at(-1)?.date).toBe("2026-03-01");
  });

  it("fits a February that starts on the first day of the week in exactly four weeks, from Monday too", () => {
    const weeks = monthWeeks("2021-02", 1, "2021-02-01");
    expect(datesOf(weeks).map((week) => [week[0], week[6]])).toEqual([
      ["2021-02-01", "2021-02-07"],
      ["2021-02-08", "2021-02-14"],
      ["2021-02-15", "2021-02-21"],
      ["2021-02-22", "2021-02-28"],
    ]);
  });

  it("counts leap days", () => {
    const days = monthWeeks("2024-02", 1, "2024-02-01").flat();
    expect(days.filter((day) => day.isInMonth).at(-1)?.date).toBe("2024-02-29");
  });
});

describe("months", () => {
  it("moves across years", () => {
    expect(addMonths("2025-12", 1)).toBe("2026-01");
    expect(addMonths("2025-01", -1)).toBe("2024-12");
    expect(addMonths("2025-03", 0)).toBe("2025-03");
    expect(addMonths("2025-03", -15)).toBe("2023-12");
  });

  it("takes only YYYY-MM with a real month", () => {
    expect(isMonth("2025-03")).toBe(true);
    expect(isMonth("2025-13")).toBe(false);
    expect(isMonth("2025-3")).toBe(false);
    expect(isMonth("2025-03-01")).toBe(false);
    expect(isMonth(202503)).toBe(false);
  });

  it("is the month of an instant on the zone's clock", () => {
    const newYear = new Date("2024-12-31T23:30:00Z");
    expect(monthOf(newYear, "UTC")).toBe("2024-12");
    expect(monthOf(newYear, "Europe/Berlin")).toBe("2025-01");
    expect(monthOf(newYear, "America/New_York")).toBe("2024-12");
  });
});

describe("days in a time zone", () => {
  it("puts an instant on the day of the zone's clock", () => {
    expect(dayOf("2025-03-09T23:30:00Z", "UTC")).toBe("2025-03-09");
    expect(dayOf("2025-03-09T23:30:00Z", "Europe/Berlin")).toBe("2025-03-10");
    expect(dayOf("2025-03-10T03:30:00Z", "America/New_York")).toBe("2025-03-09");
    expect(dayOf("2025-03-10T04:30:00Z", "America/New_York")).toBe("2025-03-10");
  });

  it("starts days at midnight on the zone's clock, also on the days daylight saving begins and ends", () => {
    expect(startOfDay("2025-03-30", "UTC")).toBe("2025-03-30T00:00:00.000Z");
    // Berlin: 23 hours on 30 March 2025, 25 hours on 26 October 2025.
    expect(startOfDay("2025-03-30", "Europe/Berlin")).toBe("2025-03-29T23:00:00.000Z");
    expect(startOfDay("2025-03-31", "Europe/Berlin")).toBe("2025-03-30T22:00:00.000Z");
    expect(startOfDay("2025-10-26", "Europe/Berlin")).toBe("2025-10-25T22:00:00.000Z");
    expect(startOfDay("2025-10-27", "Europe/Berlin")).toBe("2025-10-26T23:00:00.000Z");
    // New York moves its clocks at 2:00, after midnight.
    expect(startOfDay("2025-03-09", "America/New_York")).toBe("2025-03-09T05:00:00.000Z");
    expect(startOfDay("2025-03-10", "America/New_York")).toBe("2025-03-10T04:00:00.000Z");
  });

  it("uses the browser's zone when given none", () => {
    expect(startOfDay("2025-03-30", undefined)).toBe(new Date(2025, 2, 30).toISOString());
    expect(dayOf(new Date(2025, 2, 30, 23, 59), undefined)).toBe("2025-03-30");
  });

  it("starts a day whose midnight the zone skips at the moment the clocks jump", () => {
    // Santiago went from 00:00 straight to 01:00 on 8 September 2024 (UTC−4 to UTC−3).
    expect(startOfDay("2024-09-08", "America/Santiago")).toBe("2024-09-08T04:00:00.000Z");
    expect(dayOf("2024-09-08T03:59:59Z", "America/Santiago")).toBe("2024-09-07");
    expect(startOfDay("2024-09-09", "America/Santiago")).toBe("2024-09-09T03:00:00.000Z");
  });

  it("covers a grid from its first day's start to the start of the day after its last", () => {
    const weeks = monthWeeks("2025-03", 1, "2025-03-01");
    expect(rangeOf(weeks, "Europe/Berlin")).toEqual({
      start: "2025-02-23T23:00:00.000Z",
      end: "2025-04-06T22:00:00.000Z",
    });
    expect(rangeOf(weeks, "UTC")).toEqual({ start: "2025-02-24T00:00:00.000Z", end: "2025-04-07T00:00:00.000Z" });
  });

  it("groups items by their day on the zone's clock, in order, leaving out those without an instant", () => {
    const items = [
      { id: "a", at: "2025-03-09T22:30:00Z" },
      { id: "b", at: null },
      { id: "c", at: "2025-03-09T23:30:00Z" },
      { id: "d", at: "2025-03-10T08:00:00Z" },
    ];
    const berlin = groupByDay(items, (item) => item.at, "Europe/Berlin");
    expect([...berlin].map(([day, list]) => [day, list.map((item) => item.id)])).toEqual([
      ["2025-03-09", ["a"]],
      ["2025-03-10", ["c", "d"]],
    ]);
    const utc = groupByDay(items, (item) => item.at, "UTC");
    expect(utc.get("2025-03-09")?.map((item) => item.id)).toEqual(["a", "c"]);
  });
});

describe("weeks in a language", () => {
  it("starts German weeks on Monday, whatever the region", () => {
    expect(firstDayOfWeek("de", ["de-DE"])).toBe(1);
    expect(firstDayOfWeek("de", ["de-CH", "en-US"])).toBe(1);
    expect(firstDayOfWeek("de", ["en-US"])).toBe(1);
  });

  it("starts English weeks as the browser's English locale does, else as English alone (Sunday)", () => {
    expect(firstDayOfWeek("en", ["en-US"])).toBe(7);
    expect(firstDayOfWeek("en", ["en-GB", "en-US"])).toBe(1);
    expect(firstDayOfWeek("en", ["de-DE", "en-IE"])).toBe(1);
    expect(firstDayOfWeek("en", ["de-DE"])).toBe(7);
    expect(firstDayOfWeek("en", [])).toBe(7);
  });

  it("falls back to Monday for what is no locale", () => {
    expect(firstDayOfWeek("!!", ["??"])).toBe(1);
  });

  it("names the days from the first day of the week, and months and days in the language", () => {
    expect(weekdayNames("en", 7).map((name) => name.long)).toEqual([
      "Sunday",
      "Monday",
      "Tuesday",
      "Wednesday",
      "Thursday",
      "Friday",
      "Saturday",
    ]);
    expect(weekdayNames("de", 1).map((name) => name.short)).toEqual(["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]);
    expect(monthName("2025-03", "de")).toBe("März 2025");
    expect(monthName("2025-03", "en")).toBe("March 2025");
    expect(dayName("2025-03-14", "en")).toBe("Friday, March 14, 2025");
    expect(dayName("2025-03-14", "de")).toBe("Freitag, 14. März 2025");
  });
});
