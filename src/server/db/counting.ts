import { and, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Transaction } from "./client.ts";
import type { ListRequest, ListSpec } from "./listing.ts";
import { searchPhaseCondition, type SearchPhase } from "./search.ts";

/** A list's count: exact, or (`isEstimate`) the planner's estimate of a count past the exact limit. */
export type RowCount = { count: number; isEstimate?: true };

/** Lists count their rows exactly up to this many; a larger count is estimated. */
export const exactCountLimit = 10_000;

/**
 * Counts the matches of one search phase, reading at most `exactUpTo + 1` of them: a count past
 * the limit is the planner's estimate for the list's query (EXPLAIN), never a full scan, and at
 * least the limit + 1 that were seen.
 */
export async function countMatches(
  tx: Transaction,
  spec: ListSpec,
  request: ListRequest,
  base: SQL[],
  phase: SearchPhase,
  exactUpTo = exactCountLimit,
): Promise<RowCount> {
  const search = request.search ? [await searchPhaseCondition(tx, spec, request.search, phase, base)] : [];
  // A new builder each time: limit() changes the builder it is called on.
  const matches = () =>
    tx
      .select({ one: sql`1` })
      .from(spec.table as PgTable)
      .where(and(...base, ...search));
  const [row] = await tx.select({ count: sql<number>`count(*)::int` }).from(
    matches()
      .limit(exactUpTo + 1)
      .as("matches"),
  );
  const count = row?.count ?? 0;
  if (count <= exactUpTo) return { count };
  return { count: Math.max(await estimatedRows(tx, matches()), exactUpTo + 1), isEstimate: true };
}

type PlanNode = { Plan?: { "Plan Rows"?: number } };

/** The number of rows the planner expects a query to answer. */
async function estimatedRows(tx: Transaction, query: SQL | { getSQL: () => SQL }): Promise<number> {
  const result = (await tx.execute(sql`explain (format json) ${query}`)) as unknown as {
    rows: Record<string, unknown>[];
  };
  const plan = Object.values(result.rows[0] ?? {})[0];
  const nodes = (typeof plan === "string" ? JSON.parse(plan) : plan) as PlanNode[] | undefined;
  return Math.round(nodes?.[0]?.Plan?.["Plan Rows"] ?? 0);
}
