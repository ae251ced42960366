import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { BulkRequest } from "../../../shared/schemas/bulk.ts";
import type { Transaction } from "../../db/client.ts";
import { inIds } from "../../db/id-lists.ts";
import { parseListRequest } from "../../db/listing.ts";
import { AppError } from "../../lib/errors.ts";
import type { BulkTarget, RecordRow } from "./records.bulk.apply.ts";
import { isOwnedResource, visibleRows, type Reader } from "../../lib/access.ts";

/**
 * The records a bulk request names: its ids (sorted), or the conditions of its list filter. An ids
 * selection's conditions are those a named record must also meet to be found (what the reader may
 * see); one that does not is missing, as an id that names no record.
 */
export type Selection = { kind: "ids"; ids: string[]; conditions: SQL[] } | { kind: "filter"; conditions: SQL[] };

/**
 * The selection of a request. A filter is the list's own query parameters, parsed by the list
 * engine, so "apply to all matching" acts on exactly what the list shows (`q` as its exact
 * full-text phase). A restore looks at deleted records unless the filter says otherwise.
 */
export function selectionOf(target: BulkTarget, request: BulkRequest, actorId: string): Selection {
  if (request.ids) return { kind: "ids", ids: [...request.ids].sort(), conditions: [] };
  const query: Record<string, unknown> = { ...request.filter };
  if (request.action === "restore" && !("filter[deleted]" in query)) query["filter[deleted]"] = "true";
  try {
    const list = parseListRequest(target.listSpec, query, actorId, "count");
    return { kind: "filter", conditions: [...list.conditions, ...(list.search ? [list.search.exact] : [])] };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const errors = (error.errors ?? []).map((e) => ({ ...e, path: `filter.${e.path}` }));
    throw new AppError("validation", "The filter is invalid.", errors);
  }
}

type Columns = { workspaceId: PgColumn; id: PgColumn };
const columnsOf = (target: BulkTarget) => target.type.table as unknown as PgTable & Columns;

/**
 * The selection limited to the records `reader` may see: an agent of a workspace that limits agents
 * to their own records acts on what their list shows, and an id of a record they may not read is
 * missing, refused as an id of no record is (before its state or their role is judged, so the
 * refusal tells them nothing about a record they cannot see).
 */
export function visibleSelection(selection: Selection, resource: string, reader: Reader): Selection {
  if (reader === null || !isOwnedResource(resource)) return selection;
  return { ...selection, conditions: [...selection.conditions, ...visibleRows(resource, reader)] };
}

/** How many records the selection matches now: the ids given, or the filter's matches (exact). */
export async function countSelection(
  tx: Transaction,
  target: BulkTarget,
  workspaceId: string,
  selection: Selection,
): Promise<number> {
  if (selection.kind === "ids") return selection.ids.length;
  const table = columnsOf(target);
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(table)
    .where(and(eq(table.workspaceId, workspaceId), ...selection.conditions));
  return row?.count ?? 0;
}

/**
 * A chunk: its rows locked for update, the ids that named no record (or none the selection's
 * conditions let through), and where the next one starts.
 */
export type Chunk = { rows: RecordRow[]; missing: string[]; lastId: string | null; isLast: boolean };

/**
 * Locks the next `size` records of the selection after `cursor`, in id order (so two bulk actions
 * over the same records wait for each other instead of deadlocking, and a job resumes after the
 * last id it committed). Records leaving the filter as they change stay behind the cursor.
 */
export async function lockChunk(
  tx: Transaction,
  target: BulkTarget,
  workspaceId: string,
  selection: Selection,
  cursor: string | null,
  size: number,
): Promise<Chunk> {
  const table = columnsOf(target);
  const base = eq(table.workspaceId, workspaceId);
  if (selection.kind === "ids") {
    const start = cursor === null ? 0 : selection.ids.findIndex((id) => id > cursor);
    const ids = start < 0 ? [] : selection.ids.slice(start, start + size);
    const rows =
      ids.length === 0 ? [] : await lockRows(tx, table, and(base, inIds(table.id, ids), ...selection.conditions));
    const found = new Set(rows.map((row) => row.id));
    const isLast = start < 0 || start + size >= selection.ids.length;
    return { rows, missing: ids.filter((id) => !found.has(id)), lastId: ids.at(-1) ?? cursor, isLast };
  }
  const after = cursor === null ? [] : [gt(table.id, cursor)];
  const rows = await lockRows(tx, table, and(base, ...selection.conditions, ...after), size);
  return { rows, missing: [], lastId: rows.at(-1)?.id ?? cursor, isLast: rows.length < size };
}

async function lockRows(
  tx: Transaction,
  table: PgTable & Columns,
  where: SQL | undefined,
  limit?: number,
): Promise<RecordRow[]> {
  const query = tx.select().from(table).where(where).orderBy(asc(table.id));
  const limited = limit === undefined ? query : query.limit(limit);
  return (await limited.for("update")) as unknown as RecordRow[];
}
