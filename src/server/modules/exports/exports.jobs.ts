import { withWorkspaceTransaction } from "../../db/transaction.ts";
import type { JobData, JobDefinition } from "../../jobs/definitions.ts";
import { findExportFile, pruneExpiredExportFiles } from "./exports.files.ts";
import { failExportFile, runExportFile } from "./exports.run.ts";

export const exportFileQueue = "exports.run";
export type ExportJobData = JobData & { workspaceId: string; exportId: string };

const retryLimit = 2;

/**
 * `exports.run` { workspaceId, exportId }: writes an export's file (more than 50,000 rows, asked
 * for with POST /<resource>/exports). A failed attempt is retried from the start of the file;
 * after the last one the export is marked failed, with a message its requester sees.
 */
export const runExportFileJob: JobDefinition<ExportJobData> = {
  name: exportFileQueue,
  options: { retryLimit, retryDelay: 10, expireInSeconds: 60 * 60 },
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

/** Every hour: deletes expired export files, so personal data does not outlive its link. */
export const exportFilesPruner: JobDefinition = {
  name: "exports.prune",
  schedule: "17 * * * *",
  options: { retryLimit: 2, retryDelay: 60 },
  async handler(_job, { db, logger }) {
    const deleted = await pruneExpiredExportFiles(db);
    if (deleted > 0) logger.info({ deleted }, "expired export files deleted");
  },
};
