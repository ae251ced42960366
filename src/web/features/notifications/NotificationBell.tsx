import { Popover } from "radix-ui";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button.tsx";
import { NotificationItem } from "./NotificationItem.tsx";
import { useMarkAllNotificationsRead, useNotifications } from "./notifications.api.ts";

/** The bell in the top bar: how many notifications are unread, and a popover listing the newest. */
export function NotificationBell() {
  const { t } = useTranslation();
  const notifications = useNotifications();
  const markAllRead = useMarkAllNotificationsRead();
  const [isOpen, setOpen] = useState(false);
  const unread = notifications.data?.unreadCount ?? 0;
  const label = unread > 0 ? t("notifications.bell.unread", { count: unread }) : t("notifications.bell.title");

  return (
    <Popover.Root open={isOpen} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <Button variant="ghost" aria-label={label} className="relative">
          <BellIcon />
          {unread > 0 && (
            <span
              aria-hidden="true"
              className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs leading-5 text-white"
            >
              {unread > 99 ? "99+" : unread}
            </span>
          )}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={4}
          aria-label={t("notifications.bell.title")}
          className="z-40 flex max-h-[70vh] w-[min(24rem,calc(100vw-1rem))] flex-col rounded-md border border-slate-200 bg-white shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-700">
            <h2 className="font-semibold">{t("notifications.bell.title")}</h2>
            <Button size="sm" disabled={unread === 0 || markAllRead.isPending} onClick={() => markAllRead.mutate()}>
              {t("notifications.bell.markAllRead")}
            </Button>
          </div>
          {notifications.isPending ? (
            <p role="status" className="px-3 py-4 text-sm text-slate-600 dark:text-slate-300">
              {t("notifications.bell.loading")}
            </p>
          ) : notifications.isError ? (
            <p role="alert" className="px-3 py-4 text-sm text-red-700 dark:text-red-300">
              {t("notifications.bell.loadFailed")} {notifications.error.message}
            </p>
          ) : notifications.data.data.length === 0 ? (
            <p className="px-3 py-4 text-sm text-slate-600 dark:text-slate-300">{t("notifications.bell.empty")}</p>
          ) : (
            <ul aria-label={t("notifications.bell.newest")} className="overflow-y-auto">
              {notifications.data.data.map((notification) => (
                <NotificationItem key={notification.id} notification={notification} onOpen={() => setOpen(false)} />
              ))}
            </ul>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

function BellIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
