import type { ListFilter } from "../../api/records.ts";
import { t } from "../../i18n/i18n.ts";
import { formatPreferences, fromLocalInput } from "../../lib/format.ts";

/**
 * The presets every list offers in one click: "My records" (the owner, or a task's assignee, is
 * the caller), "Unassigned" (no owner), "Created this week" and, for those who may restore
 * records, "Deleted" (the trash). They are ordinary filters, so they combine with the builder's,
 * stay in the URL and are saved with a view.
 */
export type PresetName = "mine" | "unassigned" | "createdThisWeek" | "deleted";

/**
 * The list's owner field (`ownerId`, `assigneeId`, or `createdBy` where records have no owner),
 * and whether the caller may see the trash (restore records).
 */
export type PresetOptions = { ownerField: string; canBeUnassigned: boolean; canSeeDeleted?: boolean };

const sameFilter = (a: ListFilter, b: ListFilter) => a.field === b.field && a.op === b.op && a.value === b.value;

/** The calendar day of an instant in a time zone (the browser's when none), as year, month, day. */
function dayIn(now: Date, timeZone: string | undefined): { year: number; month: number; day: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) };
}

/**
 * Monday 00:00 of the current week on the workspace's clock (its time zone, else the browser's),
 * as an ISO instant: weeks start on Monday (ISO 8601).
 */
export function startOfWeek(now = new Date(), timeZone = formatPreferences().timeZone): string {
  const { year, month, day } = dayIn(now, timeZone);
  const today = new Date(Date.UTC(year, month - 1, day));
  const daysSinceMonday = (today.getUTCDay() + 6) % 7;
  const monday = new Date(today.getTime() - daysSinceMonday * 86_400_000).toISOString().slice(0, 10);
  return fromLocalInput(`${monday}T00:00`) ?? `${monday}T00:00:00.000Z`;
}

/** Whether a list's filters show the trash (deleted records only), however it was opened. */
export function isTrash(filters: readonly ListFilter[]): boolean {
  return filters.some((filter) => filter.field === "deleted" && filter.value === "true");
}

/** The filters a preset stands for. */
export function presetFilters(name: PresetName, options: PresetOptions, now = new Date()): ListFilter[] {
  switch (name) {
    case "mine":
      return [{ field: options.ownerField, op: "eq", value: "me" }];
    case "unassigned":
      return [{ field: options.ownerField, op: "empty", value: "true" }];
    case "createdThisWeek":
      return [{ field: "createdAt", op: "gte", value: startOfWeek(now) }];
    case "deleted":
      return [{ field: "deleted", op: "eq", value: "true" }];
  }
}

/** Whether the list's filters include a preset's. */
export function isPresetActive(
  filters: readonly ListFilter[],
  name: PresetName,
  options: PresetOptions,
  now = new Date(),
): boolean {
  return presetFilters(name, options, now).every((preset) => filters.some((filter) => sameFilter(filter, preset)));
}

/**
 * Turns a preset on or off, keeping every other filter. A preset replaces the filters of its own
 * field with the same operator's (mine and unassigned both set the owner, so one replaces the other).
 */
export function withPreset(
  filters: readonly ListFilter[],
  name: PresetName,
  isOn: boolean,
  options: PresetOptions,
  now = new Date(),
): ListFilter[] {
  const preset = presetFilters(name, options, now);
  const isReplaced = (filter: ListFilter) =>
    preset.some((p) => p.field === filter.field && (p.op === filter.op || p.field === options.ownerField));
  const kept = filters.filter((filter) => !isReplaced(filter));
  return isOn ? [...kept, ...preset] : kept;
}

/** The presets a list offers: "Unassigned" only where records can have no owner. */
export function presetsOf(options: PresetOptions): { name: PresetName; label: string }[] {
  return [
    { name: "mine", label: t("lists.presets.mine") },
    ...(options.canBeUnassigned ? [{ name: "unassigned" as const, label: t("common.unassigned") }] : []),
    { name: "createdThisWeek", label: t("lists.presets.createdThisWeek") },
    ...(options.canSeeDeleted ? [{ name: "deleted" as const, label: t("lists.presets.deleted") }] : []),
  ];
}
