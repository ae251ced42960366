import { getTableName, sql, type SQL } from "drizzle-orm";
import type { Transaction } from "../../db/client.ts";
import { keysetRanges, withIdKey, type KeysetRange } from "../../db/keyset.ts";
import type { ListRequest, ListSpec, SortKey } from "../../db/listing.ts";
import { canCopyLines, copyLines, type Lines } from "../../db/copy-lines.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { readerOf, visibleRows, type OwnedResource } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import type { Cell, ExportColumn } from "./exports.columns.ts";
import { columnSelects, csvFieldSql, relationJoins, type ColumnSelect } from "./exports.selects.ts";
import type { ExportResource } from "./exports.resources.ts";

/**
 * Rows per page of the fast read: enough that a page's round trips and transaction cost little per
 * row, few enough that its strings die young: measured on a million contacts, pages of 10,000
 * cost the same CPU as pages of 2,000 but grew the process by 217 MB instead of 141 MB.
 */
export const fastPageSize = 2_000;

/** The SQL of each chosen column, or null when one of them has none (the list use case reads it then). */
export function fastSelectsOf(resource: ExportResource, columns: ExportColumn[]): ColumnSelect[] | null {
  const selects: ColumnSelect[] = [];
  for (const column of columns) {
    const select = columnSelects[resource][column.name];
    if (!select) return null;
    selects.push(select);
  }
  return selects;
}

/**
 * A page of CSV records written by the database, and how many: for CSV the process only joins
 * lines (or passes on the bytes a COPY wrote), the formatting runs in the database process (beside
 * this one, on another core), and no per-cell values are created here.
 */
export type CsvText = { text: string | Buffer; rows: number };

/** What the fast read needs of the list: its spec, and whose records are whose (an agent may read only their own). */
type FastTarget = { listSpec: ListSpec; noun: OwnedResource };

type FastQuery = {
  spec: ListSpec;
  noun: OwnedResource;
  workspaceId: string;
  keys: SortKey[];
  /** The outputs `c0`, `c1`, … (what the caller asked for) and the sort keys as text `k0`, `k1`, …. */
  outputs: SQL;
  keyOutputs: SQL;
  /** The table and its joins. */
  from: SQL;
  /** How many outputs. */
  width: number;
  order: SQL;
  base: SQL[];
};

/**
 * How to read CSV: page by page (any database, no connection held between pages) or in one
 * snapshot by COPY (an export job on a PostgreSQL server; page by page elsewhere).
 */
export type ReadMode = "pages" | "snapshot";

/**
 * The export's rows as cells, page after page: over the list's own filters and sort, with related
 * names joined in. Only what the columns need is selected, and rows become arrays of cells.
 */
export async function* readFastPages(
  ctx: RequestContext,
  target: FastTarget,
  request: ListRequest,
  selects: ColumnSelect[],
  pageSize = fastPageSize,
): AsyncGenerator<Cell[][]> {
  const query = fastQuery(
    target,
    ctx.workspaceId,
    request,
    selects.map((select) => select.sql),
    selects,
  );
  for await (const rows of walk(ctx, query, pageSize)) yield rows as Cell[][];
}

/** The same read, each page as CSV records (CRLF after each) written by the database; `kinds` per column. */
export async function* readFastCsvPages(
  ctx: RequestContext,
  target: FastTarget,
  request: ListRequest,
  selects: ColumnSelect[],
  columns: ExportColumn[],
  mode: ReadMode = "pages",
  pageSize = fastPageSize,
): AsyncGenerator<CsvText> {
  const fields = selects.map((select, i) => csvFieldSql(select.sql, (columns[i] as ExportColumn).kind));
  const query = fastQuery(target, ctx.workspaceId, request, [`concat_ws(',', ${fields.join(", ")})`], selects);
  if (mode === "snapshot" && canCopyLines(ctx.db)) {
    for await (const lines of copySnapshot(ctx, query)) yield { text: lines.bytes, rows: lines.rows };
    return;
  }
  for await (const rows of walk(ctx, query, pageSize)) {
    let text = "";
    for (const row of rows) text += `${row[0] as string}\r\n`;
    yield { text, rows: rows.length };
  }
}

/**
 * The CSV lines of the whole list by COPY, one statement per keyset range (one, unless the sort is
 * grouped), in one snapshot (db/copy-lines.ts): PostgreSQL plans each once and streams its rows,
 * instead of a query planned and run per page. Who may see what is read first, in a short
 * transaction of its own.
 */
async function* copySnapshot(ctx: RequestContext, query: FastQuery): AsyncGenerator<Lines> {
  const statements = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const base = [...query.base, ...visibleRows(query.noun, await readerOf(tx, ctx))];
    const ranges = keysetRanges(query.keys, null, await groupsOf(tx, query.workspaceId, query.keys[0]));
    return ranges.map(
      (range) =>
        sql`select ${query.outputs} from ${query.from} where ${sql.join([...base, ...range.conditions], sql` and `)} order by ${query.order}`,
    );
  });
  yield* copyLines(ctx.db, ctx.workspaceId, statements, "\r\n");
}

