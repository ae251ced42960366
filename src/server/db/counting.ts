import { and, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Transaction } from "./client.ts";
import type { ListRequest, ListSpec } from "./listing.ts";
import { searchPhaseCondition, type SearchPhase } from "./search.ts";

/** A count: exact, or (`isEstimate`) the planner's estimate of a count past the exact limit. */
export type RowCount = { count: number; isEstimate?: true };

/** Lists (and the dashboard's totals) count rows exactly up to this many; a larger count is estimated. */
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
  return settleCount(tx, row?.count ?? 0, matches(), exactUpTo);
}

/**
 * The count of a raw query's rows, read as at most `exactUpTo + 1` of them (for an aggregate that
 * counts several things in one statement): pass what it answers to settleCount with the same query.
 */
export function countUpTo(matches: SQL, exactUpTo = exactCountLimit): SQL {
  return sql`(select count(*)::int from (${matches} limit ${exactUpTo + 1}) as seen)`;
}

/**
 * A count from `seen`, the rows of `matches` read up to `exactUpTo + 1`: exact up to the limit,
 * else the planner's estimate for `matches` (and at least the limit + 1 that were seen), marked as one.
 */
export async function settleCount(
  tx: Transaction,
  seen: number,
  matches: SQL | { getSQL: () => SQL },
  exactUpTo = exactCountLimit,
): Promise<RowCount> {
  if (seen <= exactUpTo) return { count: seen };
  return { count: Math.max(await estimatedRows(tx, matches), exactUpTo + 1), isEstimate: true };
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
