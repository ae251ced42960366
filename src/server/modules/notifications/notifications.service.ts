import type { ListNotificationsQuery, Notification, NotificationPage } from "../../../shared/schemas/notification.ts";
import type { Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { Actor, RequestContext, SystemActor } from "../../lib/context.ts";
import { newestFirstAfter } from "../../lib/cursor.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { enqueueEvent } from "../outbox/index.ts";
import {
  countUnread,
  insertNotifications,
  listNotificationRows,
  markAllRead,
  markRead,
  type NewNotification,
} from "./notifications.repository.ts";

/** Who notifies, in which workspace: Keel itself from a job, or a person's request. */
export type NotifyContext = { workspaceId: string; actor: Actor | SystemActor };

/**
 * Notifies members, in the caller's transaction: each notification whose dedupe key its member
 * does not have yet is stored with its `notification.created` event (which the live stream sends
 * to that member). Answers the notifications created; a repeated key creates nothing.
 */
export async function notifyMembers(
  tx: Transaction,
  ctx: NotifyContext,
  items: readonly NewNotification[],
): Promise<(Notification & { userId: string })[]> {
  const created = await insertNotifications(tx, ctx.workspaceId, items);
  for (const { userId, ...notification } of created) {
    await enqueueEvent(tx, ctx, {
      type: "notification.created",
      resourceId: notification.id,
      payload: { userId, notification },
    });
  }
  return created;
}

/** Notifications are a person's own: API keys, which act for an integration, have none. */
function assertPerson(ctx: RequestContext): string {
  if (ctx.actor.kind !== "user") throw new AppError("forbidden", "API keys have no notifications.");
  return ctx.actor.userId;
}

/** A page of the caller's notifications, newest first, with their unread count. */
export async function listNotifications(ctx: RequestContext, query: ListNotificationsQuery): Promise<NotificationPage> {
  const userId = assertPerson(ctx);
  assertAllowed(ctx, "read", "notification");
  const afterId = newestFirstAfter(query.cursor);
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const page = await listNotificationRows(tx, ctx.workspaceId, userId, {
      limit: query.limit,
      afterId,
      isUnreadOnly: query.unread === true,
    });
    return { ...page, unreadCount: await countUnread(tx, ctx.workspaceId, userId) };
  });
}

/** Marks one of the caller's notifications read (again: no change); 404 for anyone else's. */
export async function markNotificationRead(ctx: RequestContext, id: string): Promise<Notification> {
  const userId = assertPerson(ctx);
  assertAllowed(ctx, "update", "notification");
  const notification = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
    markRead(tx, ctx.workspaceId, userId, id),
  );
  if (!notification) throw notFound("notification");
  return notification;
}

/** Marks all of the caller's notifications read; answers how many were unread. */
export async function markAllNotificationsRead(ctx: RequestContext): Promise<{ updated: number }> {
  const userId = assertPerson(ctx);
  assertAllowed(ctx, "update", "notification");
  const updated = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) =>
    markAllRead(tx, ctx.workspaceId, userId),
  );
  return { updated };
}