/**
 * Pages along the keyset, each in one short workspace transaction (RLS) and one statement per
 * keyset range (db/keyset.ts, never OFFSET), limited to the records the reader may see (read once,
 * in the first page's transaction). No connection is held between pages, so a slow client slows
 * only its own download.
 */
async function* walk(ctx: RequestContext, query: FastQuery, pageSize: number): AsyncGenerator<unknown[][]> {
  let after: (string | null)[] | null = null;
  let visible: FastQuery | null = null;
  const width = query.width;
  for (;;) {
    const cursor: (string | null)[] | null = after;
    const page: FastPage = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
      visible ??= { ...query, base: [...query.base, ...visibleRows(query.noun, await readerOf(tx, ctx))] };
      return readFastPage(tx, visible, cursor, pageSize);
    });
    if (page.rows.length > 0) yield outputsOf(page.rows, width);
    if (page.rows.length < pageSize || !page.last) return;
    after = page.last;
  }
}

function fastQuery(
  { listSpec: spec, noun }: FastTarget,
  workspaceId: string,
  request: ListRequest,
  outputs: string[],
  selects: ColumnSelect[],
): FastQuery {
  const table = `"${getTableName(spec.table)}"`;
  const keys = withIdKey(request.sortKeys, spec.table.id);
  const columns = outputs.map((output, i) => `${output.replaceAll("$t", table)} as "c${i}"`);
  const joins = [...new Set(selects.flatMap((select) => (select.join ? [select.join] : [])))].map((name) =>
    relationJoins[name].replaceAll("$t", table),
  );
  const keyOutputs = sql.join(
    keys.map((key, i) => sql`(${key.expression})::text as ${sql.raw(`"k${i}"`)}`),
    sql`, `,
  );
  const order = sql.join(
    keys.map((key) => sql`${key.expression} ${sql.raw(key.direction === "desc" ? "desc" : "asc")}`),
    sql`, `,
  );
  const base = [sql`${spec.table.workspaceId} = ${workspaceId}`, ...request.conditions];
  const from = sql.raw(`${table} ${joins.join(" ")}`);
  return {
    spec,
    noun,
    workspaceId,
    keys,
    outputs: sql.raw(columns.join(", ")),
    keyOutputs,
    from,
    order,
    base,
    width: outputs.length,
  };
}

type FastPage = { rows: Record<string, unknown>[]; last: (string | null)[] | null };

/** Up to `limit` rows after `after` (the last row's sort keys and id, as text), range after range. */
async function readFastPage(
  tx: Transaction,
  query: FastQuery,
  after: (string | null)[] | null,
  limit: number,
): Promise<FastPage> {
  const groups = await groupsOf(tx, query.workspaceId, query.keys[0]);
  const ranges = keysetRanges(query.keys, after, groups);
  const rows: Record<string, unknown>[] = [];
  let last: (string | null)[] | null = null;
  for (const range of ranges as KeysetRange[]) {
    const conditions = sql.join([...query.base, ...range.conditions], sql` and `);
    const result = (await tx.execute(
      sql`select ${query.outputs}, ${query.keyOutputs} from ${query.from} where ${conditions} order by ${query.order} limit ${limit - rows.length}`,
    )) as unknown as { rows: Record<string, unknown>[] };
    const found = result.rows;
    if (found.length === 0) continue;
    for (const row of found) rows.push(row);
    last = keyValuesOf(found[found.length - 1] as Record<string, unknown>, query.keys.length);
    if (rows.length >= limit) break;
  }
  return { rows, last };
}

/** Rows `{ c0, c1, … }` as arrays of their outputs, in a plain loop: no spreads, no closures per row. */
function outputsOf(rows: Record<string, unknown>[], width: number): unknown[][] {
  const names: string[] = [];
  for (let i = 0; i < width; i++) names.push(`c${i}`);
  const page: unknown[][] = [];
  for (const row of rows) {
    const values = new Array<unknown>(width);
    for (let i = 0; i < width; i++) values[i] = row[names[i] as string] ?? null;
    page.push(values);
  }
  return page;
}

function keyValuesOf(row: Record<string, unknown>, count: number): (string | null)[] {
  const values: (string | null)[] = [];
  for (let i = 0; i < count; i++) values.push((row[`k${i}`] as string | null) ?? null);
  return values;
}

async function groupsOf(tx: Transaction, workspaceId: string, key: SortKey | undefined): Promise<string[] | null> {
  if (!key?.groups) return null;
  return typeof key.groups === "function" ? key.groups(tx, workspaceId) : [...key.groups];
}
