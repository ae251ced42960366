export { notificationsRoutes } from "./notifications.routes.ts";
export { notifyMembers, type NotifyContext } from "./notifications.service.ts";
export type { NewNotification } from "./notifications.repository.ts";
export { notifications } from "./notifications.table.ts";
