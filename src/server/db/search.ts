import { and, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Transaction } from "./client.ts";
import type { ListSpec } from "./listing.ts";

/** Which search a list page runs: exact (word prefixes) or the similar-spelling fallback. */
export type SearchPhase = "exact" | "fuzzy";

/**
 * `q` as conditions. Exact: every word of the term starts a word of the record (full-text prefix
 * match on the GIN-indexed tsvector), so "smi", "john smi" and "john@x.com" find John Smith.
 * Fuzzy: trigram word similarity on names, e-mails and phones, so "smyth" finds him too.
 */
export function searchConditions(columns: { vector: AnyPgColumn; text: AnyPgColumn | null }, term: string) {
  // Each whitespace-separated chunk becomes a quoted prefix term: 'chunk':*, joined with &.
  const chunks = term
    .split(/\s+/)
    .map((chunk) => chunk.replace(/['\\]/g, ""))
    .filter(Boolean)
    .slice(0, 8);
  const query = chunks.map((chunk) => `'${chunk}':*`).join(" & ");
  const exact = query
    ? sql`${columns.vector} @@ to_tsquery('simple', ${query})`
    : sql`${columns.vector} @@ websearch_to_tsquery('simple', ${term})`;
  const fuzzy = columns.text ? sql`${term.toLowerCase()} <% ${columns.text}` : null;
  return { exact, fuzzy };
}

/** A search with at least this many matches pages by walking the sort index (see hasCommonMatches). */
const commonMatchCount = 500;

/**
 * True when a search matches many rows. Counted through the search index (ordered scans are off),
 * it costs at most `commonMatchCount` rechecks. With that many matches, walking the sort index and
 * filtering finds a page after a few thousand rows; with fewer, collecting them all is cheaper.
 */
async function hasCommonMatches(tx: Transaction, table: PgTable, where: SQL | undefined): Promise<boolean> {
  const probe = tx
    .select({ one: sql`1` })
    .from(table)
    .where(where)
    .limit(commonMatchCount);
  const [row] = await tx.select({ count: sql<number>`count(*)::int` }).from(probe.as("probe"));
  return (row?.count ?? 0) >= commonMatchCount;
}

/** The similarity fallback considers at most this many candidate records (see searchPhaseCondition). */
export const similarCandidateLimit = 1000;

/**
 * The condition of one search phase. PostgreSQL cannot estimate how many rows a prefix or a
 * similarity matches; when it guesses "many" it walks the sort index expecting early hits, which
 * takes seconds on a million records when there are none. So ordered index scans are switched off
 * for the transaction, and matches are collected through the search indexes and sorted — unless a
 * probe shows the exact matches are common, when walking the sort index is the fast way. The fuzzy phase is also
 * bounded: it takes the first `similarCandidateLimit` candidates the trigram index yields (plain
 * scans off too, so the index must serve), since rechecking similarity costs ~10 µs a row.
 */
export async function searchPhaseCondition(
  tx: Transaction,
  spec: ListSpec,
  search: { exact: SQL; fuzzy: SQL | null },
  phase: SearchPhase,
  conditions: SQL[],
): Promise<SQL> {
  const isFuzzy = phase === "fuzzy" && search.fuzzy !== null;
  await tx.execute(
    sql`select set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', ${isFuzzy ? "off" : "on"}, true)`,
  );
  const table = spec.table;
  if (!isFuzzy || !search.fuzzy) {
    if (await hasCommonMatches(tx, table, and(...conditions, search.exact))) {
      await tx.execute(sql`select set_config('enable_indexscan', 'on', true)`);
    }
    return search.exact;
  }
  const candidates = tx
    .select({ id: table.id })
    .from(table as PgTable)
    .where(and(...conditions, search.fuzzy))
    .limit(similarCandidateLimit);
  return sql`${table.id} in (${candidates})`;
}
