import { and, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { SortKey } from "./listing.ts";

/** The keyset condition "after the cursor row", for any mix of directions and nullable keys. */
export function keysetCondition(keys: SortKey[], values: (string | null)[], id: AnyPgColumn): SQL {
  const all = [...keys, { field: "id", expression: id, direction: keys.at(-1)?.direction ?? "asc", nullable: false }];
  const typed = (index: number) => {
    const key = all[index];
    const value = values[index];
    return { key, value, cast: sql`cast(${value} as ${sql.raw(typeOfExpression(key?.expression))})` };
  };
  const sameDirection = all.every((k) => k.direction === all[0]?.direction);
  if (sameDirection && all.every((_, i) => !all[i]?.nullable || values[i] !== null)) {
    const nullableKeys = all.filter((k) => k.nullable);
    if (nullableKeys.length === 0) {
      // Row comparison: one index range scan.
      const left = sql.join(
        all.map((k) => sql`${k.expression}`),
        sql`, `,
      );
      const right = sql.join(
        all.map((_, i) => typed(i).cast),
        sql`, `,
      );
      return all[0]?.direction === "desc" ? sql`(${left}) < (${right})` : sql`(${left}) > (${right})`;
    }
  }
  // General form: (k1 after v1) or (k1 = v1 and k2 after v2) or … — PostgreSQL puts nulls last
  // when ascending and first when descending.
  const branches: SQL[] = [];
  for (let i = 0; i < all.length; i++) {
    const parts: SQL[] = [];
    for (let j = 0; j < i; j++) {
      const { key, value, cast } = typed(j);
      parts.push(value === null ? sql`${key?.expression} is null` : sql`${key?.expression} = ${cast}`);
    }
    const { key, value, cast } = typed(i);
    const expression = key?.expression;
    let after: SQL | undefined;
    if (key?.direction === "desc") {
      after = value === null ? sql`${expression} is not null` : sql`${expression} < ${cast}`;
    } else {
      after =
        value === null
          ? undefined
          : key?.nullable
            ? or(sql`${expression} > ${cast}`, sql`${expression} is null`)
            : sql`${expression} > ${cast}`;
    }
    if (!after) continue;
    parts.push(after);
    const branch = and(...parts);
    if (branch) branches.push(branch);
  }
  return or(...branches) ?? sql`false`;
}

function typeOfExpression(expression: unknown): string {
  const column = expression as { columnType?: string; getSQLType?: () => string };
  return column.getSQLType ? column.getSQLType() : "text";
}
