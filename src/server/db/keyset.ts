import { sql, type SQL } from "drizzle-orm";
import { invalidField } from "../lib/errors.ts";
import type { SortKey } from "./listing.ts";

/**
 * A keyset page is read as a series of index ranges, each one query ordered by the whole sort,
 * taken in turn until the page is full. A condition such as `(a > 1) or (a is null)` or
 * `(a = 1 and b > 2) or (a > 1)` cannot start an index scan in the right place, so PostgreSQL
 * would walk the index from its start and filter: fine on page 1, slow on page 5,000. Split into
 * ranges, each one is an equality prefix and one bound, which an index on the sort's columns
 * answers directly.
 *
 * Order conventions (PostgreSQL's and the btree's): nulls last ascending, first descending; the
 * id, last, in the direction of the last key.
 */

/** One range of a page: its conditions, and the group it reads when it is a whole group of a grouped sort. */
export type KeysetRange = { conditions: SQL[]; group?: string };

/** The sort's keys with the id appended, as the page orders by them. */
export function withIdKey(keys: SortKey[], id: SQL | SortKey["expression"]): SortKey[] {
  const direction = keys.at(-1)?.direction ?? "asc";
  return [...keys, { field: "id", expression: id, direction, nullable: false }];
}

/**
 * The ranges of rows after the cursor (or of all rows without one), in order. `groups` are the
 * first key's groups in ascending order when it is a grouped key (stages in pipeline order);
 * throws when the cursor's group is no longer one of them.
 */
export function keysetRanges(
  keys: SortKey[],
  values: (string | null)[] | null,
  groups: string[] | null,
): KeysetRange[] {
  const [first] = keys;
  if (!values) return groups && first ? groupRanges(first, groups, null) : [{ conditions: [] }];

  const tail = tailStart(keys, values);
  const ranges: KeysetRange[] = [];
  const tailKeys = keys.slice(tail);
  ranges.push({ conditions: [...prefixEquals(keys, values, tail), rowAfter(tailKeys, values.slice(tail))] });
  const tailHead = tailKeys[0];
  // A nullable first tail key compared by row leaves its nulls out; ascending, they come after.
  if (tailHead?.nullable && tailHead.direction === "asc" && tail < keys.length - 1) {
    ranges.push({ conditions: [...prefixEquals(keys, values, tail), sql`${tailHead.expression} is null`] });
  }
  for (let i = tail - 1; i >= 0; i--) {
    const key = keys[i];
    if (!key) continue;
    if (i === 0 && groups) {
      ranges.push(...groupRanges(key, groups, { value: values[0] ?? null }));
      continue;
    }
    const prefix = prefixEquals(keys, values, i);
    for (const after of valuesAfter(key, values[i] ?? null)) ranges.push({ conditions: [...prefix, after] });
  }
  return ranges;
}

/**
 * Where the tail begins: the longest run of last keys (the id included) sharing one direction that
 * one row comparison can cover. Its keys are not null, except possibly the first when the cursor
 * holds a value for it; grouped keys never join (their order is not their value's).
 */
function tailStart(keys: SortKey[], values: (string | null)[]): number {
  const direction = keys.at(-1)?.direction;
  let start = keys.length - 1;
  const fits = (key: SortKey | undefined) => key && key.direction === direction && !key.groups;
  while (start > 0 && fits(keys[start - 1]) && !keys[start - 1]?.nullable) start--;
  if (start > 0 && fits(keys[start - 1]) && values[start - 1] !== null) start--;
  return start;
}

/** `k1 = v1 and … and k(n-1) = v(n-1)` for the keys before `end`, `is null` where the cursor holds null. */
function prefixEquals(keys: SortKey[], values: (string | null)[], end: number): SQL[] {
  return keys.slice(0, end).map((key, i) => equals(key, values[i] ?? null));
}

function equals(key: SortKey, value: string | null): SQL {
  return value === null ? sql`${key.expression} is null` : sql`${key.expression} = ${typed(key, value)}`;
}

/** `(k1, …, id) > (v1, …, x)`, or `<` descending: one index range. */
function rowAfter(keys: SortKey[], values: (string | null)[]): SQL {
  const operator = keys[0]?.direction === "desc" ? sql.raw("<") : sql.raw(">");
  if (keys.length === 1 && keys[0]) return sql`${keys[0].expression} ${operator} ${typed(keys[0], values[0] ?? null)}`;
  const left = sql.join(
    keys.map((key) => sql`${key.expression}`),
    sql`, `,
  );
  const right = sql.join(
    keys.map((key, i) => typed(key, values[i] ?? null)),
    sql`, `,
  );
  return sql`(${left}) ${operator} (${right})`;
}

/** The values of one key after the cursor's, each an index range: larger ones, then nulls (ascending). */
function valuesAfter(key: SortKey, value: string | null): SQL[] {
  if (key.direction === "asc") {
    if (value === null) return [];
    const larger = sql`${key.expression} > ${typed(key, value)}`;
    return key.nullable ? [larger, sql`${key.expression} is null`] : [larger];
  }
  if (value === null) return key.nullable ? [sql`${key.expression} is not null`] : [];
  return [sql`${key.expression} < ${typed(key, value)}`];
}

/**
 * One range per group of a grouped key, in the sort's direction (its nulls last ascending, first
 * descending): every group, or those after the cursor's.
 */
function groupRanges(key: SortKey, groups: string[], cursor: { value: string | null } | null): KeysetRange[] {
  const ordered: (string | null)[] = key.direction === "asc" ? [...groups] : [...groups].reverse();
  if (key.nullable) {
    if (key.direction === "asc") ordered.push(null);
    else ordered.unshift(null);
  }
  const start = cursor ? ordered.indexOf(cursor.value) + 1 : 0;
  if (start === 0 && cursor) throw invalidField("cursor", "This cursor is out of date: its group is gone");
  return ordered
    .slice(start)
    .map((group) =>
      group === null ? { conditions: [equals(key, null)] } : { conditions: [equals(key, group)], group },
    );
}

/** The cursor's text value cast back to the key's type, so comparisons use the index's order. */
function typed(key: SortKey, value: string | null): SQL {
  return sql`cast(${value} as ${sql.raw(keyTypeOf(key))})`;
}

/** A sort key's SQL type: its column's, or the one its expression declares. */
export function keyTypeOf(key: SortKey): string {
  return key.type ?? typeOfExpression(key.expression);
}

function typeOfExpression(expression: unknown): string {
  const column = expression as { getSQLType?: () => string };
  return column.getSQLType ? column.getSQLType() : "text";
}
