import { and, count, desc, eq, isNull, lt, sql } from "drizzle-orm";
import type { Notification, NotificationType } from "../../../shared/schemas/notification.ts";
import type { Transaction } from "../../db/client.ts";
import { newestFirstPage } from "../../lib/cursor.ts";
import { newId } from "../../lib/ids.ts";
import { notifications } from "./notifications.table.ts";

type NotificationRow = typeof notifications.$inferSelect;

/** What a notification says and what it is about; `dedupeKey` makes it happen once per member. */
export type NewNotification = {
  userId: string;
  type: NotificationType;
  title: string;
  body: string | null;
  resourceType: string | null;
  resourceId: string | null;
  dedupeKey: string;
};

function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    type: row.type as NotificationType,
    title: row.title,
    body: row.body,
    resourceType: row.resourceType,
    resourceId: row.resourceId,
    createdAt: row.createdAt,
    readAt: row.readAt,
  };
}

/**
 * Inserts notifications, skipping those whose dedupe key the member already has (however many
 * workers try at once, the unique index lets one through). Answers the ones inserted.
 */
export async function insertNotifications(
  tx: Transaction,
  workspaceId: string,
  items: readonly NewNotification[],
): Promise<(Notification & { userId: string })[]> {
  if (items.length === 0) return [];
  const rows = await tx
    .insert(notifications)
    .values(items.map((item) => ({ ...item, workspaceId, id: newId() })))
    .onConflictDoNothing({ target: [notifications.workspaceId, notifications.userId, notifications.dedupeKey] })
    .returning();
  return rows.map((row) => ({ ...toNotification(row), userId: row.userId }));
}

/** One page of a member's notifications, newest first; the keyset is the id (UUIDv7). */
export async function listNotificationRows(
  tx: Transaction,
  workspaceId: string,
  userId: string,
  page: { limit: number; afterId: string | null; isUnreadOnly: boolean },
) {
  const rows = await tx
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.workspaceId, workspaceId),
        eq(notifications.userId, userId),
        page.isUnreadOnly ? isNull(notifications.readAt) : undefined,
        page.afterId ? lt(notifications.id, page.afterId) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(page.limit + 1);
  return newestFirstPage(rows.map(toNotification), page.limit);
}

/** How many of a member's notifications are unread (the partial index of unread ones serves it). */
export async function countUnread(tx: Transaction, workspaceId: string, userId: string): Promise<number> {
  const [row] = await tx
    .select({ count: count() })
    .from(notifications)
    .where(
      and(eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId), isNull(notifications.readAt)),
    );
  return row?.count ?? 0;
}

/** Marks one of a member's notifications read (a read one keeps its time); null when it is not theirs. */
export async function markRead(
  tx: Transaction,
  workspaceId: string,
  userId: string,
  id: string,
): Promise<Notification | null> {
  const [row] = await tx
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId), eq(notifications.id, id)))
    .returning();
  return row ? toNotification(row) : null;
}

/** Marks every unread notification of a member read; answers how many there were. */
export async function markAllRead(tx: Transaction, workspaceId: string, userId: string): Promise<number> {
  const rows = await tx
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId), isNull(notifications.readAt)),
    )
    .returning({ id: notifications.id });
  return rows.length;
}
