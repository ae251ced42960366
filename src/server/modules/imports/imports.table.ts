import { sql } from "drizzle-orm";
import {
  bigint,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import type { DryRun } from "../../../shared/schemas/import.ts";
import { timestamptz } from "../../db/columns.ts";
import { memberReference } from "../users/users.table.ts";

/** Raw bytes (a slice of an uploaded file), read back as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const importStatuses = [
  "uploaded",
  "validating",
  "running",
  "completed",
  "failed",
  "cancelled",
  "undone",
] as const;

/**
 * One uploaded file and what became of it. The file itself is in import_chunks (in the database,
 * so a worker on another host reads it and backups cover it); `rows_done` is the position the
 * running (or validating) job has committed, from which a retried job continues.
 */
export const imports = pgTable(
  "imports",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    resource: text().notNull(),
    status: text({ enum: importStatuses }).notNull().default("uploaded"),
    fileName: text().notNull(),
    sizeBytes: bigint({ mode: "number" }).notNull().default(0),
    format: text({ enum: ["csv", "xlsx"] }).notNull(),
    delimiter: text(),
    encoding: text(),
    columns: jsonb().$type<string[]>().notNull().default([]),
    mapping: jsonb().$type<Record<string, string | null>>().notNull().default({}),
    onDuplicate: text({ enum: ["skip", "update", "create"] })
      .notNull()
      .default("skip"),
    options: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    rowsTotal: integer().notNull().default(0),
    rowsDone: integer().notNull().default(0),
    createdCount: integer().notNull().default(0),
    updatedCount: integer().notNull().default(0),
    skippedCount: integer().notNull().default(0),
    failedCount: integer().notNull().default(0),
    /**
     * The dry run's counts: while it validates (`status` validating), those of the rows checked so
     * far; after it, the whole file's, until the mapping changes.
     */
    dryRun: jsonb().$type<DryRun | null>(),
    createdBy: uuid().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
    /** When the run started (the saved mappings are those of started imports). */
    startedAt: timestamptz(),
    /** When the current or last dry run started: its rate, and which dry run a job's batch belongs to. */
    dryRunStartedAt: timestamptz(),
    finishedAt: timestamptz(),
    errorSummary: text(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    memberReference("imports_created_by_fk", t.workspaceId, t.createdBy),
    // History: newest first by id (UUIDv7) on the primary key; agents see their own.
    index("imports_workspace_id_created_by_id_idx").on(t.workspaceId, t.createdBy, t.id),
    // Saved mappings: the last started imports of a resource.
    index("imports_workspace_id_resource_started_at_idx")
      .on(t.workspaceId, t.resource, t.startedAt)
      .where(sql`started_at is not null`),
  ],
);

/** The uploaded file, in slices of at most 1 MiB, in order. */
export const importChunks = pgTable(
  "import_chunks",
  {
    workspaceId: uuid().notNull(),
    importId: uuid().notNull(),
    seq: integer().notNull(),
    bytes: bytea().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.importId, t.seq] }),
    foreignKey({
      name: "import_chunks_import_fk",
      columns: [t.workspaceId, t.importId],
      foreignColumns: [imports.workspaceId, imports.id],
    }).onDelete("cascade"),
  ],
);

/** A row the dry run or the import refused: its line in the file, the column, why, and the row. */
export const importRowErrors = pgTable(
  "import_row_errors",
  {
    workspaceId: uuid().notNull(),
    importId: uuid().notNull(),
    line: integer().notNull(),
    seq: integer().notNull(),
    column: text(),
    message: text().notNull(),
    raw: jsonb().$type<Record<string, string>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.importId, t.line, t.seq] }),
    foreignKey({
      name: "import_row_errors_import_fk",
      columns: [t.workspaceId, t.importId],
      foreignColumns: [imports.workspaceId, imports.id],
    }).onDelete("cascade"),
  ],
);

/** What an import wrote, so undo can remove what it created and restore what it updated. */
export const importRecords = pgTable(
  "import_records",
  {
    workspaceId: uuid().notNull(),
    importId: uuid().notNull(),
    recordId: uuid().notNull(),
    /** The record type (a contact import also creates the companies its rows name). */
    resource: text().notNull(),
    action: text({ enum: ["created", "updated"] }).notNull(),
    /** The updated fields' values before the import (updates only), as the update API takes them. */
    before: jsonb().$type<Record<string, unknown> | null>(),
    line: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.importId, t.resource, t.recordId] }),
    foreignKey({
      name: "import_records_import_fk",
      columns: [t.workspaceId, t.importId],
      foreignColumns: [imports.workspaceId, imports.id],
    }).onDelete("cascade"),
  ],
);
