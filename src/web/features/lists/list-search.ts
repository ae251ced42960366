import type { ListFilter } from "../../api/records.ts";
import { isMonth } from "../../lib/calendar.ts";

/** A list page's state in its URL, so lists can be linked, bookmarked and reopened. */
export type ListSearch = {
  view?: string | undefined;
  q?: string | undefined;
  sort?: string | undefined;
  filters?: ListFilter[] | undefined;
  /** How the records are laid out: a table (the default), a kanban board, a calendar (tasks). */
  mode?: "table" | "kanban" | "calendar" | undefined;
  /** The month a calendar shows ("2025-03"); absent: the current one. */
  month?: string | undefined;
};

const modes = ["table", "kanban", "calendar"] as const;

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.length <= 200 ? value : undefined;

function filtersOf(value: unknown): ListFilter[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const filters = value.filter(
    (f): f is ListFilter =>
      typeof f === "object" &&
      f !== null &&
      typeof f.field === "string" &&
      typeof f.op === "string" &&
      typeof f.value === "string",
  );
  return filters.length > 0 ? filters.slice(0, 20) : undefined;
}

/** Validates the search part of a list URL; anything malformed is dropped rather than failing the page. */
export function parseListSearch(search: Record<string, unknown>): ListSearch {
  return {
    view: text(search.view),
    q: text(search.q),
    sort: text(search.sort),
    filters: filtersOf(search.filters),
    mode: modes.find((mode) => mode === search.mode),
    month: isMonth(search.month) ? search.month : undefined,
  };
}
