import { Column, is, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgColumn, PgTable } from "drizzle-orm/pg-core";
import { decodeCursor } from "../lib/cursor.ts";
import { buildFilter } from "./filters.ts";
import { searchConditions, type SearchPhase } from "./search.ts";
import { AppError } from "../lib/errors.ts";
import { isUuid } from "../lib/ids.ts";
import type { Transaction } from "./client.ts";
import { countMatches, type RowCount } from "./counting.ts";
import { keyTypeOf } from "./keyset.ts";
import { fuzzyMark, readPage } from "./paging.ts";

/**
 * The list engine: turns `limit`, `cursor`, `sort`, `q`, `include` and `filter[…]` into keyset
 * pages read as index ranges (paging.ts, keyset.ts) and bounded counts (counting.ts), the same way
 * for every resource. Each resource describes its fields once (a ListSpec); only indexed fields
 * are sortable.
 */

export type FieldType = "text" | "uuid" | "integer" | "decimal" | "timestamp" | "date" | "boolean" | "enum" | "tags";

export type ListField = {
  /** The column, or an expression over the table's columns (filters only: sorts need a column). */
  column: AnyPgColumn | SQL;
  type: FieldType;
  /** Allowed values of an enum field; sorting an enum follows this order, not the alphabet. */
  values?: readonly string[];
  /**
   * Only fields backed by an index `(workspace_id, field, id)` (partial, live rows) may be sortable,
   * so every page is an index range however deep.
   */
  sortable?: boolean;
  /**
   * Sorts by something the row only references, in this order of the field's values: stages in
   * pipeline order, owners by name. Each value is read as its own index range `(workspace_id,
   * field, id)`, so the order needs no copy of the name in the row. Only as the first sort key.
   */
  sortGroups?: SortGroups;
  /**
   * Sorts by this never-null expression instead of the column, when the column's nulls belong
   * elsewhere than PostgreSQL puts them (first in a descending sort): "last activity", newest
   * first, ends with the records that never had one. The index is on the expression.
   */
  sortBy?: { expression: SQL; type: string };
  /** Equality ignores case (e-mail addresses, domains). */
  caseInsensitive?: boolean;
  /** `filter[field]=me` means the caller (owner and assignee fields). */
  acceptsMe?: boolean;
  /**
   * A filter that is no column's equality (a company's timeline: its activities and its contacts'
   * and deals'): `eq` and `in` match the rows this condition gives for the parsed values, and no
   * other operator applies.
   */
  matches?: (values: string[]) => SQL;
};

type Table = PgTable & { workspaceId: PgColumn; id: PgColumn; deletedAt?: PgColumn };

export type ListSpec<TTable extends Table = Table> = {
  table: TTable;
  fields: Record<string, ListField>;
  /** Default `sort` parameter, e.g. `-createdAt`. */
  defaultSort: string;
  /** Columns `q` searches: a tsvector, and lower-cased text for substring and typo matches. */
  search?: { vector: AnyPgColumn; text: AnyPgColumn | null };
  /** Names accepted by `include`. */
  includes?: readonly string[];
  /** Columns not returned to the API (generated search columns). */
  hiddenColumns?: readonly string[];
};

/**
 * The field of a spec named by user input, or undefined. Own properties only: `filter[constructor]`
 * must not find Object.prototype.constructor.
 */
export function fieldOf(spec: ListSpec, name: string): ListField | undefined {
  return Object.hasOwn(spec.fields, name) ? spec.fields[name] : undefined;
}

const pagingParameters = new Set(["limit", "cursor", "sort", "q", "include"]);
const countParameters = new Set(["q"]);
const filterKey = /^filter\[([A-Za-z]+)\](?:\[([a-z]+)\])?$/;

/** The values of a grouped sort key in ascending order, fixed or read per request. */
export type SortGroups = readonly string[] | ((tx: Transaction, workspaceId: string) => Promise<string[]>);

export type SortKey = {
  field: string;
  expression: SQL | AnyPgColumn;
  direction: "asc" | "desc";
  nullable: boolean;
  /** The SQL type of a key that is an expression, not a column (cursor values are cast to it). */
  type?: string;
  /** Set: the key orders by these groups of its values (see ListField.sortGroups). */
  groups?: SortGroups;
};

