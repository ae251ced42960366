import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { countRows, parseListRequest } from "../../db/listing.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import type { Actor, RequestContext } from "../../lib/context.ts";
import { memberships } from "../users/users.table.ts";
import { findExportFile, storeExportFile, updateExportFile, type ExportFileRow } from "./exports.files.ts";
import { streamOf, type ExportFormat } from "./exports.output.ts";
import { exportTargets, type ExportResource } from "./exports.resources.ts";
import { exportFileLifetimeMs } from "./exports.service.ts";
import { prepareExport, type PreparedExport } from "./exports.stream.ts";

/** Counting stops here: past it, `rowsTotal` is the planner's estimate. */
const countExactlyUpTo = 10_000_000;

/**
 * The context the export runs in: its requester's, with the role they have now (a member removed
 * since gets nothing), or the API key that asked for it.
 */
async function contextOfExport(db: Database, row: ExportFileRow, requestId: string): Promise<RequestContext | null> {
  const [member] = await withWorkspaceTransaction(db, row.workspaceId, (tx) =>
    tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(
        and(
          eq(memberships.workspaceId, row.workspaceId),
          eq(memberships.userId, row.createdBy),
          isNull(memberships.removedAt),
          isNull(memberships.deactivatedAt),
        ),
      ),
  );
  if (!member) return null;
  const actor: Actor = row.apiKeyId
    ? { kind: "apiKey", keyId: row.apiKeyId, userId: row.createdBy, role: "admin", scopes: [] }
    : { kind: "user", userId: row.createdBy, role: member.role };
  return { db, workspaceId: row.workspaceId, actor, requestId };
}

/** How many rows the export will hold, counted once before it starts (for the progress bar). */
async function countExportRows(prepared: PreparedExport): Promise<number> {
  const { ctx, target, listQuery } = prepared;
  const request = parseListRequest(target.listSpec, listQuery, ctx.actor.userId);
  const count = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
    countRows(tx, target.listSpec, ctx.workspaceId, request, [], countExactlyUpTo),
  );
  return count.count;
}

/**
 * Runs one export job: writes the whole file into export_file_chunks as GET /<resource>/export
 * would stream it (the same read, formats, audit entry), updating `rows_done` after each slice,
 * then marks it completed with a link valid for 24 hours. A retry starts the file over.
 */
export async function runExportFile(db: Database, workspaceId: string, exportId: string, requestId: string) {
  const row = await withWorkspaceTransaction(db, workspaceId, (tx) => findExportFile(tx, workspaceId, exportId));
  // Pruned (expired before it ran) or already settled: nothing to do.
  if (!row || row.status === "completed" || row.status === "failed") return;
  const ctx = await contextOfExport(db, row, requestId);
  if (!ctx) {
    await failExportFile(db, row, "The member who asked for it is no longer active in the workspace.");
    return;
  }
  const format = row.format as ExportFormat;
  const prepared = prepareExport(ctx, exportTargets[row.resource as ExportResource], row.parameters, {
    columns: row.columns ?? undefined,
    format,
    extraIncludes: format === "vcf" ? ["company"] : [],
  });
  prepared.auditDetails = { exportId };
  await updateExportFile(db, workspaceId, exportId, { status: "running", startedAt: new Date(), rowsDone: 0 });
  await updateExportFile(db, workspaceId, exportId, { rowsTotal: await countExportRows(prepared) });
  const sizeBytes = await storeExportFile(db, workspaceId, exportId, streamOf(prepared, format, row.bom), (size) =>
    updateExportFile(db, workspaceId, exportId, { rowsDone: prepared.rows, sizeBytes: size }),
  );
  const finishedAt = new Date();
  await updateExportFile(db, workspaceId, exportId, {
    status: "completed",
    rowsDone: prepared.rows,
    rowsTotal: prepared.rows,
    sizeBytes,
    finishedAt,
    expiresAt: new Date(finishedAt.getTime() + exportFileLifetimeMs),
  });
}

/** Marks an export failed, with a message for its requester (no personal data). */
export async function failExportFile(db: Database, row: ExportFileRow, reason: string): Promise<void> {
  await updateExportFile(db, row.workspaceId, row.id, {
    status: "failed",
    errorSummary: reason,
    finishedAt: new Date(),
  });
}
