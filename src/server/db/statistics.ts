import { getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client.ts";

/** Rows a long job writes before it first refreshes the statistics of the tables it grows. */
export const firstRefreshRows = 10_000;

/**
 * Whether a job that has written `before` rows and now `after` should refresh the planner's
 * statistics: each time it passes 10,000 rows, then 20,000, 40,000 and so on. The positions are
 * the job's own (an import's committed rows), so a job resumed after a restart keeps the rhythm,
 * and a million rows cost 7 refreshes.
 */
export function isStatisticsRefreshDue(before: number, after: number): boolean {
  for (let mark = firstRefreshRows; mark <= after; mark *= 2) if (mark > before) return true;
  return false;
}

/**
 * ANALYZE of the tables a job keeps growing. PostgreSQL plans each query from statistics that only
 * autovacuum refreshes, a minute or more after a table changed (never where autovacuum is off,
 * nor on the embedded database, which has none): an import into a new workspace went on planning
 * its duplicate lookups as if the table were empty, and they read every row of the workspace
 * (a 1,000,000-row import fell from 2,500 rows a second to 230 by its 700,000th row).
 * PostgreSQL's own advice after a bulk load is this ANALYZE. It samples a fixed number of rows
 * (about 0.1–0.5 s on a table of a million), runs as the connecting role (the tables' owner),
 * outside any transaction, and a role that may not analyze a table gets a warning, not an error.
 */
export async function refreshStatistics(db: Database, tables: readonly PgTable[]): Promise<void> {
  const names = [...new Set(tables.map((table) => getTableName(table)))];
  await db.execute(
    sql`analyze ${sql.join(
      names.map((name) => sql.identifier(name)),
      sql`, `,
    )}`,
  );
}
