import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Notification, NotificationPage } from "../../../shared/schemas/notification.ts";
import { apiRequest } from "../../api/client.ts";
import type { ListFilter } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { recordRoutes } from "../activities/linked-records.ts";

export type NotificationRow = Wire<Notification>;

/** Every query of the caller's notifications starts with this key; live events refresh them all. */
export const notificationsKey = ["notifications"] as const;

/** How many of the newest notifications the bell lists. */
const bellSize = 20;

/** The newest notifications of the signed-in member and how many are unread. */
export function useNotifications() {
  return useQuery({
    queryKey: [...notificationsKey, bellSize],
    queryFn: ({ signal }) =>
      apiRequest<Wire<NotificationPage>>("/notifications", { query: { limit: bellSize }, signal }),
  });
}

export function useMarkNotificationRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<NotificationRow>(`/notifications/${id}/read`, { method: "POST" }),
    onSettled: () => client.invalidateQueries({ queryKey: notificationsKey }),
  });
}

export function useMarkAllNotificationsRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<{ updated: number }>("/notifications/read-all", { method: "POST" }),
    onSettled: () => client.invalidateQueries({ queryKey: notificationsKey }),
  });
}

/** Where a notification leads: the record's page, or for a task the task list showing that task. */
export type NotificationTarget =
  | { to: "/tasks"; search: { filters: ListFilter[] } }
  | { to: (typeof recordRoutes)[keyof typeof recordRoutes]; params: { id: string } };

export function targetOf(
  notification: Pick<NotificationRow, "resourceType" | "resourceId">,
): NotificationTarget | null {
  const { resourceType, resourceId } = notification;
  if (!resourceType || !resourceId) return null;
  if (resourceType === "task")
    return { to: "/tasks", search: { filters: [{ field: "id", op: "eq", value: resourceId }] } };
  if (resourceType in recordRoutes) {
    return { to: recordRoutes[resourceType as keyof typeof recordRoutes], params: { id: resourceId } };
  }
  return null;
}
