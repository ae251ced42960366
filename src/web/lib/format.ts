import i18next from "i18next";
import type { DateFormat, NumberFormat } from "../../shared/workspace-defaults.ts";

/**
 * How values are shown: the workspace's currency, time zone and formats (its settings, applied
 * by the shell with `setFormatPreferences` before any page renders). Until then, and in `auto`,
 * the interface's language (`setFormatLanguage`) and the browser's time zone decide.
 */
export type FormatPreferences = {
  /** The currency of amounts that have none of their own (a company's revenue). */
  currency: string;
  /** IANA zone instants are shown in; undefined: the browser's. */
  timeZone: string | undefined;
  dateFormat: DateFormat;
  numberFormat: NumberFormat;
};

export const browserFormats: FormatPreferences = {
  currency: "EUR",
  timeZone: undefined,
  dateFormat: "auto",
  numberFormat: "auto",
};

/** The language whose grouping and decimal marks each number format is. */
const numberLocales: Record<NumberFormat, string | undefined> = {
  auto: undefined,
  "1,234.56": "en-US",
  "1.234,56": "de-DE",
  "1 234,56": "fr-FR",
  "1'234.56": "de-CH",
};

type DateParts = { year: string; month: string; day: string };

/** A calendar date in a fixed pattern. */
function writeDate(format: Exclude<DateFormat, "auto">, { year, month, day }: DateParts): string {
  switch (format) {
    case "YYYY-MM-DD":
      return `${year}-${month}-${day}`;
    case "DD/MM/YYYY":
      return `${day}/${month}/${year}`;
    case "MM/DD/YYYY":
      return `${month}/${day}/${year}`;
    case "DD.MM.YYYY":
      return `${day}.${month}.${year}`;
  }
}

function partsOf(format: Intl.DateTimeFormat, date: Date): Record<string, string> {
  return Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
}

function buildFormatters(preferences: FormatPreferences, language: string | undefined) {
  const { timeZone, dateFormat } = preferences;
  const locale = numberLocales[preferences.numberFormat] ?? language;
  const zone = timeZone ? { timeZone } : {};
  // Numeric parts of an instant in the zone, whatever the language (en-US with a 24-hour clock).
  const numericParts = new Intl.DateTimeFormat("en-US", {
    ...zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  // A fixed pattern keeps the clock of its country: 12 hours for MM/DD/YYYY, 24 for the others.
  const isTwelveHour = dateFormat === "MM/DD/YYYY";
  const clock = new Intl.DateTimeFormat(isTwelveHour ? "en-US" : "en-GB", {
    ...zone,
    hour: isTwelveHour ? "numeric" : "2-digit",
    minute: "2-digit",
  });
  return {
    locale,
    numericParts,
    dateTime: new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short", ...zone }),
    instantDate: new Intl.DateTimeFormat(language, { dateStyle: "medium", ...zone }),
    time: new Intl.DateTimeFormat(language, { timeStyle: "short", ...zone }),
    // Calendar dates are days, not instants: written as UTC midnight and read back in UTC, never shifted.
    calendarDate: new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: "UTC" }),
    clock,
    number: new Intl.NumberFormat(locale),
    compact: new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }),
  };
}

let preferences = browserFormats;
/** The interface's language (undefined: the browser's), which `auto` formats follow. */
let language: string | undefined;
let formatters = buildFormatters(preferences, language);

/** Shows values the workspace's way from now on (the shell calls it when the settings load or change). */
export function setFormatPreferences(next: FormatPreferences): void {
  preferences = next;
  formatters = buildFormatters(next, language);
}

/** Formats `auto` dates and numbers in the interface's language from now on (src/web/i18n/i18n.ts calls it). */
export function setFormatLanguage(next: string): void {
  language = next;
  formatters = buildFormatters(preferences, language);
}

/** The preferences values are shown with now. */
export function formatPreferences(): FormatPreferences {
  return preferences;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  if (preferences.dateFormat === "auto") return formatters.dateTime.format(date);
  const parts = partsOf(formatters.numericParts, date) as DateParts;
  return `${writeDate(preferences.dateFormat, parts)} ${formatters.clock.format(date)}`;
}

/** The time of day of an instant on the workspace's clock ("9:30 AM", "09:30"), as `formatDateTime` writes it. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return preferences.dateFormat === "auto" ? formatters.time.format(date) : formatters.clock.format(date);
}

/** A calendar date (YYYY-MM-DD) or an instant, shown as a date (an instant's day in the workspace's zone). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const calendar = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (calendar) {
    const [, year = "", month = "", day = ""] = calendar;
    if (preferences.dateFormat !== "auto") return writeDate(preferences.dateFormat, { year, month, day });
    return formatters.calendarDate.format(new Date(`${value}T00:00:00Z`));
  }
  const date = new Date(value);
  if (preferences.dateFormat === "auto") return formatters.instantDate.format(date);
  return writeDate(preferences.dateFormat, partsOf(formatters.numericParts, date) as DateParts);
}

/** A decimal string amount with its currency (the workspace's when it has none); amounts stay strings until shown. */
export function formatMoney(amount: string | null | undefined, currency = preferences.currency): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  try {
    return new Intl.NumberFormat(formatters.locale, { style: "currency", currency, maximumFractionDigits: 0 }).format(
      Number(amount),
    );
  } catch {
    return `${amount} ${currency}`;
  }
}

