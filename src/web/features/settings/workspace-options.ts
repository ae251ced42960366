import { countryCodes } from "../../../shared/iso-codes.ts";
import type { DateFormat, NumberFormat } from "../../../shared/workspace-defaults.ts";
import type { Option } from "../../components/Field.tsx";
import { i18next, t } from "../../i18n/i18n.ts";

/**
 * The choices of the workspace settings form, from the browser's own Intl data (names in the
 * interface's language): currencies (ISO 4217), time zones (IANA), countries (ISO 3166-1), months.
 */

const language = () => i18next.language || "en";

function displayNames(type: "currency" | "region"): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames([language()], { type });
  } catch {
    return null;
  }
}

/** Options sorted by label, with `current` kept when the list lacks it (a value from elsewhere stays visible). */
function withCurrent(options: Option[], current: string | undefined): Option[] {
  const sorted = options.sort((a, b) => a.label.localeCompare(b.label));
  return current && !sorted.some((option) => option.value === current)
    ? [{ value: current, label: current }, ...sorted]
    : sorted;
}

/** "EUR — Euro", for every currency in use. */
export function currencyOptions(current?: string): Option[] {
  const names = displayNames("currency");
  const codes = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : [];
  const options = codes.map((code) => ({ value: code, label: `${code} — ${names?.of(code) ?? code}` }));
  return withCurrent(options, current);
}

/** "Europe/Berlin (GMT+01:00)", for every IANA zone, UTC first. */
export function timeZoneOptions(current?: string): Option[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const now = new Date();
  const options = zones
    .filter((zone) => zone !== "UTC")
    .map((zone) => ({ value: zone, label: `${zone.replaceAll("_", " ")} (${offsetOf(zone, now)})` }));
  const sorted = withCurrent(options, current === "UTC" ? undefined : current);
  return [{ value: "UTC", label: t("settings.workspace.options.utc") }, ...sorted];
}

function offsetOf(zone: string, at: Date): string {
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(at);
    return parts.find((part) => part.type === "timeZoneName")?.value ?? "";
  } catch {
    return "";
  }
}

/** Countries and territories by name in the person's language. */
export function countryOptions(current?: string): Option[] {
  const names = displayNames("region");
  return withCurrent(
    countryCodes.map((code) => ({ value: code, label: names?.of(code) ?? code })),
    current,
  );
}

/**
 * A country as people read it: the name of an ISO 3166-1 code in the person's language, or the
 * text as stored when it is not a code (addresses imported with "Germany" written out).
 */
export function countryName(value: string | null | undefined): string {
  if (!value) return "";
  if (!countryCodes.includes(value)) return value;
  return displayNames("region")?.of(value) ?? value;
}

/** January to December in the person's language, valued 1 to 12. */
export function monthOptions(): Option[] {
  const format = new Intl.DateTimeFormat(language(), { month: "long", timeZone: "UTC" });
  return Array.from({ length: 12 }, (_, index) => ({
    value: String(index + 1),
    label: format.format(new Date(Date.UTC(2026, index, 1))),
  }));
}

/** The date formats, each shown with the last day of the year written that way. */
export function dateFormatOptions(): { value: DateFormat; label: string }[] {
  return [
    { value: "auto", label: t("settings.workspace.options.eachPersonsLanguage") },
    { value: "YYYY-MM-DD", label: "2026-12-31" },
    { value: "DD/MM/YYYY", label: "31/12/2026" },
    { value: "MM/DD/YYYY", label: t("settings.workspace.options.twelveHourClock", { date: "12/31/2026" }) },
    { value: "DD.MM.YYYY", label: "31.12.2026" },
  ];
}

/** The number formats, each shown as it writes 1234.56. */
export function numberFormatOptions(): { value: NumberFormat; label: string }[] {
  return [
    { value: "auto", label: t("settings.workspace.options.eachPersonsLanguage") },
    { value: "1,234.56", label: "1,234.56" },
    { value: "1.234,56", label: "1.234,56" },
    { value: "1 234,56", label: "1 234,56" },
    { value: "1'234.56", label: "1'234.56" },
  ];
}
