import { boolean, char, index, integer, jsonb, pgTable, smallint, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import {
  dateFormats,
  defaultWorkspaceSettings as defaults,
  numberFormats,
  type ActivityTypeSetting,
} from "../../../shared/workspace-defaults.ts";
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

/**
 * A workspace's settings besides its name and currency (which `workspaces` keeps): tenant data,
 * row-level secured. A workspace without a row has the column defaults; the first change writes
 * it. `version` counts every change of the settings, name and currency included (If-Match).
 */
export const workspaceSettings = pgTable("workspace_settings", {
  workspaceId: uuid()
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  version: integer().notNull().default(1),
  timeZone: text().notNull().default(defaults.timeZone),
  dateFormat: text({ enum: dateFormats }).notNull().default(defaults.dateFormat),
  numberFormat: text({ enum: numberFormats }).notNull().default(defaults.numberFormat),
  fiscalYearStartMonth: smallint().notNull().default(defaults.fiscalYearStartMonth),
  leadLostReasons: text().array().notNull().default(defaults.leadLostReasons),
  dealLostReasons: text().array().notNull().default(defaults.dealLostReasons),
  requireDealLostReason: boolean().notNull().default(defaults.requireDealLostReason),
  customerOnWonDeal: boolean().notNull().default(defaults.customerOnWonDeal),
  agentsSeeOwnRecordsOnly: boolean().notNull().default(defaults.agentsSeeOwnRecordsOnly),
  activityTypes: jsonb()
    .$type<ActivityTypeSetting[]>()
    .notNull()
    .default([...defaults.activityTypes]),
  defaultPhoneCountry: char({ length: 2 }),
  updatedAt: timestamptz().notNull().defaultNow(),
});
