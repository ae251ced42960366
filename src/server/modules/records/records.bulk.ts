import { and, eq, isNull, sql } from "drizzle-orm";
import {
  refusedListLimit,
  syncBulkLimit,
  type BulkOperation,
  type BulkRequest,
  type RefusedRecord,
} from "../../../shared/schemas/bulk.ts";
import type { Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertOwnerAssignable, readerOf } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { invalidField } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { memberships } from "../users/users.table.ts";
import { writeAudit } from "../audit/audit.service.ts";
import { applyChunk, permissionOf, type BulkTarget } from "./records.bulk.apply.ts";
import { presentOperation } from "./records.bulk.operations.ts";
import { countSelection, lockChunk, selectionOf, visibleSelection } from "./records.bulk.selection.ts";
import { bulkOperations } from "./records.bulk.table.ts";

export type { BulkTarget } from "./records.bulk.apply.ts";

/** The queue of bulk operations too large to run during the request. */
export const bulkRunQueue = "bulk.run";
/** Records one transaction changes: the unit of progress, and of atomicity. */
const chunkSize = syncBulkLimit;

type Operation = typeof bulkOperations.$inferSelect;

/**
 * Starts a bulk action on a selection (ids) or a whole list filter. The collection-wide checks of
 * a single change come first (the role may do the action at all; agents give records only to
 * themselves) and fail the whole request; each record then passes its own checks and rules, and
 * one that fails is reported as refused while the others change. Up to 1,000 matched records run
 * now and answer the finished operation; more are saved as queued (`queued: true`): the caller
 * sends their `bulk.run` job once its transaction has committed.
 */
export async function runBulkAction(
  ctx: RequestContext,
  target: BulkTarget,
  request: BulkRequest,
): Promise<{ queued: true; operationId: string } | { queued: false; operation: BulkOperation }> {
  const scope = assertAllowed(ctx, permissionOf(request.action), target.type.resource);
  const newOwner = request.action === "assign" ? request.ownerId : request.fields?.ownerId;
  if (target.type.ownerField) assertOwnerAssignable(ctx, scope, newOwner as string | null | undefined);
  const parsed = selectionOf(target, request, ctx.actor.userId);
  const operation = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    await assertMemberNamed(tx, ctx.workspaceId, request);
    const selection = visibleSelection(parsed, target.type.resource, await readerOf(tx, ctx));
    const matched = await countSelection(tx, target, ctx.workspaceId, selection);
    return insertOperation(tx, ctx, target, request, matched);
  });
  if (operation.status === "queued") {
    return { queued: true, operationId: operation.id };
  }
  await processOperation(ctx, target, operation.id, { failOnError: true });
  const [finished] = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
    tx.select().from(bulkOperations).where(byId(ctx.workspaceId, operation.id)),
  );
  if (!finished) throw new Error("a bulk operation vanished while running");
  return { queued: false, operation: presentOperation(finished) };
}

/** A new owner or assignee must be a member: one refusal for the request, not one per record. */
async function assertMemberNamed(tx: Transaction, workspaceId: string, request: BulkRequest): Promise<void> {
  const named: [string, unknown][] = [
    ["ownerId", request.ownerId],
    ["fields.ownerId", request.fields?.ownerId],
    ["fields.assigneeId", request.fields?.assigneeId],
  ];
  for (const [path, userId] of named) {
    if (typeof userId !== "string") continue;
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(
        and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId), isNull(memberships.removedAt)),
      );
    if (!member) throw invalidField(path, "No such user in this workspace");
  }
}

async function insertOperation(
  tx: Transaction,
  ctx: RequestContext,
  target: BulkTarget,
  request: BulkRequest,
  matched: number,
): Promise<Operation> {
  const [row] = await tx
    .insert(bulkOperations)
    .values({
      workspaceId: ctx.workspaceId,
      id: newId(),
      resource: target.collection,
      action: request.action,
      request,
      status: matched > syncBulkLimit ? "queued" : "running",
      matched,
      actorType: ctx.actor.kind,
      actorId: ctx.actor.kind === "apiKey" ? ctx.actor.keyId : null,
      createdBy: ctx.actor.userId,
    })
    .returning();
  if (!row) throw new Error("bulk operation insert returned nothing");
  return row;
}

