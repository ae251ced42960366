import { and, eq, sql, type SQL } from "drizzle-orm";
import {
  viewResources,
  viewVisibilities,
  type SavedView,
  type ViewResource,
} from "../../../shared/schemas/saved-view.ts";
import type { Transaction } from "../../db/client.ts";
import { listPage, type ListRequest, type ListSpec } from "../../db/listing.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { attachUserSummaries } from "../users/index.ts";
import { savedViews } from "./saved-views.table.ts";

/** A saved_views row as stored. */
export type SavedViewRow = typeof savedViews.$inferSelect;

/** The columns a view is written with. */
export type SavedViewValues = {
  name: string;
  resource: ViewResource;
  visibility: SavedView["visibility"];
  filters: SavedView["filters"];
  sort: string | null;
  columns: string[];
  q: string | null;
  columnWidths: SavedView["columnWidths"];
};

/** How views are listed: by name (default) or last change; filter by visibility, owner or name. */
export const savedViewsListSpec = {
  table: savedViews,
  fields: {
    id: { column: savedViews.id, type: "uuid" },
    name: { column: savedViews.name, type: "text", sortable: true },
    resource: { column: savedViews.resource, type: "enum", values: viewResources },
    visibility: { column: savedViews.visibility, type: "enum", values: viewVisibilities },
    ownerId: { column: savedViews.ownerId, type: "uuid", acceptsMe: true },
    createdAt: { column: savedViews.createdAt, type: "timestamp" },
    updatedAt: { column: savedViews.updatedAt, type: "timestamp", sortable: true },
  },
  defaultSort: "name",
  includes: ["owner"],
  hiddenColumns: ["workspaceId"],
} satisfies ListSpec;

/** Row → API object. */
export function toSavedView(row: SavedViewRow | Record<string, unknown>): SavedView {
  const r = row as SavedViewRow;
  return {
    id: r.id,
    version: r.version,
    name: r.name,
    resource: r.resource,
    visibility: r.visibility,
    ownerId: r.ownerId,
    filters: r.filters,
    sort: r.sort,
    columns: r.columns,
    q: r.q,
    columnWidths: r.columnWidths,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

const byId = (workspaceId: string, id: string) => and(eq(savedViews.workspaceId, workspaceId), eq(savedViews.id, id));

export async function insertSavedView(
  tx: Transaction,
  workspaceId: string,
  ownerId: string,
  values: SavedViewValues,
): Promise<SavedViewRow> {
  const [row] = await tx
    .insert(savedViews)
    .values({ ...values, workspaceId, id: newId(), ownerId })
    .returning();
  if (!row) throw new Error("saved view insert returned nothing");
  return row;
}

/** One view by id, whoever owns it (the service decides who may see it). */
export async function findSavedView(
  tx: Transaction,
  workspaceId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<SavedViewRow | undefined> {
  const query = tx.select().from(savedViews).where(byId(workspaceId, id));
  const [row] = await (options.forUpdate ? query.for("update") : query);
  return row;
}

/** Throws 412 when If-Match named another version than the stored one. */
export function assertViewVersion(row: SavedViewRow, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw new AppError("stale-version", `The view changed since version you sent (now ${String(row.version)}).`);
  }
}

/** Writes `values` to a view the caller locked, bumping its version. */
export async function updateSavedViewRow(
  tx: Transaction,
  workspaceId: string,
  id: string,
  values: Partial<SavedViewValues>,
): Promise<SavedViewRow> {
  const [row] = await tx
    .update(savedViews)
    .set({ ...values, version: sql`${savedViews.version} + 1`, updatedAt: sql`now()` })
    .where(byId(workspaceId, id))
    .returning();
  if (!row) throw notFound("view");
  return row;
}

/** Deletes a view for good. */
export async function deleteSavedViewRow(tx: Transaction, workspaceId: string, id: string): Promise<void> {
  await tx.delete(savedViews).where(byId(workspaceId, id));
}

/**
 * One page of the views `viewerId` can see: their own (private or shared) and every shared one,
 * of one list when `resource` is given.
 */
export async function listSavedViewRows(
  tx: Transaction,
  workspaceId: string,
  request: ListRequest,
  viewerId: string,
  resource: ViewResource | undefined,
) {
  const conditions: SQL[] = [sql`(${savedViews.visibility} = 'shared' or ${savedViews.ownerId} = ${viewerId})`];
  if (resource) conditions.push(eq(savedViews.resource, resource));
  const page = await listPage(tx, savedViewsListSpec, workspaceId, request, conditions);
  const data = page.rows.map(toSavedView);
  await attachViewIncludes(tx, data, request.include);
  return { data, nextCursor: page.nextCursor };
}

/** Embeds the owners asked for with include=owner, in one query. */
export async function attachViewIncludes(tx: Transaction, items: SavedView[], include: string[]): Promise<void> {
  if (!include.includes("owner")) return;
  await attachUserSummaries(
    tx,
    items,
    (view) => view.ownerId,
    (view, owner) => (view.owner = owner),
  );
}
