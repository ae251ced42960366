import { and, eq, inArray, sql } from "drizzle-orm";
import type { MergeUndoResult } from "../../../shared/schemas/merge.ts";
import type { Transaction } from "../../db/client.ts";
import { lockRecords } from "../../db/records.ts";
import { withSharedTransaction } from "../../db/transaction.ts";
import { assertAllowed, assertKeyScope } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { recordFact } from "../audit/audit.service.ts";
import { restoreRecord, updateRecordById } from "../records/index.ts";
import { mergeKinds, type MergeKind } from "./merge.kinds.ts";
import { changedSince, moveBack, restoreLeadLinks, type MergeUndoData } from "./merge.moves.ts";
import { merges } from "./merges.table.ts";

/**
 * Undoes a merge: the related rows go back to their records, the survivor gets its values back
 * and the merged records are restored, all through the write path (audit entries, events), in one
 * transaction. Refused (409) once undone, or when any record the merge touched changed since:
 * putting it back would silently lose that change. Needs update and restore on the record type.
 */
export async function undoMerge(ctx: RequestContext, mergeId: string): Promise<MergeUndoResult> {
  return withSharedTransaction(ctx, async (shared, tx) => {
    const [merge] = await tx
      .select()
      .from(merges)
      .where(and(eq(merges.workspaceId, ctx.workspaceId), eq(merges.id, mergeId)))
      .for("update");
    if (!merge) throw notFound("merge");
    const kind = mergeKinds[merge.resource];
    assertKeyScope(ctx, merge.resource === "contact" ? "contacts" : "companies", "write");
    assertAllowed(ctx, "update", kind.resource);
    assertAllowed(ctx, "restore", kind.resource);
    if (merge.undoneAt) throw new AppError("conflict", "This merge was already undone.");
    const { survivorId, mergedIds } = merge;
    const undo = merge.undo;
    await assertUntouched(tx, ctx, kind, survivorId, undo);
    for (const moved of [...undo.moved].reverse()) await moveBack(tx, ctx.workspaceId, moved, survivorId);
    if (undo.leadLinks) await restoreLeadLinks(tx, ctx.workspaceId, [survivorId, ...mergedIds], undo.leadLinks);
    // The survivor first: it gives back values (an e-mail) the restored records need to be unique.
    await updateRecordById(shared, kind.type, survivorId, undo.survivor.before);
    for (const id of mergedIds) {
      await tx
        .update(kind.table)
        .set({ mergedIntoId: null } as never)
        .where(and(eq(kind.table.workspaceId, ctx.workspaceId), eq(kind.table.id, id)));
      await restoreRecord(shared, kind.type, id);
    }
    await tx
      .update(merges)
      .set({ undoneAt: sql`now()`, undoneBy: ctx.actor.userId })
      .where(and(eq(merges.workspaceId, ctx.workspaceId), eq(merges.id, mergeId)));
    await recordFact(tx, ctx, {
      action: `${kind.resource}.merge_undone`,
      resourceType: kind.resource,
      resourceId: survivorId,
      details: { mergeId, survivorId, restoredIds: mergedIds },
    });
    return { mergeId, resource: kind.resource, survivorId, restoredIds: mergedIds };
  });
}

/** 409 unless the survivor and the merged records are exactly as the merge left them. */
async function assertUntouched(
  tx: Transaction,
  ctx: RequestContext,
  kind: MergeKind,
  survivorId: string,
  undo: MergeUndoData,
): Promise<void> {
  const ids = [survivorId, ...undo.merged.map((m) => m.id)];
  await lockRecords(tx, kind.table, ctx.workspaceId, ids);
  const rows = (await tx
    .select({
      id: kind.table.id,
      version: kind.table.version,
      deletedAt: kind.table.deletedAt,
      mergedIntoId: kind.table.mergedIntoId,
    })
    .from(kind.table)
    .where(and(eq(kind.table.workspaceId, ctx.workspaceId), inArray(kind.table.id, ids)))) as {
    id: string;
    version: number;
    deletedAt: Date | null;
    mergedIntoId: string | null;
  }[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const survivor = byId.get(survivorId);
  if (!survivor || survivor.deletedAt !== null || survivor.version !== undo.survivor.version) {
    throw changedSince(`the surviving ${kind.resource}`);
  }
  for (const merged of undo.merged) {
    const row = byId.get(merged.id);
    if (!row || row.deletedAt === null || row.mergedIntoId !== survivorId || row.version !== merged.version) {
      throw changedSince(`the merged ${kind.resource} ${merged.id}`);
    }
  }
}
