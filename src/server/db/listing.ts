import { and, asc, desc, getTableColumns, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgColumn, PgTable } from "drizzle-orm/pg-core";
import { decodeCursor, encodeCursor } from "../lib/cursor.ts";
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

const operatorsByType: Record<FieldType, readonly string[]> = {
  text: ["eq", "ne", "in", "contains", "empty", "gt", "gte", "lt", "lte"],
  uuid: ["eq", "ne", "in", "empty"],
  integer: ["eq", "ne", "in", "gt", "gte", "lt", "lte", "empty"],
  decimal: ["eq", "ne", "in", "gt", "gte", "lt", "lte", "empty"],
  timestamp: ["eq", "ne", "in", "gt", "gte", "lt", "lte", "empty"],
  date: ["eq", "ne", "in", "gt", "gte", "lt", "lte", "empty"],
  boolean: ["eq", "ne", "empty"],
  enum: ["eq", "ne", "in", "empty"],
  tags: ["eq", "ne", "in", "contains", "empty"],
};

const sqlTypeOf: Record<FieldType, string> = {
  text: "text",
  uuid: "uuid",
  integer: "integer",
  decimal: "numeric",
  timestamp: "timestamptz",
  date: "date",
  boolean: "boolean",
  enum: "text",
  tags: "text",
};

const pagingParameters = new Set(["limit", "cursor", "sort", "q", "include"]);
const countParameters = new Set(["q"]);
const filterKey = /^filter\[([A-Za-z]+)\](?:\[([a-z]+)\])?$/;
const maxInValues = 100;

type SortKey = { field: string; expression: SQL | AnyPgColumn; direction: "asc" | "desc"; nullable: boolean };

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

type SearchPhase = "exact" | "fuzzy";
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
    const definition = spec.fields[field];
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
    const definition = spec.fields[field];
    if (!definition?.sortable) {
      errors.push({ path: "sort", message: `Cannot sort by "${field}"` });
      continue;
    }
    keys.push({ field, expression: definition.column, direction, nullable: !definition.column.notNull });
  }
  return keys;
}

function parseInclude(spec: ListSpec, raw: unknown, errors: { path: string; message: string }[]): string[] {
  if (typeof raw !== "string" || raw.trim() === "") return [];
  const names = [...new Set(raw.split(",").map((name) => name.trim()))];
  for (const name of names) {
    if (!spec.includes?.includes(name)) errors.push({ path: "include", message: `Cannot include "${name}"` });
  }
  return names;
}

/** Validates and converts one filter value; returns null (and records an error) when invalid. */
function parseValue(definition: ListField, value: string, actorId: string): string | null {
  switch (definition.type) {
    case "uuid":
      if (value === "me" && definition.acceptsMe) return actorId;
      return isUuid(value) ? value : null;
    case "integer":
      return /^-?\d{1,10}$/.test(value) ? value : null;
    case "decimal":
      return /^-?\d{1,14}(\.\d{1,2})?$/.test(value) ? value : null;
    case "timestamp":
      // `now` lets saved filters such as "overdue" (dueAt < now) stay true over time.
      if (value === "now") return new Date().toISOString();
      return !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}/.test(value) ? value : null;
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
    case "boolean":
      return value === "true" || value === "false" ? value : null;
    case "enum":
      return definition.values?.includes(value) ? value : null;
    case "text":
    case "tags":
      return value.length <= 200 ? value : null;
  }
}

function buildFilter(
  definition: ListField,
  operatorGiven: string | undefined,
  value: string,
  actorId: string,
  path: string,
  errors: { path: string; message: string }[],
): SQL | null {
  const values = value.split(",");
  const operator = operatorGiven ?? (values.length > 1 ? "in" : "eq");
  if (!operatorsByType[definition.type].includes(operator)) {
    errors.push({ path, message: `Operator "${operator}" does not apply to this field` });
    return null;
  }
  const column = definition.column;
  if (operator === "empty") {
    if (value !== "true" && value !== "false") {
      errors.push({ path, message: "Must be true or false" });
      return null;
    }
    const isEmpty =
      definition.type === "tags"
        ? sql`cardinality(${column}) = 0`
        : definition.type === "text"
          ? sql`coalesce(${column}, '') = ''`
          : sql`${column} is null`;
    return value === "true" ? isEmpty : sql`not (${isEmpty})`;
  }
  const list = operator === "in" ? values : [value];
  if (list.length > maxInValues) {
    errors.push({ path, message: `At most ${maxInValues} values` });
    return null;
  }
  const parsed: string[] = [];
  for (const item of list) {
    const converted = parseValue(definition, item, actorId);
    if (converted === null) {
      errors.push({ path, message: describeExpected(definition) });
      return null;
    }
    parsed.push(converted);
  }
  return filterCondition(definition, operator, parsed);
}

