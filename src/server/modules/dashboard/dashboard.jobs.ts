import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import type { JobDefinition } from "../../jobs/index.ts";

/** Keys one statement of the compaction folds. */
const compactBatchSize = 5_000;

/**
 * Folds each tally key's rows of changes (one per writing statement, dashboard.table.ts) into one
 * row of their sums, and drops keys that sum to nothing; answers how many keys it folded. One
 * statement per batch of keys: a reader sees the rows before or after, never half. Rows written
 * while it runs are not in its snapshot and stay for the next run; two runs at once fold only
 * the rows each deleted (a row the other deleted first is skipped), so nothing is counted twice.
 */
export async function compactDashboardTallies(db: Database, batchSize = compactBatchSize): Promise<number> {
  let total = 0;
  for (;;) {
    const result = (await db.execute(sql`with piled as (
        select workspace_id, kind, status, pipeline_id, stage_id, currency from dashboard_tallies
        group by workspace_id, kind, status, pipeline_id, stage_id, currency
        having count(*) > 1 or (sum(count) = 0 and sum(value) = 0 and sum(weighted_value) = 0)
        limit ${batchSize}),
      folded as (
        delete from dashboard_tallies t using piled p
        where t.workspace_id = p.workspace_id and t.kind = p.kind and t.status = p.status
          and t.pipeline_id is not distinct from p.pipeline_id and t.stage_id is not distinct from p.stage_id
          and t.currency is not distinct from p.currency
        returning t.workspace_id, t.kind, t.status, t.pipeline_id, t.stage_id, t.currency, t.count, t.value,
          t.weighted_value),
      kept as (
        insert into dashboard_tallies
          (workspace_id, kind, status, pipeline_id, stage_id, currency, count, value, weighted_value)
        select workspace_id, kind, status, pipeline_id, stage_id, currency, sum(count), sum(value), sum(weighted_value)
        from folded group by workspace_id, kind, status, pipeline_id, stage_id, currency
        having sum(count) <> 0 or sum(value) <> 0 or sum(weighted_value) <> 0
        returning 1)
      select (select count(*) from piled)::int as keys`)) as unknown as { rows: { keys: number }[] };
    const keys = result.rows[0]?.keys ?? 0;
    total += keys;
    if (keys < batchSize) return total;
  }
}

/** Every minute: folds the dashboard's tallies (compactDashboardTallies). */
export const dashboardTalliesCompactor: JobDefinition = {
  name: "dashboard.tallies.compact",
  schedule: "* * * * *",
  options: { retryLimit: 1, retryDelay: 30 },
  async handler(_job, { db }) {
    await compactDashboardTallies(db);
  },
};
