import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import type { JobDefinition, JobData } from "../../jobs/definitions.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { abandonDryRun, dryRunSlice } from "./imports.dry-run.ts";
import { findImport, type ImportRow } from "./imports.repository.ts";
import { failImport, runImportSlice } from "./imports.run.ts";

export const importQueue = "imports.run";
export type ImportJobData = JobData & { workspaceId: string; importId: string };

/** How long one run works before it hands the rest to a new job (a short expiry finds a dead one soon). */
const sliceMs = 60_000;
const retryLimit = 5;

/**
 * A job that works an import for a minute from the position its work has committed, then sends
 * itself again for the rest. A worker killed mid-batch leaves the job active until it expires (2
 * minutes: twice a slice, so a live run never expires); pg-boss then runs it again and it goes on
 * from the last batch that committed. After the last retry fails, `giveUp` ends the work as the job
 * found it when it began (a dry run started after it is never ended by it).
 */
function slicedImportJob(
  name: string,
  work: (db: Database, workspaceId: string, importId: string, budgetMs: number) => Promise<string>,
  giveUp: (db: Database, row: ImportRow) => Promise<unknown>,
): JobDefinition<ImportJobData> {
  return {
    name,
    options: { retryLimit, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
    async handler(job, deps) {
      const { workspaceId, importId } = job.data;
      const row = await withWorkspaceTransaction(deps.db, workspaceId, (tx) => findImport(tx, workspaceId, importId));
      try {
        const outcome = await work(deps.db, workspaceId, importId, sliceMs);
        if (outcome === "more") await deps.send(name, { workspaceId, importId });
      } catch (error) {
        if (job.retryCount >= retryLimit) await giveUp(deps.db, row);
        throw error;
      }
    },
  };
}

/**
 * `imports.run` { workspaceId, importId }: writes an import's rows. After the last retry fails, the
 * import is marked failed (what it committed stays, visible and undoable).
 */
export const runImportJob = slicedImportJob(importQueue, runImportSlice, (db, row) =>
  failImport(db, row, "The import stopped on an error; what it wrote so far can be undone."),
);

export const dryRunQueue = "imports.dry-run";

/**
 * `imports.dry-run` { workspaceId, importId }: validates an import (writes each batch and rolls it
 * back, imports.dry-run.ts). After the last retry fails, the import is `uploaded` again with an
 * `errorSummary` and no dry-run counts: it can be dry-run again or started.
 */
export const dryRunImportJob = slicedImportJob(dryRunQueue, dryRunSlice, (db, row) =>
  abandonDryRun(db, row, "The dry run stopped on an error; run it again, or start the import."),
);

/** How long a file uploaded but never started is kept (documented in docs/import-export.md). */
export const uploadRetentionMs = 7 * 86_400_000;

/**
 * Deletes the stored files nothing can use any more: of imports uploaded but not started within
 * the retention (the import is then cancelled, saying why), and of finished ones whose file is
 * still there (an import ends by deleting its file; this catches any left behind). Answers how
 * many imports lost their file.
 */
export async function pruneImportFiles(db: Database, retentionMs = uploadRetentionMs): Promise<number> {
  const cutoff = new Date(Date.now() - retentionMs).toISOString();
  const days = Math.round(retentionMs / 86_400_000);
  const result = (await db.execute(sql`with expired as (
      update imports set status = 'cancelled', finished_at = now(), updated_at = now(),
        error_summary = ${`The file was deleted: the import was not started within ${days} days of its upload.`}
      where status in ('uploaded', 'validating') and created_at < ${cutoff}::timestamptz
      returning workspace_id, id),
    pruned as (
      delete from import_chunks c
      where exists (select 1 from expired e where e.workspace_id = c.workspace_id and e.id = c.import_id)
        or exists (select 1 from imports i where i.workspace_id = c.workspace_id and i.id = c.import_id
          and i.status in ('completed', 'failed', 'cancelled', 'undone'))
      returning c.workspace_id, c.import_id)
    select count(distinct (workspace_id, import_id))::int as imports from pruned`)) as unknown as {
    rows: { imports: number }[];
  };
  return result.rows[0]?.imports ?? 0;
}

/**
 * A running import (or dry run) writes its progress at every batch, seconds apart, and its job's
 * retries end within about a quarter of an hour: one without progress for an hour has no attempt
 * left alive.
 */
export const abandonedAfterMs = 60 * 60_000;

/**
 * Marks failed, across workspaces, every import still `running` that has made no progress since
 * `quietSince`, and returns to `uploaded` every one still `validating` so (without dry-run counts
 * or row errors: it can be dry-run again or started). That happens when the last attempt of its
 * job expires rather than throws (its worker killed again and again), so the handler never says
 * so; without this it would show as running or validating forever. What a run committed stays,
 * visible and undoable. Answers how many of each.
 */
export async function failAbandonedImports(
  db: Database,
  quietSince: Date,
): Promise<{ failed: number; dryRunsEnded: number }> {
  const quiet = quietSince.toISOString();
  const result = (await db.execute(sql`with abandoned as (
      update imports set status = 'failed', finished_at = now(), updated_at = now(),
        error_summary = ${"The import stopped before it finished (its worker stopped for good); what it wrote so far can be undone."}
      where status = 'running' and updated_at < ${quiet}::timestamptz
      returning 1),
    abandoned_dry_runs as (
      update imports set status = 'uploaded', rows_done = 0, dry_run = null, updated_at = now(),
        error_summary = ${"The dry run stopped before it finished (its worker stopped for good); run it again, or start the import."}
      where status = 'validating' and updated_at < ${quiet}::timestamptz
      returning workspace_id, id),
    dropped_errors as (
      delete from import_row_errors e
      using abandoned_dry_runs d where e.workspace_id = d.workspace_id and e.import_id = d.id
      returning 1)
    select (select count(*)::int from abandoned) as failed,
      (select count(*)::int from abandoned_dry_runs) as "dryRunsEnded"`)) as unknown as {
    rows: { failed: number; dryRunsEnded: number }[];
  };
  return { failed: result.rows[0]?.failed ?? 0, dryRunsEnded: result.rows[0]?.dryRunsEnded ?? 0 };
}

/**
 * Every hour: marks failed the imports, and ends the dry runs, whose job stopped for good without
 * saying so (failAbandonedImports), then deletes the files of imports that can no longer start or have
 * ended (pruneImportFiles).
 */
export const importFilesPruner: JobDefinition = {
  name: "imports.prune",
  schedule: "23 * * * *",
  options: { retryLimit: 2, retryDelay: 60 },
  async handler(_job, { db, logger }) {
    const abandoned = await failAbandonedImports(db, new Date(Date.now() - abandonedAfterMs));
    if (abandoned.failed > 0) logger.warn({ abandoned: abandoned.failed }, "abandoned imports marked failed");
    if (abandoned.dryRunsEnded > 0) {
      logger.warn({ abandoned: abandoned.dryRunsEnded }, "abandoned dry runs ended: imports uploaded again");
    }
    const imports = await pruneImportFiles(db);
    if (imports > 0) logger.info({ imports }, "import files pruned");
  },
};
