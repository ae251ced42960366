import { sql } from "drizzle-orm";
import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "../../db/columns.ts";

/**
 * A message for one member in the app (the bell), often also e-mailed. `dedupeKey` makes a
 * notification happen once however many workers try (a task's reminder, a day's overdue notice).
 */
export const notifications = pgTable(
  "notifications",
  {
    workspaceId: uuid().notNull(),
    id: uuid().notNull(),
    userId: uuid().notNull(),
    type: text().notNull(),
    title: text().notNull(),
    body: text(),
    resourceType: text(),
    resourceId: uuid(),
    dedupeKey: text(),
    createdAt: timestamptz().notNull().defaultNow(),
    readAt: timestamptz(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("notifications_user_idx").on(t.workspaceId, t.userId, t.id),
    index("notifications_unread_idx")
      .on(t.workspaceId, t.userId)
      .where(sql`read_at is null`),
    uniqueIndex("notifications_dedupe_idx").on(t.workspaceId, t.userId, t.dedupeKey),
  ],
);
