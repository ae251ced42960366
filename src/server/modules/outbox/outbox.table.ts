import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";

/** Domain events written in the same transaction as the change they describe (outbox pattern). */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    type: text().notNull(),
    resourceType: text().notNull(),
    resourceId: uuid().notNull(),
    actorId: uuid(),
    payload: jsonb().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    publishedAt: timestamptz(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("outbox_events_unpublished_idx")
      .on(t.createdAt)
      .where(sql`published_at is null`),
  ],
);
