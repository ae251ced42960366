import type { ListFilter } from "../../api/records.ts";

/** A list page's state in its URL, so lists can be linked, bookmarked and reopened. */
export type ListSearch = {
  view?: string | undefined;
  q?: string | undefined;
  sort?: string | undefined;
  filters?: ListFilter[] | undefined;
  mode?: "table" | "kanban" | undefined;
};

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
    mode: search.mode === "kanban" || search.mode === "table" ? search.mode : undefined,
  };
}