function describeExpected(definition: ListField): string {
  switch (definition.type) {
    case "uuid":
      return definition.acceptsMe ? "Must be a UUID or me" : "Must be a UUID";
    case "integer":
      return "Must be an integer";
    case "decimal":
      return "Must be a decimal number";
    case "timestamp":
      return "Must be an ISO 8601 date-time or now";
    case "date":
      return "Must be a date, YYYY-MM-DD";
    case "boolean":
      return "Must be true or false";
    case "enum":
      return `Must be one of: ${definition.values?.join(", ")}`;
    default:
      return "At most 200 characters";
  }
}

function filterCondition(definition: ListField, operator: string, values: string[]): SQL {
  const column = definition.column;
  const cast = sql.raw(sqlTypeOf[definition.type]);
  const bind = (v: string) => sql`cast(${v} as ${cast})`;
  if (definition.type === "tags") {
    const array = sql`array[${sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    )}]::text[]`;
    if (operator === "in") return sql`${column} && ${array}`;
    if (operator === "ne") return sql`not (${column} @> ${array})`;
    return sql`${column} @> ${array}`;
  }
  const [first = ""] = values;
  const lhs = definition.caseInsensitive ? sql`lower(${column})` : sql`${column}`;
  const rhs = (v: string) => (definition.caseInsensitive ? bind(v.toLowerCase()) : bind(v));
  switch (operator) {
    case "eq":
      return sql`${lhs} = ${rhs(first)}`;
    case "ne":
      return sql`${lhs} is distinct from ${rhs(first)}`;
    case "in":
      return sql`${lhs} in (${sql.join(values.map(rhs), sql`, `)})`;
    case "gt":
      return sql`${column} > ${bind(first)}`;
    case "gte":
      return sql`${column} >= ${bind(first)}`;
    case "lt":
      return sql`${column} < ${bind(first)}`;
    case "lte":
      return sql`${column} <= ${bind(first)}`;
    default: {
      const escaped = first.replace(/[\\%_]/g, (c) => `\\${c}`);
      return sql`${column} ilike ${`%${escaped}%`}`;
    }
  }
}

/** The keyset condition "after the cursor row", for any mix of directions and nullable keys. */
function keysetCondition(keys: SortKey[], values: (string | null)[], id: AnyPgColumn): SQL {
  const all = [...keys, { field: "id", expression: id, direction: keys.at(-1)?.direction ?? "asc", nullable: false }];
  const typed = (index: number) => {
    const key = all[index];
    const value = values[index];
    return { key, value, cast: sql`cast(${value} as ${sql.raw(typeOfExpression(key?.expression))})` };
  };
  const sameDirection = all.every((k) => k.direction === all[0]?.direction);
  if (sameDirection && all.every((_, i) => !all[i]?.nullable || values[i] !== null)) {
    const nullableKeys = all.filter((k) => k.nullable);
    if (nullableKeys.length === 0) {
      // Row comparison: one index range scan.
      const left = sql.join(
        all.map((k) => sql`${k.expression}`),
        sql`, `,
      );
      const right = sql.join(
        all.map((_, i) => typed(i).cast),
        sql`, `,
      );
      return all[0]?.direction === "desc" ? sql`(${left}) < (${right})` : sql`(${left}) > (${right})`;
    }
  }
  // General form: (k1 after v1) or (k1 = v1 and k2 after v2) or … — PostgreSQL puts nulls last
  // when ascending and first when descending.
  const branches: SQL[] = [];
  for (let i = 0; i < all.length; i++) {
    const parts: SQL[] = [];
    for (let j = 0; j < i; j++) {
      const { key, value, cast } = typed(j);
      parts.push(value === null ? sql`${key?.expression} is null` : sql`${key?.expression} = ${cast}`);
    }
    const { key, value, cast } = typed(i);
    const expression = key?.expression;
    let after: SQL | undefined;
    if (key?.direction === "desc") {
      after = value === null ? sql`${expression} is not null` : sql`${expression} < ${cast}`;
    } else {
      after =
        value === null
          ? undefined
          : key?.nullable
            ? or(sql`${expression} > ${cast}`, sql`${expression} is null`)
            : sql`${expression} > ${cast}`;
    }
    if (!after) continue;
    parts.push(after);
    const branch = and(...parts);
    if (branch) branches.push(branch);
  }
  return or(...branches) ?? sql`false`;
}

