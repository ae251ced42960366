import { char, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";

/** A tenant. Not itself row-level secured: it is the root every tenant row points to. */
export const workspaces = pgTable("workspaces", {
  id: uuid().primaryKey(),
  name: text().notNull(),
  baseCurrency: char({ length: 3 }).notNull().default("USD"),
  createdAt: timestamptz().notNull().defaultNow(),
  updatedAt: timestamptz().notNull().defaultNow(),
});
