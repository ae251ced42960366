import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import type { BulkRequest, RefusedRecord } from "../../../shared/schemas/bulk.ts";
import { timestamptz } from "../../db/columns.ts";

/**
 * One bulk action (records.bulk.ts): what was asked, how far it got and what it refused. Large
 * ones run as a job, chunk by chunk, each chunk committing its progress (`done`, `cursor`) here.
 */
export const bulkOperations = pgTable(
  "bulk_operations",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    /** The collection: contacts, deals… */
    resource: text().notNull(),
    action: text().notNull(),
    /** The request as validated (ids or filter, and the action's values): what the job runs. */
    request: jsonb().$type<BulkRequest>().notNull(),
    status: text({ enum: ["queued", "running", "completed", "failed", "undone"] }).notNull(),
    matched: integer().notNull().default(0),
    done: integer().notNull().default(0),
    updated: integer().notNull().default(0),
    refusedCount: integer().notNull().default(0),
    /** The first refused records, with their messages. */
    refused: jsonb().$type<RefusedRecord[]>().notNull().default([]),
    /** The last record id done: the next chunk starts after it (records are walked in id order). */
    cursor: uuid(),
    error: text(),
    actorType: text({ enum: ["user", "apiKey"] }).notNull(),
    /** The API key, for actorType apiKey; null for a user. */
    actorId: uuid(),
    /** The person acting (a key's creator). */
    createdBy: uuid(),
    createdAt: timestamptz().notNull().defaultNow(),
    finishedAt: timestamptz(),
    undoneAt: timestamptz(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("bulk_operations_list_idx").on(t.workspaceId, t.createdBy, t.id),
    index("bulk_operations_created_at_idx").on(t.createdAt),
  ],
);

/** A record a bulk operation changed: the values of the columns it changed, before, for undo. */
export const bulkOperationRecords = pgTable(
  "bulk_operation_records",
  {
    workspaceId: uuid().notNull(),
    operationId: uuid().notNull(),
    recordId: uuid().notNull(),
    /** `{ column property: value }` before the change (dates as ISO strings). */
    before: jsonb().$type<Record<string, unknown>>().notNull(),
    /** The record's version right after the change: any other version means someone changed it since. */
    versionAfter: integer().notNull(),
  },
  (t) => [
    primaryKey({ name: "bulk_operation_records_pk", columns: [t.workspaceId, t.operationId, t.recordId] }),
    foreignKey({
      name: "bulk_operation_records_operation_fk",
      columns: [t.workspaceId, t.operationId],
      foreignColumns: [bulkOperations.workspaceId, bulkOperations.id],
    }).onDelete("cascade"),
  ],
);
