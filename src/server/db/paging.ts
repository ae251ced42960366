import {
  and,
  asc,
  Column,
  desc,
  getTableColumns,
  is,
  sql,
  type DriverValueDecoder,
  type SQL,
  type SQLWrapper,
} from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { encodeCursor } from "../lib/cursor.ts";
import type { Transaction } from "./client.ts";
import { keysetRanges, withIdKey, type KeysetRange } from "./keyset.ts";
import type { ListRequest, ListSpec, SortKey } from "./listing.ts";
import { searchPhaseCondition, type SearchPhase } from "./search.ts";

/** Marks, in a cursor's sort signature, a search that fell back to similar matches. */
export const fuzzyMark = "~similar";

type Row = Record<string, unknown>;

/** The table's columns minus the hidden (generated search) ones. */
export function selectableColumns(spec: ListSpec): Record<string, PgColumn> {
  const columns = { ...getTableColumns(spec.table) } as Record<string, PgColumn>;
  for (const name of spec.hiddenColumns ?? []) delete columns[name];
  return columns;
}

/**
 * One page of a list in one search phase: the ranges after the cursor (keyset.ts) read in turn,
 * each ordered by the whole sort, until `limit + 1` rows are in. Runs of whole groups (a grouped
 * sort) are read several at a time, in batches growing fourfold, so a page crossing many small or
 * empty groups (owners with nothing in this list) costs a few statements, not one per group.
 */
export async function readPage(
  tx: Transaction,
  spec: ListSpec,
  workspaceId: string,
  request: ListRequest,
  base: SQL[],
  phase: SearchPhase,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const keys = withIdKey(request.sortKeys, spec.table.id);
  const groups = await groupsOf(tx, workspaceId, request.sortKeys[0]);
  const ranges = keysetRanges(keys, request.cursorValues, groups);
  const query: PageQuery = {
    tx,
    spec,
    keys,
    selection: { ...selectableColumns(spec), ...cursorColumns(request.sortKeys) },
    order: keys.map((key) => (key.direction === "desc" ? desc(key.expression) : asc(key.expression))),
  };
  const wanted = request.limit + 1;
  const rows: Row[] = [];
  let batchSize = 1;
  for (let next = 0; next < ranges.length && rows.length < wanted;) {
    const batch = request.search ? [] : groupRun(ranges, next, batchSize);
    if (batch.length > 1) {
      rows.push(...(await readGroups(query, base, batch, wanted - rows.length)));
      next += batch.length;
    } else {
      const range = ranges[next] as KeysetRange;
      const conditions = [...base, ...range.conditions];
      if (request.search) conditions.push(await searchPhaseCondition(tx, spec, request.search, phase, conditions));
      rows.push(...(await readRange(query, conditions, wanted - rows.length)));
      next += 1;
    }
    if (ranges[next - 1]?.group !== undefined) batchSize *= 4;
  }
  return pageOf(rows, request, phase);
}

type Selection = Record<string, PgColumn | SQL.Aliased>;

type PageQuery = {
  tx: Transaction;
  spec: ListSpec;
  keys: SortKey[];
  selection: Selection;
  order: SQL[];
};

/** The sort keys' values as text, for the next cursor. */
function cursorColumns(keys: SortKey[]): Record<string, SQL.Aliased> {
  return Object.fromEntries(
    keys.map((key, i) => [`__k${i}`, sql<string | null>`(${key.expression})::text`.as(`__k${i}`)]),
  );
}

async function groupsOf(tx: Transaction, workspaceId: string, key: SortKey | undefined): Promise<string[] | null> {
  if (!key?.groups) return null;
  return typeof key.groups === "function" ? key.groups(tx, workspaceId) : [...key.groups];
}

/** Up to `size` consecutive whole-group ranges from `start` (none when the range there is not one). */
function groupRun(ranges: KeysetRange[], start: number, size: number): string[] {
  const run: string[] = [];
  for (let i = start; i < ranges.length && run.length < size; i++) {
    const group = ranges[i]?.group;
    if (group === undefined) break;
    run.push(group);
  }
  return run;
}

