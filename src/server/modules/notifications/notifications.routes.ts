import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { IdParamsSchema } from "../../../shared/schemas/common.ts";
import {
  ListNotificationsQuerySchema,
  MarkAllReadSchema,
  NotificationPageSchema,
  NotificationSchema,
} from "../../../shared/schemas/notification.ts";
import { contextOf } from "../../http/authentication.ts";
import { problemResponses, readProblems } from "../../http/record-routes.ts";
import { listNotifications, markAllNotificationsRead, markNotificationRead } from "./notifications.service.ts";

const tags = ["Notifications"];
/** A person's own: API keys are refused (api-key-scopes.ts). */
const security = [{ session: [] }];

/** /notifications: the signed-in member's notifications in the active workspace (the bell). */
export const notificationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/notifications",
    {
      schema: {
        operationId: "listNotifications",
        tags,
        security,
        summary: "List my notifications, newest first, with how many are unread",
        description:
          "Only the caller's own, in the active workspace. `unread=true` lists the unread ones only; " +
          "`unreadCount` counts all of them, whatever the page.",
        querystring: ListNotificationsQuerySchema,
        response: { 200: NotificationPageSchema, ...readProblems },
      },
    },
    async (request) => listNotifications(contextOf(request), request.query),
  );

  app.post(
    "/notifications/read-all",
    {
      schema: {
        operationId: "markAllNotificationsRead",
        tags,
        security,
        summary: "Mark all my notifications read",
        response: { 200: MarkAllReadSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => markAllNotificationsRead(contextOf(request)),
  );

  app.post(
    "/notifications/:id/read",
    {
      schema: {
        operationId: "markNotificationRead",
        tags,
        security,
        summary: "Mark one of my notifications read",
        description: "Marking a read notification again keeps the time it was first read. 404 for anyone else's.",
        params: IdParamsSchema,
        response: { 200: NotificationSchema, ...readProblems },
      },
    },
    // UUIDs are case-insensitive; the database answers them in lower case.
    async (request) => markNotificationRead(contextOf(request), request.params.id.toLowerCase()),
  );
};
