import type { ListFilter } from "../../api/records.ts";
import type { Task } from "../../../shared/schemas/task.ts";
import type { Wire } from "../../api/wire.ts";
import { addDays, dayOf, startOfDay } from "../../lib/calendar.ts";
import { formatPreferences } from "../../lib/format.ts";

/** Not completed: the statuses a task can be overdue or blocked in. */
export const unfinishedStatuses = "open,in_progress";

/**
 * The start of today and of tomorrow on the workspace's clock (its time zone, else the
 * browser's), as ISO instants: the day the dashboard's "due today" counts, and the calendar shows.
 */
export function todayRange(now = new Date(), timeZone = formatPreferences().timeZone): { start: string; end: string } {
  const today = dayOf(now, timeZone);
  return { start: startOfDay(today, timeZone), end: startOfDay(addDays(today, 1), timeZone) };
}

export type QuickFilter = "open" | "dueToday" | "overdue" | "done";

/** The task list's quick filters as API filters: `now` is resolved by the server at request time. */
export function quickFilterOf(name: QuickFilter, now = new Date()): ListFilter[] {
  switch (name) {
    case "open":
      return [{ field: "status", op: "in", value: unfinishedStatuses }];
    case "dueToday": {
      const { start, end } = todayRange(now);
      return [
        { field: "dueAt", op: "gte", value: start },
        { field: "dueAt", op: "lt", value: end },
      ];
    }
    case "overdue":
      return [
        { field: "dueAt", op: "lt", value: "now" },
        { field: "status", op: "in", value: unfinishedStatuses },
      ];
    case "done":
      return [{ field: "status", op: "eq", value: "completed" }];
  }
}

/** Assigned to the caller: what the task list's "My records" preset sets (its owner field is the assignee). */
export const mineFilter: ListFilter = { field: "assigneeId", op: "eq", value: "me" };

const isQuickField = (filter: ListFilter) => filter.field === "dueAt" || filter.field === "status";
const sameFilter = (a: ListFilter, b: ListFilter) => a.field === b.field && a.op === b.op && a.value === b.value;
const sameSet = (a: readonly ListFilter[], b: readonly ListFilter[]) =>
  a.length === b.length && a.every((filter) => b.some((other) => sameFilter(filter, other)));

/** Which quick filter the list's filters amount to: "all" without due or status filters, null for a custom one. */
export function activeQuickFilter(filters: readonly ListFilter[], now = new Date()): QuickFilter | "all" | null {
  const quick = filters.filter(isQuickField);
  if (quick.length === 0) return "all";
  const names: QuickFilter[] = ["open", "dueToday", "overdue", "done"];
  return names.find((name) => sameSet(quick, quickFilterOf(name, now))) ?? null;
}

/** Replaces the due and status filters with a quick filter's, keeping every other filter. */
export function withQuickFilter(
  filters: readonly ListFilter[],
  name: QuickFilter | "all",
  now = new Date(),
): ListFilter[] {
  const kept = filters.filter((filter) => !isQuickField(filter));
  return name === "all" ? kept : [...kept, ...quickFilterOf(name, now)];
}

type TaskLike = Pick<Wire<Task>, "status" | "dueAt">;

/** Not completed and due before now. */
export function isOverdue(task: TaskLike, now = new Date()): boolean {
  return task.status !== "completed" && task.dueAt !== null && new Date(task.dueAt).getTime() < now.getTime();
}

/** The dependencies that are not completed yet (needs `include=dependencies`). */
export function openDependenciesOf(task: Pick<Wire<Task>, "dependencies">) {
  return (task.dependencies ?? []).filter((dependency) => dependency.status !== "completed");
}

type Bound = { filter: ListFilter; at: number };

/** A due-date bound's instant: `now` as the server reads it, dates and date-times as instants; NaN if unreadable. */
const instantOf = (value: string, now: Date) => (value === "now" ? now.getTime() : Date.parse(value));

/**
 * The list's filters narrowed to the due times a calendar shows (`start` inclusive, `end`
 * exclusive): the list's own due-date bounds stay where they are narrower ("Overdue", "Due today",
 * a range from the builder), so the calendar shows what the list shows, in those days. The API
 * takes one filter per field and operator, so each side sends the one bound that counts.
 */
export function calendarFilters(
  filters: readonly ListFilter[],
  range: { start: string; end: string },
  now = new Date(),
): ListFilter[] {
  const isBound = (filter: ListFilter) => filter.field === "dueAt" && ["gt", "gte", "lt", "lte"].includes(filter.op);
  let lower: Bound = { filter: { field: "dueAt", op: "gte", value: range.start }, at: Date.parse(range.start) };
  let upper: Bound = { filter: { field: "dueAt", op: "lt", value: range.end }, at: Date.parse(range.end) };
  for (const filter of filters.filter(isBound)) {
    const at = instantOf(filter.value, now);
    if (Number.isNaN(at)) continue;
    if (filter.op === "gt" || filter.op === "gte") {
      // At the same instant, "after" is narrower than "from".
      if (at > lower.at || (at === lower.at && filter.op === "gt")) lower = { filter, at };
    } else if (at < upper.at || (at === upper.at && filter.op === "lt")) upper = { filter, at };
  }
  return [...filters.filter((filter) => !isBound(filter)), lower.filter, upper.filter];
}
