import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { Activity } from "../../../shared/schemas/activity.ts";
import { useDeleteRecord, useRestoreRecord } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { toastWithUndoOfDelete } from "../../lib/undo.ts";
import { useCan } from "../auth/session.ts";
import { formatDuration, useTypeLabel } from "./activity-types.ts";
import { ActivityBody } from "./ActivityBody.tsx";
import { ActivityTypeIcon } from "./ActivityTypeIcon.tsx";
import { MemberName } from "./MemberName.tsx";

/**
 * One entry of a timeline: what happened, when, how long, with what outcome, and its notes.
 * `isReadOnly` (a deleted record's timeline) leaves out its Delete.
 */
export function ActivityItem({ activity, isReadOnly = false }: { activity: Wire<Activity>; isReadOnly?: boolean }) {
  const { t } = useTranslation();
  const can = useCan();
  const [isConfirming, setConfirming] = useState(false);
  const remove = useDeleteRecord("activities");
  const restore = useRestoreRecord("activities");
  const canDelete = !isReadOnly && can("delete", "activity", { ownerId: activity.createdBy });
  const duration = formatDuration(activity.durationMinutes);
  const typeLabel = useTypeLabel()(activity.type);
  // A note may have no subject: it is then named by the start of its text.
  const title = activity.subject || excerptOf(activity.body) || typeLabel;

  return (
    <li className="flex gap-3 border-b border-slate-100 py-3 last:border-b-0 dark:border-slate-800">
      <ActivityTypeIcon type={activity.type} />
      <article className="flex min-w-0 flex-1 flex-col gap-1" aria-label={`${typeLabel}: ${title}`}>
        <header className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
          <h3 className="min-w-0 font-medium break-words">
            <span className="text-slate-600 dark:text-slate-400">{typeLabel} · </span>
            {title}
          </h3>
          {canDelete && (
            <Button
              size="sm"
              variant="ghost"
              aria-label={t("activities.item.deleteLabel", { type: typeLabel, title })}
              onClick={() => setConfirming(true)}
            >
              {t("common.delete")}
            </Button>
          )}
        </header>
        <p className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-600 dark:text-slate-400">
          <time dateTime={activity.occurredAt}>{formatDateTime(activity.occurredAt)}</time>
          {activity.direction && <span>{labelOf(activity.direction)}</span>}
          {duration && <span>{t("activities.item.duration", { duration })}</span>}
          {activity.outcome && <span>{t("activities.item.outcome", { outcome: activity.outcome })}</span>}
          <span>
            <Trans
              i18nKey="activities.item.by"
              components={{
                name: <MemberName id={activity.createdBy} fallback={t("activities.item.someone")} />,
              }}
            />
          </span>
        </p>
        {activity.body && <ActivityBody text={activity.body} />}
      </article>
      <ConfirmDialog
        open={isConfirming}
        onOpenChange={setConfirming}
        title={t("activities.item.confirmTitle", { title })}
        description={t("activities.item.confirmDescription")}
        confirmLabel={t("common.delete")}
        isPending={remove.isPending}
        onConfirm={() =>
          remove.mutate(activity.id, {
            onSuccess: () => {
              setConfirming(false);
              toastWithUndoOfDelete(t("activities.item.deleted", { title }), activity.id, () =>
                restore.mutateAsync(activity.id),
              );
            },
          })
        }
      />
    </li>
  );
}

/** The first words of a body, for a note without a subject. */
function excerptOf(body: string | null): string {
  const firstLine = body?.trim().split("\n")[0] ?? "";
  return firstLine.length > 60 ? `${firstLine.slice(0, 59)}…` : firstLine;
}
