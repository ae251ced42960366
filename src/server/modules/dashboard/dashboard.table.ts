import { bigint, char, index, numeric, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";

/**
 * Running tallies of live leads per status and live deals per pipeline, stage, status and
 * currency, so that the dashboard sums a few rows instead of every lead and deal. Triggers on
 * leads and deals (migration 0035) add one row of changes per statement and key: insert only, so
 * writers of one workspace never wait for each other; `dashboard.tallies.compact` folds a key's
 * rows into one every minute. A key's figures are the sums of its rows.
 */
export const dashboardTallies = pgTable(
  "dashboard_tallies",
  {
    workspaceId: uuid().notNull(),
    id: bigint({ mode: "number" }).generatedAlwaysAsIdentity(),
    /** "lead" or "deal". */
    kind: text({ enum: ["lead", "deal"] }).notNull(),
    status: text().notNull(),
    /** Deals only: where they are, and in which currency. */
    pipelineId: uuid(),
    stageId: uuid(),
    currency: char({ length: 3 }),
    count: bigint({ mode: "number" }).notNull(),
    /** Deals only: the sum of their values, and of value × probability (÷ 100 when read). */
    value: numeric().notNull().default("0"),
    weightedValue: numeric().notNull().default("0"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index().on(t.workspaceId, t.kind)],
);
