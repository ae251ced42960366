import { withWorkspaceTransaction } from "../../db/transaction.ts";
import type { JobData, JobDefinition } from "../../jobs/definitions.ts";
import { failAbandonedExportFiles, findExportFile, pruneExpiredExportFiles } from "./exports.files.ts";
import { failExportFile, runExportFile } from "./exports.run.ts";

export const exportFileQueue = "exports.run";
export type ExportJobData = JobData & { workspaceId: string; exportId: string };

const retryLimit = 2;
/** How long one attempt may run: then pg-boss fails it (and retries it, while retries are left). */
const expireInSeconds = 60 * 60;
/**
 * An export `running` for longer than an attempt may, plus time for a retry to start it again,
 * has no attempt left alive: the pruning job marks it failed (failAbandonedExportFiles).
 */
export const abandonedAfterMs = (expireInSeconds + 30 * 60) * 1000;

/**
 * `exports.run` { workspaceId, exportId }: writes an export's file (more than 50,000 rows, asked
 * for with POST /<resource>/exports). A failed attempt is retried from the start of the file;
 * after the last one the export is marked failed, with a message its requester sees. A last
 * attempt that expires instead (its worker killed, or over an hour) throws nothing here: the
 * pruning job marks that export failed.
 */
export const runExportFileJob: JobDefinition<ExportJobData> = {
  name: exportFileQueue,
  options: { retryLimit, retryDelay: 10, expireInSeconds },
  async handler(job, deps) {
    const { workspaceId, exportId } = job.data;
    try {
      await runExportFile(deps.db, workspaceId, exportId, job.id);
    } catch (error) {
      if (job.retryCount >= retryLimit) {
        const row = await withWorkspaceTransaction(deps.db, workspaceId, (tx) =>
          findExportFile(tx, workspaceId, exportId),
        );
        if (row) await failExportFile(deps.db, row, "The export stopped on an error; start it again.");
      }
      throw error;
    }
  },
};

/**
 * Every hour: deletes expired export files, so personal data does not outlive its link, and
 * marks failed the exports whose job stopped for good without saying so (abandonedAfterMs).
 */
export const exportFilesPruner: JobDefinition = {
  name: "exports.prune",
  schedule: "17 * * * *",
  options: { retryLimit: 2, retryDelay: 60 },
  async handler(_job, { db, logger }) {
    const deleted = await pruneExpiredExportFiles(db);
    if (deleted > 0) logger.info({ deleted }, "expired export files deleted");
    const abandoned = await failAbandonedExportFiles(
      db,
      new Date(Date.now() - abandonedAfterMs),
      "The export stopped before it finished (its job timed out or its worker stopped); start it again.",
    );
    if (abandoned > 0) logger.warn({ abandoned }, "abandoned exports marked failed");
  },
};