function typeOfExpression(expression: unknown): string {
  const column = expression as { columnType?: string; getSQLType?: () => string };
  return column.getSQLType ? column.getSQLType() : "text";
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

/**
 * `q` as conditions. Exact: every word of the term starts a word of the record (full-text prefix
 * match on the GIN-indexed tsvector), so "smi", "john smi" and "john@x.com" find John Smith.
 * Fuzzy: trigram word similarity on names, e-mails and phones, so "smyth" finds him too.
 */
function searchConditions(columns: { vector: AnyPgColumn; text: AnyPgColumn | null }, term: string) {
  // Each whitespace-separated chunk becomes a quoted prefix term: 'chunk':*, joined with &.
  const chunks = term
    .split(/\s+/)
    .map((chunk) => chunk.replace(/['\\]/g, ""))
    .filter(Boolean)
    .slice(0, 8);
  const query = chunks.map((chunk) => `'${chunk}':*`).join(" & ");
  const exact = query
    ? sql`${columns.vector} @@ to_tsquery('simple', ${query})`
    : sql`${columns.vector} @@ websearch_to_tsquery('simple', ${term})`;
  const fuzzy = columns.text ? sql`${term.toLowerCase()} <% ${columns.text}` : null;
  return { exact, fuzzy };
}

/** A search with at least this many matches pages by walking the sort index (see hasCommonMatches). */
const commonMatchCount = 500;

/**
 * True when a search matches many rows. Counted through the search index (ordered scans are off),
 * it costs at most `commonMatchCount` rechecks. With that many matches, walking the sort index and
 * filtering finds a page after a few thousand rows; with fewer, collecting them all is cheaper.
 */
async function hasCommonMatches(tx: Transaction, table: PgTable, where: SQL | undefined): Promise<boolean> {
  const probe = tx
    .select({ one: sql`1` })
    .from(table)
    .where(where)
    .limit(commonMatchCount);
  const [row] = await tx.select({ count: sql<number>`count(*)::int` }).from(probe.as("probe"));
  return (row?.count ?? 0) >= commonMatchCount;
}

/** The similarity fallback considers at most this many candidate records (see searchPhaseCondition). */
export const similarCandidateLimit = 1000;

/**
 * The condition of one search phase. PostgreSQL cannot estimate how many rows a prefix or a
 * similarity matches; when it guesses "many" it walks the sort index expecting early hits, which
 * takes seconds on a million records when there are none. So ordered index scans are switched off
 * for the transaction, and matches are collected through the search indexes and sorted — unless a
 * probe shows the exact matches are common, when walking the sort index is the fast way. The fuzzy phase is also
 * bounded: it takes the first `similarCandidateLimit` candidates the trigram index yields (plain
 * scans off too, so the index must serve), since rechecking similarity costs ~10 µs a row.
 */
async function searchPhaseCondition(
  tx: Transaction,
  spec: ListSpec,
  search: { exact: SQL; fuzzy: SQL | null },
  phase: SearchPhase,
  conditions: SQL[],
): Promise<SQL> {
  const isFuzzy = phase === "fuzzy" && search.fuzzy !== null;
  await tx.execute(
    sql`select set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', ${isFuzzy ? "off" : "on"}, true)`,
  );
  const table = spec.table;
  if (!isFuzzy || !search.fuzzy) {
    if (await hasCommonMatches(tx, table, and(...conditions, search.exact))) {
      await tx.execute(sql`select set_config('enable_indexscan', 'on', true)`);
    }
    return search.exact;
  }
  const candidates = tx
    .select({ id: table.id })
    .from(table as PgTable)
    .where(and(...conditions, search.fuzzy))
    .limit(similarCandidateLimit);
  return sql`${table.id} in (${candidates})`;
}
