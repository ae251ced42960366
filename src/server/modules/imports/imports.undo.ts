import { and, asc, eq, gt, or } from "drizzle-orm";
import type { Import } from "../../../shared/schemas/import.ts";
import type { Transaction } from "../../db/client.ts";
import { withSharedTransaction, withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { writeAudit } from "../audit/index.ts";
import { deleteRecord, updateRecordById } from "../records/index.ts";
import { importKinds } from "./imports.kinds.ts";
import { findImport, toImport, updateImport } from "./imports.repository.ts";
import { deleteFile } from "./imports.storage.ts";
import { importRecords } from "./imports.table.ts";
import type { ImportResource } from "../../../shared/schemas/import.ts";

type Written = typeof importRecords.$inferSelect;

/** What an import wrote, a page at a time, in the shared transaction. */
function writtenPage(tx: Transaction, ctx: RequestContext, importId: string, after: Written | null) {
  const { resource, recordId } = importRecords;
  return tx
    .select()
    .from(importRecords)
    .where(
      and(
        eq(importRecords.workspaceId, ctx.workspaceId),
        eq(importRecords.importId, importId),
        after
          ? or(gt(resource, after.resource), and(eq(resource, after.resource), gt(recordId, after.recordId)))
          : undefined,
      ),
    )
    .orderBy(asc(resource), asc(recordId))
    .limit(1000);
}

/** Takes one written record back on the write path: a created one is soft-deleted, an updated one restored. */
async function takeBack(shared: RequestContext, record: Written): Promise<boolean> {
  const type = importKinds[record.resource as ImportResource].type;
  try {
    if (record.action === "created") await deleteRecord(shared, type, record.recordId);
    else await updateRecordById(shared, type, record.recordId, record.before ?? {});
    return true;
  } catch (error) {
    // Deleted since the import: there is nothing left to take back.
    if (error instanceof AppError && error.type === "not-found") return false;
    throw error;
  }
}

/**
 * Undoes an import as one transaction: every record it created is soft-deleted (through the write
 * path: audit entry and `<resource>.deleted` event each, restorable) and every record it updated
 * gets the values it had before. Admins and managers, like deleting (agents may not delete).
 */
export async function undoImport(ctx: RequestContext, id: string): Promise<Import> {
  const row = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => findImport(tx, ctx.workspaceId, id));
  const kind = importKinds[row.resource as ImportResource];
  assertAllowed(ctx, "delete", kind.resource);
  assertAllowed(ctx, "update", kind.resource);
  return withSharedTransaction(ctx, async (shared, tx) => {
    const current = await findImport(tx, ctx.workspaceId, id, { lock: true });
    if (!["completed", "cancelled", "failed"].includes(current.status)) {
      throw new AppError("conflict", `The import is ${current.status}: only a finished import can be undone.`, [
        { path: "status", message: "Must be completed, cancelled or failed" },
      ]);
    }
    let after: Written | null = null;
    const counts = { deleted: 0, restored: 0 };
    for (;;) {
      const page: Written[] = await writtenPage(tx, ctx, id, after);
      if (page.length === 0) break;
      for (const record of page) {
        if (await takeBack(shared, record)) counts[record.action === "created" ? "deleted" : "restored"]++;
      }
      after = page.at(-1)!;
    }
    const undone = await updateImport(tx, ctx.workspaceId, id, { status: "undone" });
    await deleteFile(tx, ctx.workspaceId, id);
    await writeAudit(tx, ctx, {
      action: "import.undone",
      resourceType: "import",
      resourceId: id,
      details: { resource: current.resource, count: counts.deleted + counts.restored, ...counts },
    });
    return toImport(undone);
  });
}
