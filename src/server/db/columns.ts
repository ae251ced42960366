import { sql } from "drizzle-orm";
import { customType, integer, jsonb, timestamp, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { ListField } from "./listing.ts";

/** A timestamp with time zone read as a JS Date. */
export const timestamptz = (name?: string) =>
  name ? timestamp(name, { withTimezone: true }) : timestamp({ withTimezone: true });

/**
 * A record's last activity as a sort key and index expression: never null, the records without
 * one at the far end (last when newest come first, first when the oldest do: those are the ones
 * nobody has been in touch with). Table indexes and list specs use this same expression.
 */
export const lastActivityOrder = (column: AnyPgColumn) => sql`coalesce(${column}, '-infinity'::timestamptz)`;

/** A record's `lastActivityAt` as a list field: filtered as a timestamp, sorted by lastActivityOrder. */
export const lastActivityField = (column: AnyPgColumn): ListField => ({
  column,
  type: "timestamp",
  sortable: true,
  sortBy: { expression: lastActivityOrder(column), type: "timestamptz" },
});

/** A PostgreSQL tsvector, written only by generated columns. */
export const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * A transaction id (xid8, as text). Rows written for later processing (outbox, audit) carry the
 * id of their transaction, so a reader can wait until every transaction that could still add an
 * earlier row has ended (`xact_id < pg_snapshot_xmin(pg_current_snapshot())`).
 */
export const xid8 = customType<{ data: string }>({ dataType: () => "xid8" });

/** Columns every business record has: tenancy, identity, versioning and soft delete. */
export function recordColumns() {
  return {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    version: integer().notNull().default(1),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
    createdBy: uuid(),
    deletedAt: timestamptz(),
  };
}

/** Custom field values, validated against the workspace's definitions. */
export const customColumn = () => jsonb().$type<Record<string, unknown>>().notNull().default({});

/** Tags as a text array, searchable with a GIN index. */
export const tagsDefault = sql`'{}'::text[]`;
