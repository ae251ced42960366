import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/** The element types a list parameter is cast to (a closed set: the name is written into the SQL). */
export type ListType = "uuid" | "text" | "bigint";

/**
 * `column = any($1::<type>[])`: a list of values as one parameter (the driver writes the array).
 * Drizzle's `inArray` binds one parameter per value, and for the thousand rows of a bulk chunk or
 * an import batch, building and binding them cost more than the lookup. PostgreSQL reads both
 * forms alike: `in (…)` is itself `= any(array[…])`, and an index on the column (or on the
 * expression, such as `lower(email)`) serves it.
 */
export function equalsAny(column: AnyPgColumn | SQL, values: readonly (string | number)[], type: ListType): SQL {
  return sql`${column} = any(${sql.param(values)}::${sql.raw(type)}[])`;
}

/** `column = any($1::uuid[])`: a list of ids as one parameter. */
export function inIds(column: AnyPgColumn, ids: readonly string[]): SQL {
  return equalsAny(column, ids, "uuid");
}