const byId = (workspaceId: string, id: string) =>
  and(eq(bulkOperations.workspaceId, workspaceId), eq(bulkOperations.id, id));

/**
 * Runs an operation chunk by chunk, each chunk in its own transaction that also records the
 * progress (so a job that stops resumes after the last committed chunk); the last chunk's
 * transaction completes the operation and writes its one audit entry. `shouldStop` lets a job end
 * early (it is retried). With `failOnError` (the request, a job's last attempt), a failure marks
 * the operation failed; what committed before stays, and can be undone.
 */
export async function processOperation(
  ctx: RequestContext,
  target: BulkTarget,
  operationId: string,
  options: { shouldStop?: () => boolean; failOnError: boolean },
): Promise<void> {
  try {
    while (!options.shouldStop?.()) {
      const finished = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
        runNextChunk(tx, ctx, target, operationId),
      );
      if (finished) return;
    }
  } catch (error) {
    if (options.failOnError) {
      await markFailed(
        ctx,
        operationId,
        "The operation stopped on an unexpected error; what it changed can be undone.",
      );
    }
    throw error;
  }
}

/** One chunk: answers true when the operation is finished (or not runnable any more). */
async function runNextChunk(
  tx: Transaction,
  ctx: RequestContext,
  target: BulkTarget,
  operationId: string,
): Promise<boolean> {
  // Locking the operation row makes two runs of the same job take chunks in turn.
  const [operation] = await tx.select().from(bulkOperations).where(byId(ctx.workspaceId, operationId)).for("update");
  if (!operation || (operation.status !== "queued" && operation.status !== "running")) return true;
  const parsed = selectionOf(target, operation.request, ctx.actor.userId);
  const selection = visibleSelection(parsed, target.type.resource, await readerOf(tx, ctx));
  const chunk = await lockChunk(tx, target, ctx.workspaceId, selection, operation.cursor, chunkSize);
  const outcome = await applyChunk(tx, ctx, target, operation.request, operationId, chunk.rows);
  const refused: RefusedRecord[] = [
    ...chunk.missing.map((id) => ({ id, message: `No such ${target.type.resource}: it may have been erased.` })),
    ...outcome.refused,
  ];
  const progress = {
    done: operation.done + chunk.rows.length + chunk.missing.length,
    updated: operation.updated + outcome.updated,
    refusedCount: operation.refusedCount + refused.length,
    refused: [...operation.refused, ...refused].slice(0, refusedListLimit),
    cursor: chunk.lastId,
  };
  await tx
    .update(bulkOperations)
    .set({
      ...progress,
      status: chunk.isLast ? "completed" : "running",
      ...(chunk.isLast ? { finishedAt: sql`now()` } : {}),
    })
    .where(byId(ctx.workspaceId, operationId));
  if (chunk.isLast) await auditOperation(tx, ctx, { ...operation, ...progress }, "bulk_operation.completed");
  return chunk.isLast;
}

/** The one audit entry of a whole operation: what was asked, on what, and its counts. */
export async function auditOperation(
  tx: Transaction,
  ctx: RequestContext,
  operation: Pick<Operation, "id" | "resource" | "action" | "request" | "matched" | "updated" | "refusedCount">,
  action: "bulk_operation.completed" | "bulk_operation.failed" | "bulk_operation.undone",
  counts: Record<string, number> = {},
): Promise<void> {
  const { request } = operation;
  await writeAudit(tx, ctx, {
    action,
    resourceType: "bulk_operation",
    resourceId: operation.id,
    details: {
      resource: operation.resource,
      action: operation.action,
      matched: operation.matched,
      updated: operation.updated,
      refused: operation.refusedCount,
      selection: request.ids ? { ids: request.ids.length } : { filter: request.filter ?? {} },
      ...counts,
    },
  });
}

/** Marks an operation failed (its committed chunks stay, undoable) and writes its audit entry. */
export async function markFailed(ctx: RequestContext, operationId: string, message: string): Promise<void> {
  await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const [operation] = await tx
      .update(bulkOperations)
      .set({ status: "failed", error: message, finishedAt: sql`now()` })
      .where(and(byId(ctx.workspaceId, operationId), sql`${bulkOperations.status} in ('queued', 'running')`))
      .returning();
    if (operation) await auditOperation(tx, ctx, operation, "bulk_operation.failed");
  });
}
