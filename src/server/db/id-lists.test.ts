import { sql } from "drizzle-orm";
import { PgDialect, pgTable, uuid } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { inIds } from "./id-lists.ts";

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
