import type { DryRun } from "../../../shared/schemas/import.ts";
import type { Database } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import type { RequestContext } from "../../lib/context.ts";
import type { BatchResult, BatchSettings } from "./imports.batch.ts";
import { loadRunLookups } from "./imports.lookups.ts";
import type { FileRow } from "./imports.parse.ts";
import { deleteRowErrors, findImport, updateImport, type ImportRow } from "./imports.repository.ts";
import {
  actorOf,
  batchesOf,
  fastThenIsolated,
  saveFailures,
  settingsOf,
  writeBatchOf,
  type SliceOutcome,
} from "./imports.run.ts";

/** A dry run's counts before its first batch. */
export const noDryRunCounts: DryRun = { rowsTotal: 0, wouldCreate: 0, wouldUpdate: 0, wouldSkip: 0, failed: 0 };

/** Thrown to roll a dry run's batch back, carrying what the batch would have done. */
class DryRunRollback extends Error {
  constructor(readonly result: BatchResult) {
    super("dry run");
  }
}

/**
 * What a batch would do, found by writing it through the import's own path (the API's schemas, the
 * record types' rules, the database's constraints) in a transaction that is then rolled back.
 */
function validateBatch(ctx: RequestContext, settings: BatchSettings, batch: FileRow[]): Promise<BatchResult> {
  return fastThenIsolated((isolated) =>
    withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
      const txCtx = { ...ctx, db: tx as unknown as Database };
      throw new DryRunRollback(await writeBatchOf(tx, txCtx, settings, batch, isolated));
    }).catch((error: unknown) => {
      if (error instanceof DryRunRollback) return error.result;
      throw error;
    }),
  );
}

/**
 * Whether `row` is still validating in the dry run that started at `since`: a dry run started
 * again (or cancelled, or the import started) makes an older job's batches no longer its own.
 */
const isDryRunOf = (row: ImportRow, since: number) =>
  row.status === "validating" && row.dryRunStartedAt?.getTime() === since;

function countsAfter(counts: DryRun, batch: FileRow[], result: BatchResult): DryRun {
  return {
    rowsTotal: counts.rowsTotal + batch.length,
    wouldCreate: counts.wouldCreate + result.counts.created,
    wouldUpdate: counts.wouldUpdate + result.counts.updated,
    wouldSkip: counts.wouldSkip + result.counts.skipped,
    failed: counts.failed + result.counts.failed,
  };
}

/**
 * Validates an import for up to `budgetMs`, batch after batch, from the position its dry run has
 * committed (`rows_done`), as the member who created the import. Each batch is written and rolled
 * back (validateBatch); then one transaction locks the import and, while it is still validating in
 * the same dry run and at the position this job expects, stores the batch's row errors, the
 * running counts (`dry_run`) and the position. A cancel thus stops it at the next batch, two jobs
 * never both count a batch, and after a kill the next job starts where the last committed batch
 * ended. At the end of the file the import is `uploaded` again, with the dry run's counts.
 */
export async function dryRunSlice(
  db: Database,
  workspaceId: string,
  importId: string,
  budgetMs: number,
): Promise<SliceOutcome> {
  const deadline = Date.now() + budgetMs;
  const row = await withWorkspaceTransaction(db, workspaceId, (tx) => findImport(tx, workspaceId, importId));
  if (row.status !== "validating" || !row.dryRunStartedAt) return "stopped";
  const since = row.dryRunStartedAt.getTime();
  const ctx = await actorOf(db, row);
  if (!ctx) {
    await abandonDryRun(db, row, "The member who uploaded the import has left the workspace.");
    return "stopped";
  }
  const lookups = await withWorkspaceTransaction(db, workspaceId, (tx) => loadRunLookups(tx, workspaceId));
  const settings = settingsOf(row, lookups);
  let position = row.rowsDone;
  try {
    for await (const batch of batchesOf(db, row, position)) {
      const result = await validateBatch(ctx, settings, batch);
      const expected = position;
      const committed = await withWorkspaceTransaction(db, workspaceId, async (tx) => {
        const current = await findImport(tx, workspaceId, importId, { lock: true });
        if (!isDryRunOf(current, since) || current.rowsDone !== expected) return false;
        await saveFailures(tx, row, result.failures);
        await updateImport(tx, workspaceId, importId, {
          rowsDone: expected + batch.length,
          dryRun: countsAfter(current.dryRun ?? noDryRunCounts, batch, result),
        });
        return true;
      });
      if (!committed) return "stopped";
      position += batch.length;
      if (Date.now() > deadline) return "more";
    }
  } catch (error) {
    // The file can go under the job (the import cancelled, then pruned): its stream may end mid-row.
    const current = await withWorkspaceTransaction(db, workspaceId, (tx) => findImport(tx, workspaceId, importId));
    if (!isDryRunOf(current, since)) return "stopped";
    throw error;
  }
  await finishDryRun(db, workspaceId, importId, since);
  return "finished";
}

/** Makes the import `uploaded` again with the dry run's counts (its row errors stay). */
async function finishDryRun(db: Database, workspaceId: string, importId: string, since: number): Promise<void> {
  await withWorkspaceTransaction(db, workspaceId, async (tx) => {
    const current = await findImport(tx, workspaceId, importId, { lock: true });
    if (!isDryRunOf(current, since)) return;
    await updateImport(tx, workspaceId, importId, {
      status: "uploaded",
      rowsDone: 0,
      dryRun: { ...(current.dryRun ?? noDryRunCounts), rowsTotal: current.rowsDone },
    });
  });
}

/**
 * Ends the dry run `row` was read in without a result: the import is `uploaded` again, saying why
 * in `errorSummary`, with no dry-run counts or row errors. It can be dry-run again or started.
 */
export async function abandonDryRun(db: Database, row: ImportRow, message: string): Promise<void> {
  const since = row.dryRunStartedAt?.getTime();
  if (since === undefined) return;
  await withWorkspaceTransaction(db, row.workspaceId, async (tx) => {
    const current = await findImport(tx, row.workspaceId, row.id, { lock: true });
    if (!isDryRunOf(current, since)) return;
    await deleteRowErrors(tx, row.workspaceId, row.id);
    await updateImport(tx, row.workspaceId, row.id, {
      status: "uploaded",
      rowsDone: 0,
      dryRun: null,
      errorSummary: message,
    });
  });
}
