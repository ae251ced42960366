import { and, eq, sql } from "drizzle-orm";
import type { ImportResource } from "../../../shared/schemas/import.ts";
import type { Database, Transaction } from "../../db/client.ts";
import { isStatisticsRefreshDue, refreshStatistics } from "../../db/statistics.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import type { RequestContext } from "../../lib/context.ts";
import { writeAudit } from "../audit/index.ts";
import { companies } from "../companies/index.ts";
import { memberships } from "../users/users.table.ts";
import { writeBatchSetBased } from "./imports.batch.many.ts";
import { IsolateRows, writeBatch, type BatchResult, type BatchSettings, type FailedRow } from "./imports.batch.ts";
import { importKinds } from "./imports.kinds.ts";
import { loadRunLookups } from "./imports.lookups.ts";
import { fileRows, type FileRow } from "./imports.parse.ts";
import { findImport, updateImport, type ImportRow } from "./imports.repository.ts";
import { deleteFile, readChunks } from "./imports.storage.ts";
import { importRecords, importRowErrors } from "./imports.table.ts";

/**
 * Rows per transaction: each batch commits its records, their audit and the import's position
 * together. Measured with bench/imports.ts (100,000 rows, PostgreSQL): a batch's fixed cost (its
 * transaction and a dozen statements) is small beside a thousand rows' writes, while its objects
 * stay alive across those statements and are moved to the old generation: 1,000 rows a batch ran
 * at 2,743 rows/s with a peak of 260 MiB, 2,000 at 2,598 rows/s and 270 MiB. A batch the database
 * refuses is written again row by row.
 */
export const batchRows = 1_000;

/** The member an import acts as (its creator, with their role today); null when they left. */
export async function actorOf(db: Database, row: ImportRow): Promise<RequestContext | null> {
  const [member] = await withWorkspaceTransaction(db, row.workspaceId, (tx) =>
    tx
      .select({ role: memberships.role, removedAt: memberships.removedAt, deactivatedAt: memberships.deactivatedAt })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, row.workspaceId), eq(memberships.userId, row.createdBy))),
  );
  if (!member || member.removedAt || member.deactivatedAt) return null;
  return {
    db,
    workspaceId: row.workspaceId,
    actor: { kind: "user", userId: row.createdBy, role: member.role },
    requestId: `import:${row.id}`,
  };
}

