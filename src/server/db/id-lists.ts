import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `column = any($1::uuid[])`: a list of ids as one parameter. Drizzle's `inArray` binds one
 * parameter per id, and for the thousand records of a bulk chunk building and binding them cost
 * more than the lookup. The ids come from validated requests or from rows; one that is not a UUID
 * is a bug, refused here rather than let into the array's text.
 */
export function inIds(column: AnyPgColumn, ids: readonly string[]): SQL {
  for (const id of ids) if (!uuidPattern.test(id)) throw new Error(`not a UUID: ${JSON.stringify(id)}`);
  return sql`${column} = any(${`{${ids.join(",")}}`}::uuid[])`;
}