export function formatNumber(value: number): string {
  return formatters.number.format(value);
}

/** A number with exactly `digits` decimals in the workspace's format: 12500 → "12,500.00". */
export function formatDecimal(value: number, digits: number): string {
  return new Intl.NumberFormat(formatters.locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/**
 * An enum value in the interface's language ("in_progress" → "In progress", "In Arbeit"): the
 * `values` words (src/web/i18n/locales/<language>/values.json), else the value in title case.
 */
export function labelOf(value: string): string {
  const spaced = value.replace(/[_-]/g, " ");
  const titleCase = spaced.charAt(0).toUpperCase() + spaced.slice(1);
  if (!i18next.isInitialized || value.includes(".")) return titleCase;
  return i18next.t(`values.${value}`, { defaultValue: titleCase });
}

const wallClockOptions: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
};

/**
 * Minutes a zone (the browser's when none) is ahead of UTC at an instant: the wall clock there,
 * read as UTC, minus the instant.
 */
export function zoneOffsetMinutes(instant: number, timeZone: string | undefined): number {
  if (!timeZone) return -new Date(instant).getTimezoneOffset();
  const parts = partsOf(new Intl.DateTimeFormat("en-US", { ...wallClockOptions, timeZone }), new Date(instant));
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** An ISO instant as the value of an <input type="datetime-local">, on the wall clock of the workspace's zone. */
export function toLocalInput(value: string | null | undefined): string {
  if (!value) return "";
  const date = new Date(value);
  if (preferences.timeZone) {
    const p = partsOf(formatters.numericParts, date);
    return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
  }
  const offset = date.getTimezoneOffset() * 60_000;
  return new Date(date.getTime() - offset).toISOString().slice(0, 16);
}

/**
 * The value of an <input type="datetime-local"> (a wall-clock time in the workspace's zone) as an
 * ISO instant, or null when empty; anything unreadable is passed on unchanged for the schema to
 * reject with its own message.
 */
export function fromLocalInput(local: string): string | null {
  if (!local) return null;
  const timeZone = preferences.timeZone;
  const wall = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!timeZone || !wall) {
    const date = new Date(local);
    return Number.isNaN(date.getTime()) ? local : date.toISOString();
  }
  const [, year, month, day, hour, minute] = wall.map(Number) as number[];
  const asUtc = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0);
  // The zone's offset at the guess, then again at the instant found (daylight saving may differ).
  let instant = asUtc - zoneOffsetMinutes(asUtc, timeZone) * 60_000;
  instant = asUtc - zoneOffsetMinutes(instant, timeZone) * 60_000;
  return new Date(instant).toISOString();
}

/** 1,250,000 → "1.3M": for chart axes, where space is short. */
export function formatCompact(value: number): string {
  return formatters.compact.format(value);
}

/**
 * A decimal typed as people write it in the workspace's number format ("12,500.00", "12.500,00",
 * "12 500,00", "12'500.00") as the API takes it ("12500.00"); "" for nothing typed. Grouping is
 * accepted only where it groups thousands, so "12.5" in a "1.234,56" workspace is twelve and a
 * half, never 125. Text that is no number comes back trimmed as typed, for the schema to refuse.
 */
export function decimalFromInput(typed: string): string {
  const text = typed.trim().replace(/[\s\u00a0\u202f]/g, " ");
  if (text === "") return "";
  const { group, decimal } = separatorsOf(formatters.locale);
  const escape = (char: string) => char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const groups = [...new Set([group, " ", "'", "\u2019"])].map(escape).join("|");
  const grouped = new RegExp(`^(-?\\d{1,3}(?:(?:${groups})\\d{3})+)(?:${escape(decimal)}(\\d+))?$`);
  const plain = new RegExp(`^(-?\\d+)(?:[${escape(decimal)}.](\\d+))?$`);
  const match = grouped.exec(text) ?? plain.exec(text);
  if (!match) return text;
  // Separators out, and zeros in front ("0" was in the field before the typing began).
  const whole = match[1]!.replace(/[^\d-]/g, "").replace(/^(-?)0+(?=\d)/, "$1");
  return match[2] === undefined ? whole : `${whole}.${match[2]}`;
}

function separatorsOf(locale: string | undefined): { group: string; decimal: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const of = (type: string, fallback: string) => parts.find((part) => part.type === type)?.value ?? fallback;
  return { group: of("group", ","), decimal: of("decimal", ".") };
}
