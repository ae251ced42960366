import { zoneOffsetMinutes } from "./format.ts";

/**
 * Month grids and day boundaries. Days are calendar dates ("2025-03-30"); months are "2025-03".
 * Which day an instant falls on, and when a day starts, depend on a time zone: the workspace's
 * (the one dates are shown in), else the browser's (`undefined`). Grid arithmetic itself is on
 * calendar dates, in UTC, so it never shifts with daylight saving.
 */

/** A day of the week as ISO 8601 numbers it: 1 Monday … 7 Sunday (as `Intl.Locale` week info does). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type CalendarDay = {
  /** YYYY-MM-DD */
  date: string;
  /** Whether the day is in the month shown (the first and last weeks reach into the months around it). */
  isInMonth: boolean;
  isToday: boolean;
};

const dayMs = 86_400_000;
const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether a value is a month as the calendar's URL holds it ("2025-03"). */
export function isMonth(value: unknown): value is string {
  return typeof value === "string" && monthPattern.test(value);
}

const pad = (value: number, length = 2) => String(value).padStart(length, "0");
const dateOf = (utc: Date) => `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}`;
const utcOf = (date: string) => new Date(`${date}T00:00:00Z`);

function monthParts(month: string): { year: number; month: number } {
  const match = monthPattern.exec(month);
  if (!match) throw new Error(`Not a month: ${month}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

/** The month `delta` months after (or before, when negative) a month. */
export function addMonths(month: string, delta: number): string {
  const parts = monthParts(month);
  return dateOf(new Date(Date.UTC(parts.year, parts.month - 1 + delta, 1))).slice(0, 7);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day an instant falls on in a time zone (the browser's when none). */
export function dayOf(instant: Date | string, timeZone: string | undefined): string {
  const key = timeZone ?? "";
  let format = dayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(key, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The calendar date `days` after (or before) a date. */
export function addDays(date: string, days: number): string {
  return dateOf(new Date(utcOf(date).getTime() + days * dayMs));
}

/** The month an instant falls in, in a time zone. */
export function monthOf(instant: Date, timeZone: string | undefined): string {
  return dayOf(instant, timeZone).slice(0, 7);
}

/**
 * The first instant of a day in a time zone, as an ISO string. Usually midnight; where a zone
 * skips midnight (clocks going forward at 00:00), the moment the day begins. Midnight is tried at
 * each offset the zone has around the day, and the earliest that falls on the day wins.
 */
export function startOfDay(date: string, timeZone: string | undefined): string {
  const midnight = utcOf(date).getTime();
  const offsets = new Set([-dayMs, 0, dayMs].map((shift) => zoneOffsetMinutes(midnight + shift, timeZone)));
  const starts = [...offsets]
    .map((offset) => midnight - offset * 60_000)
    .filter((instant) => dayOf(new Date(instant), timeZone) === date);
  return new Date(starts.length ? Math.min(...starts) : midnight).toISOString();
}

/** The ISO weekday of a calendar date. */
function weekdayOf(date: string): Weekday {
  return (((utcOf(date).getUTCDay() + 6) % 7) + 1) as Weekday;
}

/**
 * The weeks of a month's grid, each starting on `firstDay`: from the week of the 1st to the week
 * of the last day (4 to 6 weeks), with the days of the months around it where those weeks reach.
 */
export function monthWeeks(month: string, firstDay: Weekday, today: string): CalendarDay[][] {
  const first = `${month}-01`;
  const lead = (weekdayOf(first) - firstDay + 7) % 7;
  const start = utcOf(first).getTime() - lead * dayMs;
  const next = `${addMonths(month, 1)}-01`;
  const weeks: CalendarDay[][] = [];
  for (let day = start; dateOf(new Date(day)) < next;) {
    const week: CalendarDay[] = [];
    for (let i = 0; i < 7; i += 1, day += dayMs) {
      const date = dateOf(new Date(day));
      week.push({ date, isInMonth: date.startsWith(month), isToday: date === today });
    }
    weeks.push(week);
  }
  return weeks;
}

/** The instants a grid covers: from the start of its first day to the start of the day after its last. */
export function rangeOf(weeks: readonly CalendarDay[][], timeZone: string | undefined): { start: string; end: string } {
  const first = weeks[0]?.[0]?.date;
  const last = weeks.at(-1)?.at(-1)?.date;
  if (!first || !last) throw new Error("A grid has at least one week");
  const dayAfter = dateOf(new Date(utcOf(last).getTime() + dayMs));
  return { start: startOfDay(first, timeZone), end: startOfDay(dayAfter, timeZone) };
}

/** Items by the day their instant falls on in a time zone, in the order given; items without one are left out. */
export function groupByDay<T>(
  items: readonly T[],
  instantOf: (item: T) => string | null,
  timeZone: string | undefined,
): Map<string, T[]> {
  const days = new Map<string, T[]>();
  for (const item of items) {
    const instant = instantOf(item);
    if (!instant) continue;
    const day = dayOf(instant, timeZone);
    const list = days.get(day);
    if (list) list.push(item);
    else days.set(day, [item]);
  }
  return days;
}

type WeekInfo = { firstDay: number };
type LocaleWithWeekInfo = Intl.Locale & { getWeekInfo?: () => WeekInfo; weekInfo?: WeekInfo };

/**
 * The day weeks start on for people reading `language`: the week of the browser's own locale when
 * it is of that language ("en-GB" → Monday, "en-US" → Sunday), else of the language itself
 * (English alone is the United States' Sunday; German is Monday everywhere). Where the browser
 * cannot say (no `Intl.Locale` week info), Monday, as ISO 8601 has it.
 */
export function firstDayOfWeek(language: string, preferredLocales: readonly string[] = browserLocales()): Weekday {
  const primary = language.toLowerCase().split("-")[0] ?? language;
  const regional = preferredLocales.find((tag) => tag.toLowerCase().split("-")[0] === primary);
  for (const tag of [regional, language]) {
    if (!tag) continue;
    try {
      const locale = new Intl.Locale(tag) as LocaleWithWeekInfo;
      const firstDay = (locale.getWeekInfo?.() ?? locale.weekInfo)?.firstDay;
      if (firstDay && firstDay >= 1 && firstDay <= 7) return firstDay as Weekday;
    } catch {
      // Not a locale tag: the next one, or Monday.
    }
  }
  return 1;
}

function browserLocales(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** The names of the days of the week in a language, from `firstDay` on: `short` for headers, `long` for labels. */
export function weekdayNames(language: string, firstDay: Weekday): { short: string; long: string }[] {
  const short = new Intl.DateTimeFormat(language, { weekday: "short", timeZone: "UTC" });
  const long = new Intl.DateTimeFormat(language, { weekday: "long", timeZone: "UTC" });
  return Array.from({ length: 7 }, (_, i) => {
    // 1 January 2024 was a Monday.
    const day = new Date(Date.UTC(2024, 0, ((firstDay - 1 + i) % 7) + 1));
    return { short: short.format(day), long: long.format(day) };
  });
}

/** A month's name and year in a language: "March 2025", "März 2025". */
export function monthName(month: string, language: string): string {
  return new Intl.DateTimeFormat(language, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    utcOf(`${month}-01`),
  );
}

/** A day with its weekday, for headings and labels: "Friday, March 14, 2025", "Freitag, 14. März 2025". */
export function dayName(date: string, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "full", timeZone: "UTC" }).format(utcOf(date));
}
