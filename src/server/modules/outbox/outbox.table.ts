import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, primaryKey, smallint, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz, xid8 } from "../../db/columns.ts";

/** Domain events written in the same transaction as the change they describe (outbox pattern). */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    /** Commit-independent order of the events (the relay publishes a workspace's events by it). */
    seq: bigint({ mode: "number" }).generatedAlwaysAsIdentity(),
    type: text().notNull(),
    version: smallint().notNull().default(1),
    resourceType: text().notNull(),
    resourceId: uuid().notNull(),
    actorId: uuid(),
    payload: jsonb().notNull(),
    xactId: xid8()
      .notNull()
      .default(sql`pg_current_xact_id()`),
    createdAt: timestamptz().notNull().defaultNow(),
    publishedAt: timestamptz(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("outbox_events_unpublished_idx")
      .on(t.seq)
      .where(sql`published_at is null`),
    // The relay walks the workspaces with unpublished events and takes each one's oldest (fairness).
    index("outbox_events_unpublished_by_workspace_idx")
      .on(t.workspaceId, t.seq)
      .where(sql`published_at is null`),
    index("outbox_events_published_at_idx")
      .on(t.publishedAt)
      .where(sql`published_at is not null`),
  ],
);
