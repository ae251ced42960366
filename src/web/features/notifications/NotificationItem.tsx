import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { targetOf, useMarkNotificationRead, type NotificationRow } from "./notifications.api.ts";

type NotificationItemProps = {
  notification: NotificationRow;
  /** Called when the member follows the link (the popover closes). */
  onOpen: () => void;
};

/** One notification of the bell: its title linking to the record, its time, and "Mark read" while unread. */
export function NotificationItem({ notification, onOpen }: NotificationItemProps) {
  const { t } = useTranslation();
  const markRead = useMarkNotificationRead();
  const isUnread = notification.readAt === null;
  const target = targetOf(notification);
  const open = () => {
    if (isUnread) markRead.mutate(notification.id);
    onOpen();
  };
  const titleClass = `text-sm ${isUnread ? "font-semibold" : ""}`;

  return (
    <li className="flex items-start gap-2 border-b border-slate-100 px-3 py-2 last:border-b-0 dark:border-slate-800">
      <span
        aria-hidden="true"
        className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${isUnread ? "bg-accent-600 dark:bg-sky-400" : "bg-transparent"}`}
      />
      <div className="flex min-w-0 flex-1 flex-col">
        {target ? (
          <Link {...target} onClick={open} className={`${titleClass} text-accent-700 underline dark:text-sky-300`}>
            {notification.title}
          </Link>
        ) : (
          <span className={titleClass}>{notification.title}</span>
        )}
        {isUnread && <span className="sr-only">{t("notifications.item.unread")}</span>}
        {notification.body && <span className="text-sm text-slate-700 dark:text-slate-300">{notification.body}</span>}
        <time dateTime={notification.createdAt} className="text-xs text-slate-600 dark:text-slate-400">
          {formatDateTime(notification.createdAt)}
        </time>
      </div>
      {isUnread && (
        <Button
          size="sm"
          variant="ghost"
          aria-label={t("notifications.item.markReadLabel", { title: notification.title })}
          disabled={markRead.isPending}
          onClick={() => markRead.mutate(notification.id)}
        >
          {t("notifications.item.markRead")}
        </Button>
      )}
    </li>
  );
}