/** A validated list request, ready to run. */
export type ListRequest = {
  limit: number;
  conditions: SQL[];
  sortKeys: SortKey[];
  sortSignature: string;
  cursorValues: (string | null)[] | null;
  include: string[];
  /** `q` as exact conditions, and the typo-tolerant ones used only when nothing matches exactly. */
  search: { exact: SQL; fuzzy: SQL | null } | null;
  /** Set by a cursor: the search phase its first page settled on, kept by every later page. */
  searchPhase: SearchPhase | null;
};

type RawQuery = Record<string, unknown>;

/** Validates a list (or count) query string against a spec; throws a 400 naming every bad parameter. */
export function parseListRequest(
  spec: ListSpec,
  query: RawQuery,
  actorId: string,
  mode: "page" | "count" = "page",
): ListRequest {
  const errors: { path: string; message: string }[] = [];
  const conditions: SQL[] = [];
  let onlyDeleted = false;

  for (const [key, raw] of Object.entries(query)) {
    if ((mode === "page" ? pagingParameters : countParameters).has(key)) continue;
    const match = filterKey.exec(key);
    if (!match) {
      errors.push({ path: key, message: "Unknown parameter" });
      continue;
    }
    const [, field = "", operator] = match;
    const value = Array.isArray(raw) ? raw.join(",") : String(raw ?? "");
    // The trash: filter[deleted]=true, or filter[deleted][eq]=true as a saved view writes it.
    if (field === "deleted" && spec.table.deletedAt) {
      if (operator && operator !== "eq") errors.push({ path: key, message: "The trash filter takes eq only" });
      else if (!["true", "false"].includes(value)) errors.push({ path: key, message: "Must be true or false" });
      else onlyDeleted = value === "true";
      continue;
    }
    const definition = fieldOf(spec, field);
    if (!definition) {
      errors.push({ path: key, message: `Unknown field "${field}"` });
      continue;
    }
    const condition = buildFilter(definition, operator, value, actorId, key, errors);
    if (condition) conditions.push(condition);
  }

  const deletedAt = spec.table.deletedAt;
  if (deletedAt) conditions.push(onlyDeleted ? isNotNull(deletedAt) : isNull(deletedAt));

  const term = typeof query.q === "string" ? query.q.trim() : "";
  let search: ListRequest["search"] = null;
  if (term) {
    if (!spec.search) errors.push({ path: "q", message: "This list has no search" });
    else search = searchConditions(spec.search, term);
  }

  const sortText = typeof query.sort === "string" && query.sort.trim() ? query.sort : spec.defaultSort;
  const sortKeys = mode === "page" ? parseSort(spec, sortText, errors) : [];
  const include = mode === "page" ? parseInclude(spec, query.include, errors) : [];
  const sortSignature = sortKeys.map((k) => (k.direction === "desc" ? "-" : "") + k.field).join(",");

  let cursorValues: (string | null)[] | null = null;
  let searchPhase: SearchPhase | null = null;
  if (mode === "page" && typeof query.cursor === "string" && query.cursor !== "") {
    const cursor = decodeCursor(query.cursor);
    if (!cursor || cursor.values.length !== sortKeys.length + 1 || cursor.values.at(-1) === null) {
      errors.push({ path: "cursor", message: "Malformed cursor" });
    } else if (cursor.sort !== sortSignature && cursor.sort !== sortSignature + fuzzyMark) {
      errors.push({ path: "cursor", message: "This cursor belongs to another sort order" });
    } else if (!isUuid(cursor.values.at(-1) ?? "") || !sortKeys.every((key, i) => fitsKey(key, cursor.values[i]))) {
      // A forged value would reach PostgreSQL's cast of the key and fail there, naming nothing.
      errors.push({ path: "cursor", message: "Malformed cursor" });
    } else {
      cursorValues = cursor.values;
      searchPhase = cursor.sort.endsWith(fuzzyMark) ? "fuzzy" : "exact";
    }
  }

  if (errors.length > 0) throw new AppError("validation", "Some query parameters are invalid.", errors);
  const limit = typeof query.limit === "number" ? query.limit : 50;
  return { limit, conditions, sortKeys, sortSignature, cursorValues, include, search, searchPhase };
}

const timestampText = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const dateText = /^\d{4}-\d{2}-\d{2}$/;
const numberText = /^-?\d{1,20}(\.\d{1,20})?$/;

/**
 * Whether a cursor's value can be a value of its sort key (null: the key's nulls), by the SQL type
 * the query casts it to: a timestamp, a date, a number or a uuid as PostgreSQL writes them; text of
 * any kind up to a length no field has.
 */
