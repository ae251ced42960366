import { getTableName, sql, type SQL } from "drizzle-orm";
import { keyTypeOf, keysetRanges, withIdKey, type KeysetRange } from "../../db/keyset.ts";
import type { ListRequest, ListSpec, SortKey } from "../../db/listing.ts";
import { canCopyCsv, copyCsvPage, copyCsvSnapshot, type CsvShape } from "../../db/copy-csv.ts";
import { dialect, type Transaction } from "../../db/client.ts";
import { writtenInSafely } from "../../db/inline-parameters.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { readerOf, visibleRows, type OwnedResource } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import type { Cell, ExportColumn } from "./exports.columns.ts";
import { columnSelects, csvCopyFieldSql, csvFieldSql, relationJoins, type ColumnSelect } from "./exports.selects.ts";
import type { ExportResource } from "./exports.resources.ts";

/**
 * Rows per page of the fast read by query (cells for XLSX and JSON, CSV on the embedded
 * database): enough that a page's round trips and transaction cost little per row, few enough
 * that its strings die young: measured on a million contacts, pages of 10,000 cost the same CPU as
 * pages of 2,000 but grew the process by 217 MB instead of 141 MB.
 */
export const fastPageSize = 2_000;

/**
 * Rows per page of a CSV download by COPY at most (copyCsvPages sizes pages by their bytes): each
 * page is planned anew (4 ms for the contacts' statement), and its bytes stay out of the
 * JavaScript heap. On a million contacts, one after the other, pages of 10,000 ran at
 * 69,000–72,000 rows a second where pages of 2,000 ran at 39,000–45,000.
 */
export const copyPageSize = 10_000;

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
 * A page of CSV records written by the database, and how many: the formatting runs in the database
 * process (beside this one, on another core); this one joins the lines a query wrote, or splits
 * the bytes a COPY wrote into records, and creates no per-cell values.
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

/**
 * The same read as CSV records (CRLF after each), `kinds` per column. On a PostgreSQL server by
 * COPY (copyCsvPages); on the embedded database each page's records are written by the query.
 */
export async function* readFastCsvPages(
  ctx: RequestContext,
  target: FastTarget,
  request: ListRequest,
  selects: ColumnSelect[],
  columns: ExportColumn[],
  mode: ReadMode = "pages",
  pageSize?: number,
): AsyncGenerator<CsvText> {
  const keys = withIdKey(request.sortKeys, target.listSpec.table.id);
  if (canCopyCsv(ctx.db) && copiesSafely(target.listSpec, request, keys)) {
    yield* copyCsvPages(ctx, target, request, selects, columns, mode, pageSize ?? copyPageSize);
    return;
  }
  const fields = selects.map((select, i) => csvFieldSql(select, (columns[i] as ExportColumn).kind));
  const query = fastQuery(target, ctx.workspaceId, request, [`concat_ws(',', ${fields.join(", ")})`], selects);
  for await (const rows of walk(ctx, query, pageSize ?? fastPageSize)) {
    let text = "";
    for (const row of rows) text += `${row[0] as string}\r\n`;
    yield { text, rows: rows.length };
  }
}

/** A fast query with who may see what added to its conditions, and how to read a grouped sort's groups. */
type CopyQuery = FastQuery & { groups: () => Promise<string[] | null> };

/**
 * Whether an export's statements may have their values written in, as COPY takes no parameters:
 * only when every filter value is something no person typed (ids, numbers, instants:
 * inline-parameters.ts writtenInSafely; or one of the list's enum values) and no sort key is text,
 * since PostgreSQL logs the text of a statement that fails. A list filtered by a name or an
 * e-mail, or sorted by a text field, is read by parameterised queries instead, page by page.
 */
export function copiesSafely(spec: ListSpec, request: ListRequest, keys: SortKey[]): boolean {
  const vocabulary = new Set(Object.values(spec.fields).flatMap((field) => field.values ?? []));
  const safe = (value: unknown): boolean =>
    writtenInSafely(value) ||
    (typeof value === "string" && vocabulary.has(value)) ||
    (Array.isArray(value) && value.every(safe));
  const { params } = dialect.sqlToQuery(sql.join([sql`true`, ...request.conditions], sql` and `));
  return params.every(safe) && keys.every((key) => !textTypes.test(keyTypeOf(key)));
}

const textTypes = /^(text|varchar|character varying|citext|char|character)\b/i;

