import { sql } from "drizzle-orm";
import { PgDialect, pgTable, uuid } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { testDatabase } from "../test/create-test-app.ts";
import { equalsAny, inIds } from "./id-lists.ts";

const items = pgTable("items", { id: uuid().notNull() });
const dialect = new PgDialect();

describe("inIds", () => {
  it("binds the ids as one array parameter, however many", () => {
    const ids = ["01a24a0c-141d-74c0-aaa0-2cdcde7fa688", "01a24a0c-1480-76e4-9142-e7ed779db477"];
    const query = dialect.sqlToQuery(sql`select 1 from ${items} where ${inIds(items.id, ids)}`);
    expect(query.sql).toBe(`select 1 from "items" where "items"."id" = any($1::uuid[])`);
    expect(query.params).toEqual([ids]);
  });
});

describe("equalsAny", () => {
  // Values a CSV cell can hold that an array literal must escape: the driver writes the array.
  const awkward = [
    'a "quoted" name',
    "back\\slash",
    "comma, and {braces}",
    "NULL",
    "",
    " spaced ",
    "Zoë Ñúñez 漢字 🙂",
    "line\nbreak",
    "it's",
  ];

  it("matches each value exactly, whatever characters it holds, on the test database", async () => {
    const { db } = await testDatabase();
    const candidates = sql`(select unnest(${sql.param([...awkward, "other"])}::text[]) as value) as candidates`;
    const rows = (await db.execute(
      sql`select value from ${candidates} where ${equalsAny(sql`value`, awkward, "text")}`,
    )) as unknown as { rows: { value: string }[] };
    expect(rows.rows.map((row) => row.value).sort()).toEqual([...awkward].sort());
  });

  it("compares numbers as bigint", async () => {
    const { db } = await testDatabase();
    const rows = (await db.execute(
      sql`select n from generate_series(1, 10) as n where ${equalsAny(sql`n`, [2, 9, 42], "bigint")} order by n`,
    )) as unknown as { rows: { n: number }[] };
    expect(rows.rows.map((row) => Number(row.n))).toEqual([2, 9]);
  });
});