/** The data rows of an import's file after the first `skip`, in batches, as they stream. */
export async function* batchesOf(db: Database, row: ImportRow, skip: number): AsyncGenerator<FileRow[]> {
  const source = readChunks(db, row.workspaceId, row.id);
  const options = { format: row.format, delimiter: row.delimiter, encoding: row.encoding };
  let seen = -1; // the header is row -1
  let batch: FileRow[] = [];
  try {
    for await (const fileRow of fileRows(source, options)) {
      seen++;
      if (seen === 0 || seen <= skip) continue;
      batch.push(fileRow);
      if (batch.length === batchRows) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    source.destroy();
  }
}

/** How an import's batches are written: its resource, mapping, duplicate policy and lookups. */
export function settingsOf(row: ImportRow, lookups: BatchSettings["lookups"]): BatchSettings {
  return {
    resource: row.resource as ImportResource,
    columns: row.columns,
    mapping: row.mapping,
    onDuplicate: row.onDuplicate,
    lookups,
  };
}

/** Stores a batch's refused rows (errors.csv, GET /imports/:id/errors); a batch written twice stores them once. */
export async function saveFailures(tx: Transaction, row: ImportRow, failures: FailedRow[]): Promise<void> {
  const values = failures.flatMap((failure) =>
    failure.errors.map((error, seq) => ({
      workspaceId: row.workspaceId,
      importId: row.id,
      line: failure.line,
      seq,
      column: error.column,
      message: error.message,
      raw: failure.raw,
    })),
  );
  if (values.length > 0) await tx.insert(importRowErrors).values(values).onConflictDoNothing();
}

async function saveWritten(tx: Transaction, row: ImportRow, result: BatchResult): Promise<void> {
  if (result.written.length === 0) return;
  const values = result.written.map((record) => ({
    record_id: record.recordId,
    resource: record.resource,
    action: record.action,
    before: record.before,
    line: record.line,
  }));
  // One JSON parameter for the batch's thousands of rows (binding each value costs more than the
  // insert). A record updated twice keeps its first `before`: what it was before the import.
  await tx.execute(sql`insert into ${importRecords} (workspace_id, import_id, record_id, resource, action, before, line)
    select ${row.workspaceId}, ${row.id}, record_id, resource, action, before, line
    from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
      as r(record_id uuid, resource text, action text, before jsonb, line integer)
    on conflict do nothing`);
}

export type SliceOutcome = "finished" | "more" | "stopped";

/** A batch set-based (fast), or row by row with a savepoint each (isolated: after a refusal). */
export const writeBatchOf = (
  tx: Transaction,
  ctx: RequestContext,
  settings: BatchSettings,
  batch: FileRow[],
  isolated: boolean,
): Promise<BatchResult> =>
  isolated ? writeBatch(tx, ctx, settings, batch, true) : writeBatchSetBased(tx, ctx, settings, batch);

/** Runs a batch's transaction fast (set-based), and again row by row when a write failed. */
export async function fastThenIsolated<T>(attempt: (isolated: boolean) => Promise<T>): Promise<T> {
  try {
    return await attempt(false);
  } catch (error) {
    if (!(error instanceof IsolateRows)) throw error;
    return attempt(true);
  }
}

/**
 * Runs an import for up to `budgetMs`, batch after batch, from the position it has committed
 * (`rows_done`). Each batch is one transaction that first locks the import: it goes on only while
 * the import is running and still at the position this run expects, so a cancel stops it at the
 * next batch and two runs of the same job never both write a batch. After a kill the next run
 * starts where the last committed batch ended.
 */
export async function runImportSlice(db: Database, workspaceId: string, importId: string, budgetMs: number) {
  const deadline = Date.now() + budgetMs;
  const row = await withWorkspaceTransaction(db, workspaceId, (tx) => findImport(tx, workspaceId, importId));
  if (row.status !== "running") return "stopped" satisfies SliceOutcome;
  const ctx = await actorOf(db, row);
  if (!ctx) return failImport(db, row, "The member who started the import has left the workspace.");
  const lookups = await withWorkspaceTransaction(db, workspaceId, (tx) => loadRunLookups(tx, workspaceId));
  const settings = settingsOf(row, lookups);
  let position = row.rowsDone;
  try {
    position = await writeBatches(db, ctx, settings, row, position, deadline);
  } catch (error) {
    // A cancel deletes the file under a running job: its stream ends mid-row and may not parse.
    const current = await withWorkspaceTransaction(db, workspaceId, (tx) => findImport(tx, workspaceId, importId));
    if (current.status !== "running") return "stopped" satisfies SliceOutcome;
    throw error;
  }
  if (position < 0) return position === stopped ? "stopped" : "more";
  await finishImport(db, ctx, importId);
  return "finished" satisfies SliceOutcome;
}

const stopped = -1;
const paused = -2;

/**
 * Writes the batches after `position` until the file ends (answers the position reached), the
 * import stops being this run's (`stopped`) or the deadline passes (`paused`).
 */
async function writeBatches(
  db: Database,
  ctx: RequestContext,
  settings: BatchSettings,
  row: ImportRow,
  from: number,
  deadline: number,
): Promise<number> {
  const { workspaceId, id: importId } = row;
  let position = from;
  for await (const batch of batchesOf(db, row, position)) {
    const expected = position;
    const committed = await fastThenIsolated((isolated) =>
      withWorkspaceTransaction(db, workspaceId, async (tx) => {
        const current = await findImport(tx, workspaceId, importId, { lock: true });
        if (current.status !== "running" || current.rowsDone !== expected) return false;
        const result = await writeBatchOf(tx, { ...ctx, db: tx as unknown as Database }, settings, batch, isolated);
        await saveWritten(tx, row, result);
        await saveFailures(tx, row, result.failures);
        await updateImport(tx, workspaceId, importId, {
          rowsDone: expected + batch.length,
          createdCount: current.createdCount + result.counts.created,
          updatedCount: current.updatedCount + result.counts.updated,
          skippedCount: current.skippedCount + result.counts.skipped,
          failedCount: current.failedCount + result.counts.failed,
        });
        return true;
      }),
    );
    if (!committed) return stopped;
    position += batch.length;
    if (isStatisticsRefreshDue(expected, position)) {
      // The tables the import grows, and those its lookups read (companies named by rows). Only
      // the speed of the next batches depends on it: an import never fails for it.
      await refreshStatistics(db, [importKinds[settings.resource].type.table, companies, importRecords]).catch(
        () => undefined,
      );
    }
    if (Date.now() > deadline) return paused;
  }
  return position;
}

/** Marks the import completed with one audit entry for the whole import (its counts). */
async function finishImport(db: Database, ctx: RequestContext, importId: string): Promise<void> {
  await withWorkspaceTransaction(db, ctx.workspaceId, async (tx) => {
    const current = await findImport(tx, ctx.workspaceId, importId, { lock: true });
    if (current.status !== "running") return;
    const done = await updateImport(tx, ctx.workspaceId, importId, {
      status: "completed",
      finishedAt: sql`now()` as never,
      rowsTotal: current.rowsDone,
    });
    await deleteFile(tx, ctx.workspaceId, importId);
    await writeAudit(
      tx,
      { ...ctx, db: tx as unknown as Database },
      {
        action: "import.completed",
        resourceType: "import",
        resourceId: importId,
        details: {
          resource: done.resource,
          count: done.createdCount + done.updatedCount,
          created: done.createdCount,
          updated: done.updatedCount,
          skipped: done.skippedCount,
          failed: done.failedCount,
        },
      },
    );
  });
}

/** Fails an import that cannot go on; what it committed stays, visible and undoable. */
export async function failImport(db: Database, row: ImportRow, message: string): Promise<"stopped"> {
  await withWorkspaceTransaction(db, row.workspaceId, async (tx) => {
    const current = await findImport(tx, row.workspaceId, row.id, { lock: true });
    if (current.status !== "running") return;
    await updateImport(tx, row.workspaceId, row.id, {
      status: "failed",
      finishedAt: sql`now()` as never,
      errorSummary: message,
    });
    await deleteFile(tx, row.workspaceId, row.id);
  });
  return "stopped";
}
