import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { viewResources, viewVisibilities, type ViewFilter } from "../../../shared/schemas/saved-view.ts";
import { timestamptz } from "../../db/columns.ts";
import { memberReference } from "../users/users.table.ts";

/**
 * A saved list view: filters, sort, columns (and their widths) and search of one list, private to its owner or
 * shared with the workspace. Preferences rather than records: versioned, but deleted for good.
 */
export const savedViews = pgTable(
  "saved_views",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    version: integer().notNull().default(1),
    name: text().notNull(),
    resource: text({ enum: viewResources }).notNull(),
    visibility: text({ enum: viewVisibilities }).notNull().default("private"),
    ownerId: uuid().notNull(),
    filters: jsonb().$type<ViewFilter[]>().notNull().default([]),
    sort: text(),
    columns: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    q: text(),
    /** Widths in pixels the user gave columns, by column key; a column not named keeps its default. */
    columnWidths: jsonb().$type<Record<string, number>>().notNull().default({}),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    memberReference("saved_views_owner_fk", t.workspaceId, t.ownerId),
    // One name per list among a user's own views, and among the views shared with everyone.
    uniqueIndex("saved_views_workspace_id_owner_id_resource_name_idx").on(
      t.workspaceId,
      t.ownerId,
      t.resource,
      sql`lower(${t.name})`,
    ),
    uniqueIndex("saved_views_workspace_id_resource_shared_name_idx")
      .on(t.workspaceId, t.resource, sql`lower(${t.name})`)
      .where(sql`visibility = 'shared'`),
    index("saved_views_workspace_id_name_id_idx").on(t.workspaceId, t.name, t.id),
    index("saved_views_workspace_id_updated_at_id_idx").on(t.workspaceId, t.updatedAt, t.id),
  ],
);
