import { sql } from "drizzle-orm";
import { bigint, boolean, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { AuditActorType } from "../../../shared/schemas/audit.ts";
import { timestamptz, xid8 } from "../../db/columns.ts";

/**
 * The audit log: append-only (the database refuses UPDATE, DELETE and TRUNCATE to the app role,
 * and a trigger to everyone but the table's owner), partitioned by month of `occurred_at`
 * (migration 0013). A row is never written again: the sealer chains it in `audit_seals`.
 */
export const auditLogs = pgTable(
  "audit_logs",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    occurredAt: timestamptz().notNull().defaultNow(),
    actorType: text().$type<AuditActorType>().notNull(),
    actorId: uuid(),
    onBehalfOf: uuid(),
    action: text().notNull(),
    resourceType: text(),
    resourceId: uuid(),
    changes: jsonb().$type<Record<string, [unknown, unknown]>>(),
    details: jsonb().$type<Record<string, unknown>>(),
    ipAddress: text(),
    userAgent: text(),
    requestId: text(),
    /**
     * The writing transaction (xid8). Every transaction below the oldest one running has ended, so
     * the sealer takes rows in (xact_id, occurred_at, id) order up to there, and none can appear
     * behind it later.
     */
    xactId: xid8()
      .notNull()
      .default(sql`pg_current_xact_id()`),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.occurredAt, t.id] }),
    index("audit_logs_resource_idx").on(t.workspaceId, t.resourceType, t.resourceId, t.occurredAt, t.id),
    index("audit_logs_actor_idx").on(t.workspaceId, t.actorId, t.occurredAt, t.id),
    index("audit_logs_action_idx").on(t.workspaceId, t.action, t.occurredAt, t.id),
    // The sealer's order: new rows land at its end (transaction ids only grow).
    index("audit_logs_seal_order_idx").on(t.xactId, t.occurredAt, t.id),
  ],
);

/**
 * Each workspace's hash chain: entry `chain_seq` of a workspace is the audit row
 * (occurred_at, entry_id), and `hash` covers that row's content and the previous entry's hash.
 * Inserted by the sealer (the owner role) and never changed; a row is sealed at most once.
 */
export const auditSeals = pgTable(
  "audit_seals",
  {
    workspaceId: uuid().notNull(),
    chainSeq: bigint({ mode: "number" }).notNull(),
    occurredAt: timestamptz().notNull(),
    entryId: uuid().notNull(),
    hash: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.chainSeq] }),
    uniqueIndex("audit_seals_entry_idx").on(t.workspaceId, t.occurredAt, t.entryId),
  ],
);

/** How far the sealer has read the audit log, in its (xact_id, occurred_at, id) order: one row. */
export const auditSealProgress = pgTable("audit_seal_progress", {
  singleton: boolean().primaryKey().default(true),
  xactId: xid8().notNull(),
  occurredAt: timestamptz().notNull(),
  entryId: uuid().notNull(),
});

/** The end of each workspace's hash chain, kept by the sealer (the owner role only). */
export const auditChainHeads = pgTable("audit_chain_heads", {
  workspaceId: uuid().primaryKey(),
  chainSeq: bigint({ mode: "number" }).notNull(),
  hash: text().notNull(),
  sealedAt: timestamptz().notNull().defaultNow(),
});