/**
 * CSV records by `COPY … (format csv)` (db/copy-csv.ts): the query selects each column
 * neutralised, and PostgreSQL's CSV writer quotes them, in C, at a fraction of what the same
 * quoting costs in the query's expressions. Who may see what is read first, in a short
 * transaction of its own.
 *
 * - `snapshot`: one COPY per keyset range (one, unless the sort is grouped), in one snapshot:
 *   PostgreSQL plans each once and streams its rows (an export job).
 * - `pages`: a COPY per page along the keyset, each in a short transaction of its own, its sort
 *   keys leading each record and taken off again (a download: no connection held while the client
 *   reads). Pages hold about copyPageBytes, at most `pageSize` rows.
 */
async function* copyCsvPages(
  ctx: RequestContext,
  target: FastTarget,
  request: ListRequest,
  selects: ColumnSelect[],
  columns: ExportColumn[],
  mode: ReadMode,
  pageSize: number,
): AsyncGenerator<CsvText> {
  const fields = selects.map((select, i) => csvCopyFieldSql(select, (columns[i] as ExportColumn).kind));
  const fast = fastQuery(target, ctx.workspaceId, request, fields, selects);
  const visible = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) =>
    visibleRows(fast.noun, await readerOf(tx, ctx)),
  );
  const query: CopyQuery = {
    ...fast,
    base: [...fast.base, ...visible],
    groups: groupsReader(ctx, fast),
  };
  if (mode === "snapshot") {
    yield* copyCsvWhole(ctx, query);
    return;
  }
  let after: (string | null)[] | null = null;
  let limit = Math.min(pageSize, firstCopyPageRows);
  for (;;) {
    const page = await copyCsvPageAfter(ctx, query, after, limit);
    if (page.rows > 0) yield { text: page.text, rows: page.rows };
    if (page.rows < limit || !page.last) return;
    after = page.last;
    const rowBytes = page.text.length / page.rows;
    limit = Math.min(pageSize, Math.max(minCopyPageRows, Math.round(copyPageBytes / rowBytes)));
  }
}

/**
 * About how many bytes of CSV a download's page holds: its row count follows the size of the rows
 * so far (at most `pageSize`), so that a page of long texts (an activity's body) stays as small in
 * memory as one of contacts.
 */
const copyPageBytes = 4 * 1024 * 1024;
const firstCopyPageRows = 1_000;
const minCopyPageRows = 50;

/**
 * The whole list in one snapshot. Each record leads with an empty field, taken off again: a
 * statement of one column would have PostgreSQL quote a value that is exactly `\.` (its end-of-data
 * mark), which exports.csv.ts writes as it is.
 */
async function* copyCsvWhole(ctx: RequestContext, query: CopyQuery): AsyncGenerator<CsvText> {
  const statements = keysetRanges(query.keys, null, await query.groups()).map(
    (range) =>
      sql`select null, ${query.outputs} from ${query.from} where ${whereOf(query, range)} order by ${query.order}`,
  );
  const shape: CsvShape = { keyFields: 1, terminator: "\r\n" };
  for await (const records of copyCsvSnapshot(ctx.db, ctx.workspaceId, statements, shape)) {
    yield { text: records.bytes, rows: records.rows };
  }
}

/**
 * A grouped sort's groups as each page needs them: read again for each page, as the list does,
 * when they are read from the database (a pipeline's stages: one added meanwhile gets its range).
 */
function groupsReader(ctx: RequestContext, query: FastQuery): CopyQuery["groups"] {
  const groups = query.keys[0]?.groups;
  if (typeof groups !== "function") {
    const fixed = groups ? [...groups] : null;
    return async () => fixed;
  }
  return () => withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => groups(tx, query.workspaceId));
}

const whereOf = (query: CopyQuery, range: KeysetRange) => sql.join([...query.base, ...range.conditions], sql` and `);

/** Up to `limit` CSV records after `after` (the last record's sort keys and id, as text), range after range. */
async function copyCsvPageAfter(
  ctx: RequestContext,
  query: CopyQuery,
  after: (string | null)[] | null,
  limit: number,
): Promise<{ text: Buffer; rows: number; last: (string | null)[] | null }> {
  const shape: CsvShape = { keyFields: query.keys.length, terminator: "\r\n" };
  const parts: Buffer[] = [];
  let rows = 0;
  let last: (string | null)[] | null = null;
  for (const range of keysetRanges(query.keys, after, await query.groups())) {
    const statement = sql`select ${query.keyOutputs}, ${query.outputs} from ${query.from} where ${whereOf(query, range)} order by ${query.order} limit ${limit - rows}`;
    const page = await copyCsvPage(ctx.db, ctx.workspaceId, statement, shape);
    if (page.rows === 0) continue;
    parts.push(page.bytes);
    rows += page.rows;
    last = page.lastKeys;
    if (rows >= limit) break;
  }
  return { text: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), rows, last };
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
