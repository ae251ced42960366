import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import type { AuditActorType } from "../../../shared/schemas/audit.ts";
import { timestamptz, xid8 } from "../../db/columns.ts";

/**
 * The audit log: append-only (the database refuses UPDATE, DELETE and TRUNCATE to the app role,
 * and a trigger to everyone but the table's owner), partitioned by month of `occurred_at`
 * (migration 0013). A sealer appends each row to its workspace's hash chain after the writing
 * transaction committed: `chain_seq` and `hash` are the only values ever set after the insert.
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
    /** The writing transaction (xid8): the sealer only takes rows whose transaction has ended. */
    xactId: xid8()
      .notNull()
      .default(sql`pg_current_xact_id()`),
    chainSeq: bigint({ mode: "number" }),
    hash: text(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.occurredAt, t.id] }),
    index("audit_logs_resource_idx").on(t.workspaceId, t.resourceType, t.resourceId, t.occurredAt, t.id),
    index("audit_logs_actor_idx").on(t.workspaceId, t.actorId, t.occurredAt, t.id),
    index("audit_logs_action_idx").on(t.workspaceId, t.action, t.occurredAt, t.id),
    index("audit_logs_chain_idx").on(t.workspaceId, t.chainSeq),
    index("audit_logs_unsealed_idx")
      .on(t.occurredAt)
      .where(sql`hash is null`),
  ],
);

/** The end of each workspace's hash chain, kept by the sealer (the owner role only). */
export const auditChainHeads = pgTable("audit_chain_heads", {
  workspaceId: uuid().primaryKey(),
  chainSeq: bigint({ mode: "number" }).notNull(),
  hash: text().notNull(),
  sealedAt: timestamptz().notNull().defaultNow(),
});
