import { char, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";
import { users } from "../users/users.table.ts";

/** A tenant. Not itself row-level secured: it is the root every tenant row points to. */
export const workspaces = pgTable(
  "workspaces",
  {
    id: uuid().primaryKey(),
    name: text().notNull(),
    /** A short unique name for URLs that must name the workspace before sign-in (SSO). */
    slug: text().notNull(),
    baseCurrency: char({ length: 3 }).notNull().default("USD"),
    /** Who created it through the API (null for the CLI and the seed); caps how many one user makes. */
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [index("workspaces_created_by_idx").on(t.createdBy), uniqueIndex("workspaces_slug_idx").on(t.slug)],
);