function readRange(query: PageQuery, conditions: SQL[], limit: number): Promise<Row[]> {
  const select = query.tx
    .select(query.selection)
    .from(query.spec.table as PgTable)
    .where(and(...conditions))
    .orderBy(...query.order)
    .limit(limit);
  return selectRows(query.tx, select, query.selection);
}

/**
 * Several whole groups in one statement: for each group, in order, its first `limit` rows through
 * its own index range (a lateral subquery), then the first `limit` of all that.
 */
async function readGroups(query: PageQuery, base: SQL[], groups: string[], limit: number): Promise<Row[]> {
  const [groupKey] = query.keys;
  if (!groupKey) return [];
  const type = sql.raw((groupKey.expression as { getSQLType?: () => string }).getSQLType?.() ?? "text");
  const values = sql.join(
    groups.map((group) => sql`${group}`),
    sql`, `,
  );
  const page = query.tx
    .select({
      ...query.selection,
      __n: sql<number>`row_number() over (order by ${sql.join(query.order, sql`, `)})`.as("__n"),
    })
    .from(query.spec.table as PgTable)
    .where(and(...base, sql`${groupKey.expression} = "__group"."value"`))
    .orderBy(...query.order)
    .limit(limit)
    .as("__page");
  const fields = page as unknown as Record<string, PgColumn | SQL.Aliased>;
  const select = query.tx
    .select(Object.fromEntries(Object.keys(query.selection).map((name) => [name, fields[name] as PgColumn])))
    .from(sql`unnest(cast(array[${values}] as ${type}[])) with ordinality as "__group"("value", "rank")`)
    .crossJoinLateral(page)
    .orderBy(sql`"__group"."rank"`, sql`"__page"."__n"`)
    .limit(limit);
  return selectRows(query.tx, select, query.selection);
}

/**
 * Runs a page's statement and maps its rows to the keys of `selection`, each value through the
 * decoder Drizzle would use (its column's). Drizzle's own mapping of a row costs several times
 * this loop, which a page of 50 to 200 rows pays on every request. The columns come back in the
 * selection's order, each under its own name.
 */
async function selectRows(tx: Transaction, statement: SQLWrapper, selection: Selection): Promise<Row[]> {
  const result = (await tx.execute(statement)) as unknown as { rows: Row[]; fields: { name: string }[] };
  const keys = Object.keys(selection);
  const names = result.fields.map((field) => field.name);
  if (names.length !== keys.length || new Set(names).size !== names.length) {
    throw new Error(`a page's columns came back as ${names.join(", ")} for ${keys.join(", ")}`);
  }
  const decoders = keys.map((key) => decoderOf(selection[key]));
  return result.rows.map((raw) => {
    const row: Row = {};
    for (let i = 0; i < keys.length; i++) {
      const value = raw[names[i] as string];
      row[keys[i] as string] =
        value === null ? null : (decoders[i] as DriverValueDecoder<unknown, unknown>).mapFromDriverValue(value);
    }
    return row;
  });
}

/** What Drizzle decodes a selected field's values with: its column, or its expression's decoder. */
function decoderOf(field: PgColumn | SQL.Aliased | undefined): DriverValueDecoder<unknown, unknown> {
  if (is(field, Column)) return field;
  return (field?.sql as unknown as { decoder: DriverValueDecoder<unknown, unknown> }).decoder;
}

/** The first `limit` rows and, when one more came, the cursor after the last of them. */
function pageOf(rows: Row[], request: ListRequest, phase: SearchPhase): { rows: Row[]; nextCursor: string | null } {
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
  // Last key first: deleting an object's most recently added property keeps it a fast object, any
  // other turns it into a slow dictionary that every later read of the row (the mappers) pays for.
  for (const row of page) for (let i = request.sortKeys.length - 1; i >= 0; i--) delete row[`__k${i}`];
  return { rows: page, nextCursor };
}
