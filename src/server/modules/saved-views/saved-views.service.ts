import { scopeOf, type Action } from "../../../shared/permissions.ts";
import type { CreateSavedView, SavedView, UpdateSavedView, ViewResource } from "../../../shared/schemas/saved-view.ts";
import type { Transaction } from "../../db/client.ts";
import type { ListRequest } from "../../db/listing.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { fieldChanges, recordFact } from "../audit/index.ts";
import { assertAllowed, assertAllowedOn } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { assertViewFitsList } from "./saved-views.checks.ts";
import {
  assertViewVersion,
  attachViewIncludes,
  deleteSavedViewRow,
  findSavedView,
  insertSavedView,
  listSavedViewRows,
  toSavedView,
  updateSavedViewRow,
  type SavedViewRow,
} from "./saved-views.repository.ts";

/**
 * Saved views. Everyone who can read records keeps private views (viewers included); only the
 * owner sees, edits or deletes a private view, and to anyone else it does not exist (404).
 * Shared views are read by the whole workspace; sharing a view, and editing or deleting a shared
 * one, is for admins and managers (the `view` and `sharedView` rows of permissions.ts).
 */

/** The views the caller can see: their own and the shared ones, of one list or of all. */
export async function listSavedViews(ctx: RequestContext, resource: ViewResource | undefined, request: ListRequest) {
  assertAllowed(ctx, "read", "view");
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
    listSavedViewRows(tx, ctx.workspaceId, request, ctx.actor.userId, resource),
  );
}

/** One view the caller can see; 404 for another user's private view. */
export async function getSavedView(ctx: RequestContext, id: string, include: string[] = []): Promise<SavedView> {
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const view = toSavedView(await findVisibleView(tx, ctx, id));
    await attachViewIncludes(tx, [view], include);
    return view;
  });
}

/** Saves a view owned by the caller; a shared one needs an admin or manager. */
export async function createSavedView(ctx: RequestContext, input: CreateSavedView): Promise<SavedView> {
  assertAllowed(ctx, "create", "view");
  if (input.visibility === "shared") assertMayShare(ctx, "create");
  assertViewFitsList(input.resource, input, ctx.actor.userId);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const row = await insertSavedView(tx, ctx.workspaceId, ctx.actor.userId, {
      ...input,
      sort: input.sort || null,
      q: input.q || null,
    });
    const view = toSavedView(row);
    await recordFact(tx, ctx, {
      action: "view.created",
      resourceType: "view",
      resourceId: view.id,
      changes: fieldChanges(null, view),
    });
    return view;
  });
}

/** Changes a view: the owner their private one; admins and managers a shared one (and sharing). */
export async function updateSavedView(
  ctx: RequestContext,
  id: string,
  input: UpdateSavedView,
  expectedVersion?: number,
): Promise<SavedView> {
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const current = await findVisibleView(tx, ctx, id, { forUpdate: true });
    assertMayChange(ctx, "update", current);
    if (input.visibility === "shared" && current.visibility !== "shared") assertMayShare(ctx, "update");
    assertViewVersion(current, expectedVersion);
    assertViewFitsList(current.resource, input, ctx.actor.userId);
    const { sort, q, ...fields } = input;
    const values = {
      ...fields,
      ...(sort === undefined ? {} : { sort: sort || null }),
      ...(q === undefined ? {} : { q: q || null }),
    };
    const view = toSavedView(await updateSavedViewRow(tx, ctx.workspaceId, id, values));
    const changes = fieldChanges(toSavedView(current), view);
    await recordFact(tx, ctx, { action: "view.updated", resourceType: "view", resourceId: id, changes });
    return view;
  });
}

/** Deletes a view for good (views are preferences, not records: there is no trash). */
export async function deleteSavedView(ctx: RequestContext, id: string, expectedVersion?: number): Promise<void> {
  await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const current = await findVisibleView(tx, ctx, id, { forUpdate: true });
    assertMayChange(ctx, "delete", current);
    assertViewVersion(current, expectedVersion);
    await deleteSavedViewRow(tx, ctx.workspaceId, id);
    await recordFact(tx, ctx, {
      action: "view.deleted",
      resourceType: "view",
      resourceId: id,
      details: { name: current.name },
    });
  });
}

/** A view of the workspace the caller may read: shared, or their own. Anything else is 404. */
async function findVisibleView(
  tx: Transaction,
  ctx: RequestContext,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<SavedViewRow> {
  const row = await findSavedView(tx, ctx.workspaceId, id, options);
  const isVisible =
    row !== undefined &&
    (row.visibility === "shared"
      ? scopeOf(ctx.actor.role, "read", "sharedView") !== "none"
      : row.ownerId === ctx.actor.userId);
  if (!isVisible) throw notFound("view");
  return row;
}

/** Private views: their owner only. Shared views: admins and managers. */
function assertMayChange(ctx: RequestContext, action: "update" | "delete", view: SavedViewRow): void {
  if (view.visibility === "private") {
    assertAllowedOn(ctx, action, "view", { ownerId: view.ownerId });
  } else if (scopeOf(ctx.actor.role, action, "sharedView") === "none") {
    throw new AppError("forbidden", `Only admins and managers can ${action} shared views.`);
  }
}

/** Throws 403 on `visibility` unless the caller's role may share views with the workspace. */
function assertMayShare(ctx: RequestContext, action: Action): void {
  if (scopeOf(ctx.actor.role, action, "sharedView") !== "none") return;
  const message = "Only admins and managers can share views with the workspace";
  throw new AppError("forbidden", `${message}.`, [{ path: "visibility", message }]);
}
