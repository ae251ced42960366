import type { Readable } from "node:stream";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { recordFact } from "../audit/index.ts";
import { findExportFile, openExportFile, type ExportFileRow } from "./exports.files.ts";
import { fileNameOf, fileTypes, type ExportFormat } from "./exports.output.ts";
import { exportTargets, type ExportResource } from "./exports.resources.ts";
import { assertMayExport, prepareExport } from "./exports.stream.ts";
import { exportFiles } from "./exports.table.ts";
import { assertKeyScope } from "../../lib/access.ts";

/** How long a finished export can be downloaded; then it is deleted (GDPR: no lingering copies). */
export const exportFileLifetimeMs = 24 * 60 * 60 * 1000;

/** An export run as a job, as the API shows it. */
export type ExportFile = {
  id: string;
  resource: ExportResource;
  format: string;
  status: ExportFileRow["status"];
  rowsTotal: number | null;
  rowsDone: number;
  sizeBytes: number;
  fileName: string;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  expiresAt: Date;
  /** Set once the file is ready: where to download it. */
  downloadUrl: string | null;
};

export function toExportFile(row: ExportFileRow): ExportFile {
  return {
    id: row.id,
    resource: row.resource as ExportResource,
    format: row.format,
    status: row.status,
    rowsTotal: row.rowsTotal,
    rowsDone: row.rowsDone,
    sizeBytes: row.sizeBytes,
    fileName: row.fileName,
    error: row.errorSummary,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    expiresAt: row.expiresAt,
    downloadUrl: row.status === "completed" ? `/api/v1/exports/${row.id}/download` : null,
  };
}

export type ExportFileRequest = {
  format: ExportFormat;
  columns: string | undefined;
  bom: boolean;
  parameters: Record<string, unknown>;
};

/**
 * Records an export to run as a job, after the very checks GET /<resource>/export makes (role,
 * list parameters, columns), so a mistake is a 400 now rather than a failed job later. The
 * caller sends the job once this has committed.
 */
export async function requestExportFile(
  ctx: RequestContext,
  resource: ExportResource,
  request: ExportFileRequest,
): Promise<ExportFile> {
  const prepared = prepareExport(ctx, exportTargets[resource], request.parameters, {
    columns: request.format === "vcf" ? undefined : request.columns,
    format: request.format,
  });
  const now = Date.now();
  const row = {
    workspaceId: ctx.workspaceId,
    id: newId(),
    resource,
    format: request.format,
    parameters: prepared.parameters,
    columns: request.format === "vcf" ? null : (request.columns ?? null),
    bom: request.bom,
    fileName: fileNameOf(resource, request.format),
    createdBy: ctx.actor.userId,
    apiKeyId: ctx.actor.kind === "apiKey" ? ctx.actor.keyId : null,
    // Until it finishes, a queued export expires a lifetime after it was asked for.
    expiresAt: new Date(now + exportFileLifetimeMs),
  };
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const [inserted] = await tx.insert(exportFiles).values(row).returning();
    if (!inserted) throw new Error("export file insert returned nothing");
    await recordFact(tx, ctx, {
      action: `${prepared.target.noun}.export_requested`,
      resourceType: prepared.target.noun,
      details: { exportId: inserted.id, format: request.format, parameters: prepared.parameters },
    });
    return toExportFile(inserted);
  });
}

/**
 * The caller's export: only who asked for it (or an admin) sees it; anyone else, and an expired
 * one, is told there is none (404), revealing nothing.
 */
async function visibleExportFile(ctx: RequestContext, id: string): Promise<ExportFileRow> {
  assertMayExport(ctx, "read");
  const row = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => findExportFile(tx, ctx.workspaceId, id));
  const isOwn = row?.createdBy === ctx.actor.userId;
  if (!row || (!isOwn && ctx.actor.role !== "admin")) throw new AppError("not-found", "No such export.");
  assertKeyScope(ctx, row.resource as ExportResource, "read");
  if (row.expiresAt.getTime() <= Date.now()) {
    throw new AppError("not-found", "This export has expired and its file was deleted; export again.");
  }
  return row;
}

/** An export's progress. */
export async function getExportFile(ctx: RequestContext, id: string): Promise<ExportFile> {
  return toExportFile(await visibleExportFile(ctx, id));
}

/** A finished export's file as stored (`file`: gzip-compressed when `contentEncoding` says so). */
export type ExportDownload = {
  file: Readable;
  fileName: string;
  contentType: string;
  /** The file's own size. */
  sizeBytes: number;
  contentEncoding: ExportFileRow["contentEncoding"];
  /** The stored bytes' size (the compressed size when gzip). */
  storedBytes: number;
};

/** A finished export's file, streamed from the database; audited (who took a copy, when). */
export async function openExportDownload(ctx: RequestContext, id: string): Promise<ExportDownload> {
  const row = await visibleExportFile(ctx, id);
  if (row.status !== "completed") {
    throw new AppError("conflict", `This export is ${row.status}: its file is not ready.`);
  }
  const noun = exportTargets[row.resource as ExportResource].noun;
  // Opened before the download is audited: a failure to read it is no download.
  const file = await openExportFile(ctx.db, ctx.workspaceId, row.id);
  await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
    recordFact(tx, ctx, {
      action: `${noun}.export_downloaded`,
      resourceType: noun,
      details: { exportId: row.id, rowCount: row.rowsDone, sizeBytes: row.sizeBytes },
    }),
  );
  return {
    file,
    fileName: row.fileName,
    contentType: fileTypes[row.format as ExportFormat].contentType,
    sizeBytes: row.sizeBytes,
    contentEncoding: row.contentEncoding,
    storedBytes: row.storedBytes,
  };
}
