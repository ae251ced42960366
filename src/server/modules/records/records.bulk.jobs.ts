import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import type { JobDefinition } from "../../jobs/index.ts";
import { bulkUndoWindowMs } from "../../../shared/schemas/bulk.ts";
import { contextOfOperation } from "./records.bulk.operations.ts";
import { bulkRunQueue, markFailed, processOperation } from "./records.bulk.ts";
import { bulkTargetOf } from "./records.bulk.targets.ts";

type BulkJobData = { workspaceId: string; operationId: string };

const retryLimit = 2;

/**
 * Runs a queued bulk operation (more than 1,000 records), chunk after chunk, each committing its
 * progress: a retried or restarted job goes on after the last committed chunk. The last attempt's
 * failure marks the operation failed (what committed stays, undoable).
 */
export const runBulkOperation: JobDefinition<BulkJobData> = {
  name: bulkRunQueue,
  options: { retryLimit, retryDelay: 10, expireInSeconds: 60 * 60 },
  async handler(job, { db }) {
    const { workspaceId, operationId } = job.data;
    const { ctx, operation } = await contextOfOperation(db, workspaceId, operationId, `bulk:${operationId}`);
    // Sent after the request committed the operation; not there yet means a lagging replica or
    // snapshot: the retry finds it.
    if (!operation) throw new Error("bulk operation not found");
    const target = bulkTargetOf(operation.resource);
    if (!ctx || !target) {
      if (!operation.createdBy) return;
      const reason = ctx ? "Unknown collection." : "The member who started it is no longer active in the workspace.";
      // Their role no longer matters: the entry only says who the operation was for.
      const actor = { kind: "user" as const, userId: operation.createdBy, role: "viewer" as const };
      await markFailed({ db, workspaceId, actor, requestId: job.id }, operationId, reason);
      return;
    }
    const isLastAttempt = job.retryCount >= retryLimit;
    await processOperation(ctx, target, operationId, {
      shouldStop: () => job.signal.aborted,
      failOnError: isLastAttempt,
    });
    // Stopped early (the process is stopping, or the run expired): the retry resumes it.
    if (job.signal.aborted) throw new Error("bulk operation interrupted; it resumes on retry");
  },
};

/** Deletes the kept before-values of operations older than the undo window, a batch per statement. */
export async function pruneBulkRecords(db: Database, batchSize = 10_000): Promise<number> {
  const cutoff = new Date(Date.now() - bulkUndoWindowMs).toISOString();
  let total = 0;
  for (;;) {
    const result = (await db.execute(sql`with pruned as (
        delete from bulk_operation_records where ctid = any(array(
          select r.ctid from bulk_operation_records r
          join bulk_operations o on o.workspace_id = r.workspace_id and o.id = r.operation_id
          where o.created_at < ${cutoff}::timestamptz and o.status in ('completed', 'failed', 'undone')
          limit ${batchSize}))
        returning 1)
      select count(*)::int as deleted from pruned`)) as unknown as { rows: { deleted: number }[] };
    const deleted = result.rows[0]?.deleted ?? 0;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** Once a day: forgets what finished operations changed, once they can no longer be undone. */
export const bulkRecordsPruner: JobDefinition = {
  name: "bulk.prune",
  schedule: "41 3 * * *",
  options: { retryLimit: 2, retryDelay: 60 },
  async handler(_job, { db, logger }) {
    const deleted = await pruneBulkRecords(db);
    if (deleted > 0) logger.info({ deleted }, "bulk operation records pruned");
  },
};
