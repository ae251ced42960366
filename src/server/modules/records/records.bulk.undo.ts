import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { bulkUndoWindowMs, refusedListLimit, type RefusedRecord } from "../../../shared/schemas/bulk.ts";
import type { Action } from "../../../shared/permissions.ts";
import type { Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertAllowedOn, type Ownership } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { recordWritten, writePlanned, type BulkTarget, type Planned, type RecordRow } from "./records.bulk.apply.ts";
import type { ChangeAction } from "./records.bulk.facts.ts";
import { findOperation } from "./records.bulk.operations.ts";
import { auditOperation } from "./records.bulk.ts";
import { bulkOperationRecords, bulkOperations } from "./records.bulk.table.ts";
import { bulkTargetOf } from "./records.bulk.targets.ts";

const chunkSize = 1_000;

export type BulkUndoResult = {
  operationId: string;
  status: "undone";
  reverted: number;
  refusedCount: number;
  refused: RefusedRecord[];
};

/** What undoing an action does to a record, and the permission that takes. */
const inverseOf = (action: string): { change: ChangeAction; permission: Action } =>
  action === "delete"
    ? { change: "restored", permission: "restore" }
    : action === "restore"
      ? { change: "deleted", permission: "delete" }
      : { change: "updated", permission: "update" };

/**
 * Puts every record a bulk operation changed back as it was before (the values it kept of the
 * columns it wrote), chunk by chunk, each chunk its own transaction with an audit entry and events
 * per record, as the operation itself. A record changed since (its version is not the one the
 * operation left) is reported as refused and left as it is, as is one the caller may no longer
 * change. The values are restored as they were, without the type's rules: they were the record's
 * state before, which passed them.
 */
export async function undoBulkOperation(ctx: RequestContext, operationId: string): Promise<BulkUndoResult> {
  const claimed = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => claimUndo(tx, ctx, operationId));
  const target = bulkTargetOf(claimed.resource);
  if (!target) throw new Error(`bulk operation on an unknown collection ${claimed.resource}`);
  const inverse = inverseOf(claimed.action);
  assertAllowed(ctx, inverse.permission, target.type.resource);
  let reverted = 0;
  const refused: RefusedRecord[] = [];
  let refusedCount = 0;
  let cursor: string | null = null;
  try {
    for (;;) {
      const chunk = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
        undoChunk(tx, ctx, target, claimed.action, operationId, cursor),
      );
      reverted += chunk.reverted;
      refusedCount += chunk.refused.length;
      refused.push(...chunk.refused.slice(0, refusedListLimit - refused.length));
      cursor = chunk.lastId;
      if (chunk.isLast) break;
    }
  } catch (error) {
    // The chunks undone so far stay undone (each was audited); undo may be asked again.
    await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
      tx
        .update(bulkOperations)
        .set({ undoneAt: null })
        .where(and(eq(bulkOperations.workspaceId, ctx.workspaceId), eq(bulkOperations.id, operationId))),
    );
    throw error;
  }
  await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const [operation] = await tx
      .update(bulkOperations)
      .set({ status: "undone" })
      .where(and(eq(bulkOperations.workspaceId, ctx.workspaceId), eq(bulkOperations.id, operationId)))
      .returning();
    if (operation)
      await auditOperation(tx, ctx, operation, "bulk_operation.undone", { reverted, refusedOnUndo: refusedCount });
  });
  return { operationId, status: "undone", reverted, refusedCount, refused };
}

/** Checks the operation can be undone now, by this caller, and marks it as being undone (once). */
async function claimUndo(tx: Transaction, ctx: RequestContext, operationId: string) {
  const operation = await findOperation(tx, ctx, operationId, true);
  if (operation.status === "queued" || operation.status === "running") {
    throw new AppError("conflict", "This bulk operation is still running: undo it when it has finished.");
  }
  if (operation.status === "undone" || operation.undoneAt) {
    throw new AppError("conflict", "This bulk operation has already been undone.");
  }
  const finishedAt = operation.finishedAt?.getTime() ?? 0;
  if (Date.now() > finishedAt + bulkUndoWindowMs) {
    throw new AppError("conflict", "This bulk operation can no longer be undone: undo is possible for 24 hours.");
  }
  await tx
    .update(bulkOperations)
    .set({ undoneAt: sql`now()` })
    .where(and(eq(bulkOperations.workspaceId, ctx.workspaceId), eq(bulkOperations.id, operationId)));
  return operation;
}

type Columns = { workspaceId: PgColumn; id: PgColumn };

async function undoChunk(
  tx: Transaction,
  ctx: RequestContext,
  target: BulkTarget,
  action: string,
  operationId: string,
  cursor: string | null,
): Promise<{ reverted: number; refused: RefusedRecord[]; lastId: string | null; isLast: boolean }> {
  const kept = await tx
    .select()
    .from(bulkOperationRecords)
    .where(
      and(
        eq(bulkOperationRecords.workspaceId, ctx.workspaceId),
        eq(bulkOperationRecords.operationId, operationId),
        cursor ? gt(bulkOperationRecords.recordId, cursor) : undefined,
      ),
    )
    .orderBy(asc(bulkOperationRecords.recordId))
    .limit(chunkSize);
  const lastId = kept.at(-1)?.recordId ?? cursor;
  if (kept.length === 0) return { reverted: 0, refused: [], lastId, isLast: true };
  const table = target.type.table as unknown as PgTable & Columns;
  const rows = (await tx
    .select()
    .from(table)
    .where(
      and(
        eq(table.workspaceId, ctx.workspaceId),
        inArray(
          table.id,
          kept.map((k) => k.recordId),
        ),
      ),
    )
    .orderBy(asc(table.id))
    .for("update")) as unknown as RecordRow[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const { change, permission } = inverseOf(action);
  const refused: RefusedRecord[] = [];
  const planned: Planned[] = [];
  for (const record of kept) {
    const row = byId.get(record.recordId);
    try {
      if (!row) throw new AppError("not-found", "It no longer exists.");
      if (row.version !== record.versionAfter) {
        throw new AppError("conflict", "It was changed since the bulk action: left as it is.");
      }
      assertAllowedOn(ctx, permission, target.type.resource, target.type.ownershipOf?.(row) ?? (row as Ownership));
      const before = (await target.type.present(tx, row)) as { id: string };
      planned.push({ row, before, values: revive(target, record.before) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused.push({ id: record.recordId, message: error.message });
    }
  }
  const written = await writePlanned(tx, ctx, target, planned, refused);
  await recordWritten(tx, ctx, target, change, operationId, written, { keepBefore: false });
  return { reverted: written.length, refused, lastId, isLast: kept.length < chunkSize };
}

/** Kept values back into what the table's columns take (timestamps were kept as ISO text). */
function revive(target: BulkTarget, before: Record<string, unknown>): Record<string, unknown> {
  const columns = target.type.table as unknown as Record<string, { dataType?: string } | undefined>;
  return Object.fromEntries(
    Object.entries(before).map(([key, value]) => [
      key,
      columns[key]?.dataType === "date" && typeof value === "string" ? new Date(value) : value,
    ]),
  );
}
