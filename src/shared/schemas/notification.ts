import { z } from "zod";
import { IdSchema, pageSizeQuery } from "./common.ts";

/**
 * What a notification is about: a task's reminder time came (`task.reminder`, also e-mailed), or
 * an open task assigned to the member is past due (`task.overdue`, once a day).
 */
export const notificationTypes = ["task.reminder", "task.overdue"] as const;
export type NotificationType = (typeof notificationTypes)[number];

/** A message for one member (the bell): their own only. */
export const NotificationSchema = z.object({
  id: IdSchema,
  type: z.enum(notificationTypes),
  title: z.string(),
  body: z.string().nullable(),
  resourceType: z.string().nullable().describe("The kind of record it is about (`task`), if any"),
  resourceId: IdSchema.nullable(),
  createdAt: z.date(),
  readAt: z.date().nullable().describe("When the member marked it read; null while unread"),
});
export type Notification = z.infer<typeof NotificationSchema>;

/** Paging of the caller's notifications: newest first, by cursor, optionally the unread ones only. */
export const ListNotificationsQuerySchema = z.strictObject({
  unread: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional()
    .describe("`true`: only notifications not read yet"),
  limit: pageSizeQuery(100, 20),
  cursor: z.string().max(200).optional().describe("The nextCursor of the previous page."),
});
export type ListNotificationsQuery = z.infer<typeof ListNotificationsQuerySchema>;

/** A page of the caller's notifications, with how many of all of theirs are unread (for the bell). */
export const NotificationPageSchema = z.object({
  data: z.array(NotificationSchema),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int().describe("The caller's unread notifications in the workspace, all pages"),
});
export type NotificationPage = z.infer<typeof NotificationPageSchema>;

/** The answer of marking every notification read. */
export const MarkAllReadSchema = z.object({ updated: z.number().int().describe("How many were unread") });
