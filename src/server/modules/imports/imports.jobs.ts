import type { JobDefinition, JobData } from "../../jobs/definitions.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { findImport } from "./imports.repository.ts";
import { failImport, runImportSlice } from "./imports.run.ts";

export const importQueue = "imports.run";
export type ImportJobData = JobData & { workspaceId: string; importId: string };

/** How long one run works before it hands the rest to a new job (a short expiry finds a dead one soon). */
const sliceMs = 60_000;
const retryLimit = 5;

/**
 * `imports.run` { workspaceId, importId }: works an import for a minute from its committed
 * position, then sends itself again for the rest. A worker killed mid-batch leaves the job active
 * until it expires (2 minutes: twice a slice, so a live run never expires); pg-boss then runs it again and it continues from the last batch
 * that committed. After the last retry fails, the import is marked failed (what it committed stays,
 * visible and undoable).
 */
export const runImportJob: JobDefinition<ImportJobData> = {
  name: importQueue,
  options: { retryLimit, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  async handler(job, deps) {
    const { workspaceId, importId } = job.data;
    try {
      const outcome = await runImportSlice(deps.db, workspaceId, importId, sliceMs);
      if (outcome === "more") await deps.send(importQueue, { workspaceId, importId });
    } catch (error) {
      if (job.retryCount >= retryLimit) {
        const row = await withWorkspaceTransaction(deps.db, workspaceId, (tx) => findImport(tx, workspaceId, importId));
        await failImport(deps.db, row, "The import stopped on an error; what it wrote so far can be undone.");
      }
      throw error;
    }
  },
};
