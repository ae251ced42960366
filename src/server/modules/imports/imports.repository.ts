import { and, asc, desc, eq, gt, lt, or, sql } from "drizzle-orm";
import type { Import, ImportResource } from "../../../shared/schemas/import.ts";
import type { Transaction } from "../../db/client.ts";
import { notFound } from "../../lib/errors.ts";
import { importRowErrors, imports } from "./imports.table.ts";

export type ImportRow = typeof imports.$inferSelect;

/**
 * Rows per second since the start, and when the rest should be done at that rate: of the run
 * (since `started_at`) while running, of the dry run (since `dry_run_started_at`) while validating.
 */
function progressOf(row: ImportRow, now = Date.now()): { rowsPerSecond: number | null; eta: Date | null } {
  const since = row.status === "running" ? row.startedAt : row.status === "validating" ? row.dryRunStartedAt : null;
  if (!since || row.rowsDone === 0) return { rowsPerSecond: null, eta: null };
  const seconds = Math.max((now - since.getTime()) / 1000, 0.001);
  const rowsPerSecond = Math.round((row.rowsDone / seconds) * 10) / 10;
  const left = Math.max(row.rowsTotal - row.rowsDone, 0);
  return { rowsPerSecond, eta: new Date(now + (left / Math.max(rowsPerSecond, 0.001)) * 1000) };
}

export function toImport(row: ImportRow): Import {
  return {
    id: row.id,
    resource: row.resource as ImportResource,
    status: row.status,
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    format: row.format,
    delimiter: row.delimiter,
    encoding: row.encoding,
    columns: row.columns,
    mapping: row.mapping,
    onDuplicate: row.onDuplicate,
    options: row.options,
    rowsTotal: row.rowsTotal,
    rowsDone: row.rowsDone,
    ...progressOf(row),
    created: row.createdCount,
    updated: row.updatedCount,
    skipped: row.skippedCount,
    failed: row.failedCount,
    dryRun: row.dryRun,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    errorSummary: row.errorSummary,
  };
}

/** An import of the workspace, locked for the caller's transaction when `lock`; 404 when there is none. */
export async function findImport(
  tx: Transaction,
  workspaceId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<ImportRow> {
  const query = tx
    .select()
    .from(imports)
    .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, id)));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw notFound("import");
  return row;
}

export async function updateImport(
  tx: Transaction,
  workspaceId: string,
  id: string,
  values: Partial<typeof imports.$inferInsert>,
): Promise<ImportRow> {
  const [row] = await tx
    .update(imports)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, id)))
    .returning();
  if (!row) throw notFound("import");
  return row;
}

/** Newest first, by id (UUIDv7); `createdBy` narrows to one member's imports (agents). */
export function listImportRows(
  tx: Transaction,
  workspaceId: string,
  options: { after: string | null; limit: number; createdBy: string | null },
) {
  return tx
    .select()
    .from(imports)
    .where(
      and(
        eq(imports.workspaceId, workspaceId),
        options.createdBy ? eq(imports.createdBy, options.createdBy) : undefined,
        options.after ? lt(imports.id, options.after) : undefined,
      ),
    )
    .orderBy(desc(imports.id))
    .limit(options.limit + 1);
}

/** The last mappings the workspace started imports of this resource with, newest first. */
export async function savedMappings(tx: Transaction, workspaceId: string, resource: ImportResource) {
  const rows = await tx
    .select({ mapping: imports.mapping })
    .from(imports)
    .where(
      and(eq(imports.workspaceId, workspaceId), eq(imports.resource, resource), sql`${imports.startedAt} is not null`),
    )
    .orderBy(desc(imports.startedAt))
    .limit(20);
  return rows.map((row) => row.mapping);
}

/** A row error as stored: its line, its order on the line, the column, the message and the row's cells. */
export type ImportRowError = typeof importRowErrors.$inferSelect;

/** Where a page of row errors starts: after this line's error `seq` (the primary key's order). */
export type RowErrorPosition = { line: number; seq: number };

/**
 * An import's row errors after `after`, by line and then by their order on the line, at most
 * `limit`: a range of the primary key (workspace_id, import_id, line, seq).
 */
export function rowErrorsAfter(
  tx: Transaction,
  workspaceId: string,
  importId: string,
  after: RowErrorPosition | null,
  limit: number,
): Promise<ImportRowError[]> {
  return tx
    .select()
    .from(importRowErrors)
    .where(
      and(
        eq(importRowErrors.workspaceId, workspaceId),
        eq(importRowErrors.importId, importId),
        after
          ? or(
              gt(importRowErrors.line, after.line),
              and(eq(importRowErrors.line, after.line), gt(importRowErrors.seq, after.seq)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(importRowErrors.line), asc(importRowErrors.seq))
    .limit(limit);
}

export function deleteRowErrors(tx: Transaction, workspaceId: string, importId: string) {
  return tx
    .delete(importRowErrors)
    .where(and(eq(importRowErrors.workspaceId, workspaceId), eq(importRowErrors.importId, importId)));
}
