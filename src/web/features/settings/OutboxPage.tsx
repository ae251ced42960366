import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Dialog } from "../../components/Dialog.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useCan } from "../auth/session.ts";
import { useOutbox, type OutboxRow } from "./outbox.api.ts";

/** Settings → Mail outbox (admins): e-mail Keel kept instead of sending, while no SMTP server is set. */
export function OutboxPage() {
  const { t } = useTranslation();
  const can = useCan();
  const messages = useOutbox(can("read", "outbox"));
  const [open, setOpen] = useState<OutboxRow | null>(null);
  if (!can("read", "outbox"))
    return (
      <>
        <PageHeader title={t("settings.outbox.title")} />
        <EmptyState title={t("settings.outbox.onlyAdmins")} />
      </>
    );

  let body;
  if (messages.isPending) body = <SkeletonRows rows={4} />;
  else if (messages.isError) body = <ErrorMessage error={messages.error} onRetry={() => void messages.refetch()} />;
  else if (messages.data.length === 0)
    body = (
      <EmptyState title={t("settings.outbox.empty")}>
        <p className="max-w-md text-sm">{t("settings.outbox.emptyText")}</p>
      </EmptyState>
    );
  else
    body = (
      <ul
        aria-label={t("settings.outbox.listLabel")}
        className="flex flex-col divide-y divide-slate-200 dark:divide-slate-800"
      >
        {messages.data.map((message) => (
          <li key={message.id}>
            <button
              type="button"
              onClick={() => setOpen(message)}
              className="flex w-full flex-col gap-0.5 px-2 py-2 text-left text-sm hover:bg-slate-50 sm:flex-row sm:items-baseline sm:gap-3 dark:hover:bg-slate-900"
            >
              <span className="min-w-0 flex-1 font-medium break-words">{message.subject}</span>
              <span className="min-w-0 break-all text-slate-700 sm:w-56 dark:text-slate-300">{message.to}</span>
              <time dateTime={message.createdAt} className="shrink-0 text-slate-600 sm:w-40 dark:text-slate-400">
                {formatDateTime(message.createdAt)}
              </time>
            </button>
          </li>
        ))}
      </ul>
    );

  return (
    <>
      <PageHeader title={t("settings.outbox.title")} />
      <div className="flex max-w-4xl flex-col gap-4 p-4">
        <p className="text-sm text-slate-600 dark:text-slate-300">
          <Trans i18nKey="settings.outbox.intro" components={{ code: <code /> }} />
        </p>
        {body}
      </div>
      <Dialog open={open !== null} onOpenChange={(isOpen) => !isOpen && setOpen(null)} title={open?.subject ?? ""} wide>
        {open && (
          <div className="flex flex-col gap-3 text-sm">
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
              <dt className="text-slate-600 dark:text-slate-400">{t("settings.outbox.to")}</dt>
              <dd className="break-all">{open.to}</dd>
              <dt className="text-slate-600 dark:text-slate-400">{t("settings.outbox.kept")}</dt>
              <dd>{formatDateTime(open.createdAt)}</dd>
            </dl>
            {/* Focusable, so a keyboard can scroll a long message. */}
            <div
              role="region"
              aria-label={t("settings.outbox.messageText")}
              tabIndex={0}
              className="max-h-[60vh] overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 dark:border-slate-700 dark:bg-slate-950"
            >
              <pre className="font-sans break-words whitespace-pre-wrap">{open.text}</pre>
            </div>
          </div>
        )}
      </Dialog>
    </>
  );
}
