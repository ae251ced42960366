import { sql } from "drizzle-orm";
import { check, foreignKey, index, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";
import type { MergeUndoData } from "./merge.moves.ts";

/**
 * A merge of contacts or companies and what it changed (`undo`): the survivor's values before,
 * the related rows moved and their previous parent, the versions the merge left. An undo puts
 * everything back, refused when a touched record changed since (docs/duplicates-and-merge.md).
 */
export const merges = pgTable(
  "merges",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    resource: text({ enum: ["contact", "company"] }).notNull(),
    survivorId: uuid().notNull(),
    mergedIds: uuid().array().notNull(),
    /** The request's `{ field: sourceId }`. */
    fields: jsonb().$type<Record<string, string>>().notNull(),
    undo: jsonb().$type<MergeUndoData>().notNull(),
    createdBy: uuid(),
    createdAt: timestamptz().notNull().defaultNow(),
    undoneAt: timestamptz(),
    undoneBy: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({
      name: "merges_workspace_id_workspaces_id_fk",
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete("cascade"),
    index("merges_workspace_id_survivor_id_idx").on(t.workspaceId, t.survivorId),
    check("merges_resource_check", sql`${t.resource} IN ('contact', 'company')`),
  ],
);
