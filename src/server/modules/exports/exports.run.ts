import { and, eq, isNull } from "drizzle-orm";
import { canAct, grantsScope } from "../../../shared/permissions.ts";
import type { Database } from "../../db/client.ts";
import { countRows, parseListRequest } from "../../db/listing.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import type { Actor, RequestContext } from "../../lib/context.ts";
import { apiKeys } from "../api-keys/index.ts";
import { memberships } from "../users/users.table.ts";
import { findExportFile, storeExportFile, updateExportFile, type ExportFileRow } from "./exports.files.ts";
import { fileTypes, streamOf, type ExportFormat } from "./exports.output.ts";
import { exportTargets, type ExportResource } from "./exports.resources.ts";
import { exportFileLifetimeMs } from "./exports.service.ts";
import { prepareExport, type PreparedExport } from "./exports.stream.ts";

/** Counting stops here: past it, `rowsTotal` is the planner's estimate. */
const countExactlyUpTo = 10_000_000;

/** The context an export runs in, or why it may no longer run (in words for its requester). */
type ExportContext = { ctx: RequestContext } | { refusal: string };

/**
 * The context the export runs in, checked when the job runs rather than when it was asked for: its
 * requester, still an active member whose role may read the list (with that role now), or the API
 * key that asked for it, still neither revoked nor expired and still holding the list's read scope.
 */
async function contextOfExport(db: Database, row: ExportFileRow, requestId: string): Promise<ExportContext> {
  const resource = row.resource as ExportResource;
  return withWorkspaceTransaction(db, row.workspaceId, async (tx) => {
    const [member] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(
        and(
          eq(memberships.workspaceId, row.workspaceId),
          eq(memberships.userId, row.createdBy),
          isNull(memberships.removedAt),
          isNull(memberships.deactivatedAt),
        ),
      );
    if (!member) return { refusal: "The member who asked for it is no longer active in the workspace." };
    const base = { db, workspaceId: row.workspaceId, requestId };
    if (!row.apiKeyId) {
      if (!canAct(member.role, "create", "export")) {
        return { refusal: `The role of the member who asked for it (${member.role}) may no longer export.` };
      }
      if (!canAct(member.role, "read", exportTargets[resource].noun)) {
        return { refusal: `The role of the member who asked for it (${member.role}) may no longer read ${resource}.` };
      }
      return { ctx: { ...base, actor: { kind: "user", userId: row.createdBy, role: member.role } } };
    }
    const [key] = await tx
      .select({ scopes: apiKeys.scopes, revokedAt: apiKeys.revokedAt, expiresAt: apiKeys.expiresAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.workspaceId, row.workspaceId), eq(apiKeys.id, row.apiKeyId)));
    if (!key || key.revokedAt) return { refusal: "The API key that asked for it has been revoked." };
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) {
      return { refusal: "The API key that asked for it has expired." };
    }
    if (!grantsScope(key.scopes, resource, "read")) {
      return { refusal: `The API key that asked for it no longer has the scope ${resource}:read.` };
    }
    const actor: Actor = {
      kind: "apiKey",
      keyId: row.apiKeyId,
      userId: row.createdBy,
      role: "admin",
      scopes: key.scopes,
    };
    return { ctx: { ...base, actor } };
  });
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
 * would stream it (the same read, formats, audit entry; CSV read in one snapshot on a
 * PostgreSQL server), updating `rows_done` after each slice, then marks it completed with a link
 * valid for 24 hours. A retry starts the file over.
 */
export async function runExportFile(db: Database, workspaceId: string, exportId: string, requestId: string) {
  const row = await withWorkspaceTransaction(db, workspaceId, (tx) => findExportFile(tx, workspaceId, exportId));
  // Pruned (expired before it ran) or already settled: nothing to do.
  if (!row || row.status === "completed" || row.status === "failed") return;
  const context = await contextOfExport(db, row, requestId);
  if ("refusal" in context) {
    await failExportFile(db, row, context.refusal);
    return;
  }
  const { ctx } = context;
  const format = row.format as ExportFormat;
  const prepared = prepareExport(ctx, exportTargets[row.resource as ExportResource], row.parameters, {
    columns: row.columns ?? undefined,
    format,
    extraIncludes: format === "vcf" ? ["company"] : [],
  });
  prepared.auditDetails = { exportId };
  // A job writes as fast as the database reads: CSV in one snapshot, each statement planned once.
  prepared.readMode = "snapshot";
  await updateExportFile(db, workspaceId, exportId, { status: "running", startedAt: new Date(), rowsDone: 0 });
  await updateExportFile(db, workspaceId, exportId, { rowsTotal: await countExportRows(prepared) });
  const gzip = fileTypes[format].isText;
  const stored = await storeExportFile(db, workspaceId, exportId, streamOf(prepared, format, row.bom), {
    gzip,
    progress: (size) => updateExportFile(db, workspaceId, exportId, { rowsDone: prepared.rows, sizeBytes: size }),
  });
  const finishedAt = new Date();
  await updateExportFile(db, workspaceId, exportId, {
    status: "completed",
    rowsDone: prepared.rows,
    rowsTotal: prepared.rows,
    sizeBytes: stored.sizeBytes,
    storedBytes: stored.storedBytes,
    contentEncoding: gzip ? "gzip" : "identity",
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
