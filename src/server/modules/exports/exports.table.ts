import {
  bigint,
  boolean,
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
import { timestamptz } from "../../db/columns.ts";
import { memberReference } from "../users/users.table.ts";

/** Raw bytes (a slice of an export file), read back as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const exportFileStatuses = ["queued", "running", "completed", "failed"] as const;

/**
 * An export run as a job (more than 50,000 rows): what was asked, how far it is, and until when
 * its file may be downloaded. The file itself is in export_file_chunks; both are deleted once
 * `expires_at` passes (exports.jobs.ts), so personal data does not linger.
 */
export const exportFiles = pgTable(
  "export_files",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    resource: text().notNull(),
    format: text().notNull(),
    /** The list parameters (filters, q, sort), as GET /<resource>/export takes them. */
    parameters: jsonb().$type<Record<string, string>>().notNull().default({}),
    columns: text(),
    bom: boolean().notNull().default(true),
    status: text({ enum: exportFileStatuses }).notNull().default("queued"),
    rowsTotal: integer(),
    rowsDone: integer().notNull().default(0),
    /** The file's size as downloaded. */
    sizeBytes: bigint({ mode: "number" }).notNull().default(0),
    /** How its slices are stored: text formats gzip-compressed, XLSX (already zipped) as is. */
    contentEncoding: text({ enum: ["identity", "gzip"] })
      .notNull()
      .default("identity"),
    /** The stored (compressed) size: the Content-Length of a download sent compressed. */
    storedBytes: bigint({ mode: "number" }).notNull().default(0),
    fileName: text().notNull(),
    errorSummary: text(),
    createdBy: uuid().notNull(),
    /** Set when an API key asked for it: the job then acts as that key did. */
    apiKeyId: uuid(),
    createdAt: timestamptz().notNull().defaultNow(),
    startedAt: timestamptz(),
    finishedAt: timestamptz(),
    expiresAt: timestamptz().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    memberReference("export_files_created_by_fk", t.workspaceId, t.createdBy),
    // The pruning job finds expired files across workspaces.
    index("export_files_expires_at_idx").on(t.expiresAt),
  ],
);

/**
 * An export's file, in slices of 1 MiB, in order (of the compressed stream when the export's
 * `content_encoding` is gzip; stored without PostgreSQL's own compression, migration 0037).
 */
export const exportFileChunks = pgTable(
  "export_file_chunks",
  {
    workspaceId: uuid().notNull(),
    exportId: uuid().notNull(),
    seq: integer().notNull(),
    bytes: bytea().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.exportId, t.seq] }),
    foreignKey({
      name: "export_file_chunks_export_fk",
      columns: [t.workspaceId, t.exportId],
      foreignColumns: [exportFiles.workspaceId, exportFiles.id],
    }).onDelete("cascade"),
  ],
);