function fitsKey(key: SortKey, value: string | null | undefined): boolean {
  if (value === null) return true;
  if (value === undefined) return false;
  const type = keyTypeOf(key);
  if (type.startsWith("timestamp")) {
    // ±infinity: the sort of a nullable time puts its nulls there (lastActivityOrder).
    return (
      value === "-infinity" || value === "infinity" || (timestampText.test(value) && isRealDate(value.slice(0, 10)))
    );
  }
  if (type === "date") return dateText.test(value) && isRealDate(value);
  if (type === "uuid") return isUuid(value);
  if (type === "integer") return /^-?\d{1,10}$/.test(value) && Math.abs(Number(value)) <= 2_147_483_647;
  if (type.startsWith("numeric")) return numberText.test(value);
  return value.length <= 10_000;
}

/** A YYYY-MM-DD that names a day of the calendar (not 2026-02-30), from year 1. */
function isRealDate(text: string): boolean {
  const [year, month, day] = text.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseSort(spec: ListSpec, text: string, errors: { path: string; message: string }[]): SortKey[] {
  const parts = text.split(",").map((part) => part.trim());
  if (parts.length > 3) errors.push({ path: "sort", message: "At most 3 sort fields" });
  const keys: SortKey[] = [];
  for (const [index, part] of parts.slice(0, 3).entries()) {
    const direction = part.startsWith("-") ? "desc" : "asc";
    const field = part.replace(/^[-+]/, "");
    const definition = fieldOf(spec, field);
    const column = definition?.column;
    if (!definition?.sortable || !is(column, Column)) {
      errors.push({ path: "sort", message: `Cannot sort by "${field}"` });
      continue;
    }
    const groups = definition.sortGroups ?? (definition.type === "enum" ? definition.values : undefined);
    if (groups && index > 0) {
      errors.push({ path: "sort", message: `"${field}" sorts only as the first field` });
      continue;
    }
    if (definition.sortBy) {
      const { expression, type } = definition.sortBy;
      keys.push({ field, expression, type, direction, nullable: false });
      continue;
    }
    keys.push({ field, expression: column, direction, nullable: !column.notNull, ...(groups ? { groups } : {}) });
  }
  return keys;
}

/** Validates `include`: known relation names of the spec, each once; records an error per unknown one. */
export function parseInclude(spec: ListSpec, raw: unknown, errors: { path: string; message: string }[]): string[] {
  if (typeof raw !== "string" || raw.trim() === "") return [];
  const names = [...new Set(raw.split(",").map((name) => name.trim()))];
  for (const name of names) {
    if (!spec.includes?.includes(name)) errors.push({ path: "include", message: `Cannot include "${name}"` });
  }
  return names;
}

/**
 * Runs a validated list request: `limit + 1` rows (to know whether a next page exists), read as
 * index ranges (see keyset.ts). A search runs its exact phase first and, when a first page finds
 * nothing, its fuzzy one.
 */
export async function listPage(
  tx: Transaction,
  spec: ListSpec,
  workspaceId: string,
  request: ListRequest,
  extraConditions: SQL[] = [],
): Promise<{ rows: Record<string, unknown>[]; nextCursor: string | null }> {
  const base = [sql`${spec.table.workspaceId} = ${workspaceId}`, ...request.conditions, ...extraConditions];
  const phase = request.searchPhase ?? "exact";
  const page = await readPage(tx, spec, workspaceId, request, base, phase);
  const canFallBack = request.search?.fuzzy && !request.searchPhase && page.rows.length === 0;
  return canFallBack ? readPage(tx, spec, workspaceId, request, base, "fuzzy") : page;
}

export type { RowCount };

/**
 * Counts the rows a list request matches (ignoring paging): exactly up to `exactUpTo` (10,000),
 * beyond that the planner's estimate, marked as one. Counting stops at the limit, so a count never
 * reads more than that many rows.
 */
export async function countRows(
  tx: Transaction,
  spec: ListSpec,
  workspaceId: string,
  request: ListRequest,
  extraConditions: SQL[] = [],
  exactUpTo?: number,
): Promise<RowCount> {
  const base = [sql`${spec.table.workspaceId} = ${workspaceId}`, ...request.conditions, ...extraConditions];
  const exact = await countMatches(tx, spec, request, base, "exact", exactUpTo);
  return exact.count === 0 && request.search?.fuzzy ? countMatches(tx, spec, request, base, "fuzzy", exactUpTo) : exact;
}
