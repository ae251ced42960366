import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * `column = any($1::uuid[])`: a list of ids as one parameter (node-postgres writes the array).
 * Drizzle's `inArray` binds one parameter per id, and for the thousand records of a bulk chunk
 * building and binding them cost more than the lookup.
 */
export function inIds(column: AnyPgColumn, ids: readonly string[]): SQL {
  return sql`${column} = any(${sql.param(ids)}::uuid[])`;
}
