import { and, asc, desc, getTableColumns, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgColumn, PgTable } from "drizzle-orm/pg-core";
import { decodeCursor, encodeCursor } from "../lib/cursor.ts";
import { buildFilter } from "./filters.ts";
import { keysetCondition } from "./keyset.ts";
import { searchConditions, searchPhaseCondition, type SearchPhase } from "./search.ts";
import { AppError } from "../lib/errors.ts";
import { isUuid } from "../lib/ids.ts";
import type { Transaction } from "./client.ts";

/**
 * The list engine: turns `limit`, `cursor`, `sort`, `q`, `include` and `filter[…]` into one
 * keyset-paginated query, the same way for every resource. Each resource describes its fields
 * once (a ListSpec); only indexed fields are sortable.
 */

export type FieldType = "text" | "uuid" | "integer" | "decimal" | "timestamp" | "date" | "boolean" | "enum" | "tags";

export type ListField = {
  column: AnyPgColumn;
  type: FieldType;
  /** Allowed values of an enum field. */
  values?: readonly string[];
  /** Only fields backed by an index `(workspace_id, field, id)` may be sortable. */
  sortable?: boolean;
  /** Equality ignores case (e-mail addresses, domains). */
  caseInsensitive?: boolean;
  /** `filter[field]=me` means the caller (owner and assignee fields). */
  acceptsMe?: boolean;
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

export type SortKey = { field: string; expression: SQL | AnyPgColumn; direction: "asc" | "desc"; nullable: boolean };

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

/** Marks, in a cursor's sort signature, a search that fell back to similar matches. */
const fuzzyMark = "~similar";

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
    if (field === "deleted" && spec.table.deletedAt) {
      if (operator || !["true", "false"].includes(value)) {
        errors.push({ path: key, message: "Must be true or false" });
      } else onlyDeleted = value === "true";
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
    } else if (!isUuid(cursor.values.at(-1) ?? "")) {
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

function parseSort(spec: ListSpec, text: string, errors: { path: string; message: string }[]): SortKey[] {
  const parts = text.split(",").map((part) => part.trim());
  if (parts.length > 3) errors.push({ path: "sort", message: "At most 3 sort fields" });
  const keys: SortKey[] = [];
  for (const part of parts.slice(0, 3)) {
    const direction = part.startsWith("-") ? "desc" : "asc";
    const field = part.replace(/^[-+]/, "");
    const definition = fieldOf(spec, field);
    if (!definition?.sortable) {
      errors.push({ path: "sort", message: `Cannot sort by "${field}"` });
      continue;
    }
    keys.push({ field, expression: definition.column, direction, nullable: !definition.column.notNull });
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
 * Runs a validated list request: one query for `limit + 1` rows (to know whether a next page
 * exists). A search runs its exact phase first and, when a first page finds nothing, its fuzzy one.
 */
export async function listPage(
  tx: Transaction,
  spec: ListSpec,
  workspaceId: string,
  request: ListRequest,
  extraConditions: SQL[] = [],
): Promise<{ rows: Record<string, unknown>[]; nextCursor: string | null }> {
  const phase = request.searchPhase ?? "exact";
  const page = await queryPage(tx, spec, workspaceId, request, extraConditions, phase);
  const canFallBack = request.search?.fuzzy && !request.searchPhase && page.rows.length === 0;
  return canFallBack ? queryPage(tx, spec, workspaceId, request, extraConditions, "fuzzy") : page;
}

async function queryPage(
  tx: Transaction,
  spec: ListSpec,
  workspaceId: string,
  request: ListRequest,
  extraConditions: SQL[],
  phase: SearchPhase,
): Promise<{ rows: Record<string, unknown>[]; nextCursor: string | null }> {
  const table = spec.table;
  const columns = selectableColumns(spec);
  const cursorColumns = Object.fromEntries(
    request.sortKeys.map((key, i) => [`__k${i}`, sql<string | null>`(${key.expression})::text`]),
  );
  const conditions = [sql`${table.workspaceId} = ${workspaceId}`, ...request.conditions, ...extraConditions];
  if (request.cursorValues) conditions.push(keysetCondition(request.sortKeys, request.cursorValues, table.id));
  if (request.search) conditions.push(await searchPhaseCondition(tx, spec, request.search, phase, conditions));
  const order = [...request.sortKeys, { expression: table.id, direction: request.sortKeys.at(-1)?.direction }].map(
    (key) => (key.direction === "desc" ? desc(key.expression) : asc(key.expression)),
  );
  const rows = (await tx
    .select({ ...columns, ...cursorColumns })
    .from(table as PgTable)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(request.limit + 1)) as Record<string, unknown>[];

  const hasMore = rows.length > request.limit;
  const page = hasMore ? rows.slice(0, request.limit) : rows;
  const last = page.at(-1);
  const nextCursor =
    hasMore && last
      ? encodeCursor({
          sort: request.sortSignature + (phase === "fuzzy" ? fuzzyMark : ""),
          values: [...request.sortKeys.map((_, i) => last[`__k${i}`] as string | null), String(last.id)],
        })
      : null;
  for (const row of page) for (let i = 0; i < request.sortKeys.length; i++) delete row[`__k${i}`];
  return { rows: page, nextCursor };
}

/** Counts the rows a list request matches (ignoring paging). */
export async function countRows(
  tx: Transaction,
  spec: ListSpec,
  workspaceId: string,
  request: ListRequest,
  extraConditions: SQL[] = [],
): Promise<number> {
  const table = spec.table;
  const base = [sql`${table.workspaceId} = ${workspaceId}`, ...request.conditions, ...extraConditions];
  const count = async (phase: SearchPhase) => {
    const search = request.search ? [await searchPhaseCondition(tx, spec, request.search, phase, base)] : [];
    const [row] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(table as PgTable)
      .where(and(...base, ...search));
    return row?.count ?? 0;
  };
  const exact = await count("exact");
  return exact === 0 && request.search?.fuzzy ? count("fuzzy") : exact;
}

/** The table's columns minus the hidden (generated search) ones. */
export function selectableColumns(spec: ListSpec): Record<string, PgColumn> {
  const columns = { ...getTableColumns(spec.table) } as Record<string, PgColumn>;
  for (const name of spec.hiddenColumns ?? []) delete columns[name];
  return columns;
}
