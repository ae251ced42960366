import { and, desc, eq, inArray, isNull, lt } from "drizzle-orm";
import {
  bulkCollections,
  bulkUndoWindowMs,
  type BulkCollection,
  type BulkOperation,
} from "../../../shared/schemas/bulk.ts";
import type { Database, Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertKeyScope, readableByKey } from "../../lib/access.ts";
import type { Actor, RequestContext } from "../../lib/context.ts";
import { newestFirstAfter, newestFirstPage } from "../../lib/cursor.ts";
import { AppError } from "../../lib/errors.ts";
import { memberships } from "../users/users.table.ts";
import { bulkOperations } from "./records.bulk.table.ts";

type Operation = typeof bulkOperations.$inferSelect;

/** An operation as the API answers it. */
export function presentOperation(row: Operation): BulkOperation {
  const undoable = (row.status === "completed" || row.status === "failed") && row.updated > 0 && row.finishedAt;
  return {
    operationId: row.id,
    status: row.status,
    resource: row.resource,
    action: row.action as BulkOperation["action"],
    matched: row.matched,
    done: row.done,
    updated: row.updated,
    refusedCount: row.refusedCount,
    refused: row.refused,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    undoableUntil: undoable && row.finishedAt ? new Date(row.finishedAt.getTime() + bulkUndoWindowMs) : null,
    error: row.error,
  };
}

/** Admins and managers see every operation of the workspace; others only their own. */
const seesAll = (ctx: RequestContext) => ctx.actor.role === "admin" || ctx.actor.role === "manager";

/**
 * An operation the caller may see, or 404 (another's operation is not theirs to know about). To
 * read it (or, `forUndo`, lock it to undo it), an API key needs the scope of its collection.
 */
export async function findOperation(
  tx: Transaction,
  ctx: RequestContext,
  id: string,
  forUndo = false,
): Promise<Operation> {
  const query = tx
    .select()
    .from(bulkOperations)
    .where(and(eq(bulkOperations.workspaceId, ctx.workspaceId), eq(bulkOperations.id, id)));
  const [row] = await (forUndo ? query.for("update") : query);
  if (!row || (!seesAll(ctx) && row.createdBy !== ctx.actor.userId)) {
    throw new AppError("not-found", "No such bulk operation.");
  }
  assertKeyScope(ctx, row.resource as BulkCollection, forUndo ? "write" : "read");
  return row;
}

/** `GET /bulk-operations/:id`: progress and result. */
export function getBulkOperation(ctx: RequestContext, id: string): Promise<BulkOperation> {
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) =>
    presentOperation(await findOperation(tx, ctx, id)),
  );
}

/**
 * `GET /bulk-operations`: newest first, keyset by id (UUIDv7); agents and viewers their own, an
 * API key those on the collections it may read.
 */
export function listBulkOperations(ctx: RequestContext, page: { limit: number; cursor?: string | undefined }) {
  const afterId = newestFirstAfter(page.cursor);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const rows = await tx
      .select()
      .from(bulkOperations)
      .where(
        and(
          eq(bulkOperations.workspaceId, ctx.workspaceId),
          seesAll(ctx) ? undefined : eq(bulkOperations.createdBy, ctx.actor.userId),
          ctx.actor.kind === "apiKey"
            ? inArray(bulkOperations.resource, readableByKey(ctx, bulkCollections))
            : undefined,
          afterId ? lt(bulkOperations.id, afterId) : undefined,
        ),
      )
      .orderBy(desc(bulkOperations.id))
      .limit(page.limit + 1);
    const { data, nextCursor } = newestFirstPage(rows, page.limit);
    return { data: data.map(presentOperation), nextCursor };
  });
}

/**
 * The context a queued operation runs in: its creator as they are now (their current role; an
 * operation of a member who left or was deactivated does not run), or the API key that asked.
 */
export async function contextOfOperation(
  db: Database,
  workspaceId: string,
  operationId: string,
  requestId: string,
): Promise<{ ctx: RequestContext; operation: Operation } | { ctx: null; operation: Operation | null }> {
  return withWorkspaceTransaction(db, workspaceId, async (tx) => {
    const [operation] = await tx
      .select()
      .from(bulkOperations)
      .where(and(eq(bulkOperations.workspaceId, workspaceId), eq(bulkOperations.id, operationId)));
    if (!operation?.createdBy) return { ctx: null, operation: operation ?? null };
    const [member] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(
        and(
          eq(memberships.workspaceId, workspaceId),
          eq(memberships.userId, operation.createdBy),
          isNull(memberships.removedAt),
          isNull(memberships.deactivatedAt),
        ),
      );
    if (!member) return { ctx: null, operation };
    const actor: Actor =
      operation.actorType === "apiKey" && operation.actorId
        ? { kind: "apiKey", keyId: operation.actorId, userId: operation.createdBy, role: "admin", scopes: [] }
        : { kind: "user", userId: operation.createdBy, role: member.role };
    return { ctx: { db, workspaceId, actor, requestId }, operation };
  });
}
