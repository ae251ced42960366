import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Skeleton } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useMembers } from "../users/users.api.ts";
import { isLeadStatus, leadStatusLabel } from "./lead-status.ts";
import { useLeadStatusHistory } from "./leads.api.ts";

const label = (status: string | null) => (status && isLeadStatus(status) ? leadStatusLabel(status) : "—");

/** Every status a lead went through, oldest first, with who moved it and why it was lost. */
export function LeadStatusHistory({ leadId }: { leadId: string }) {
  const { t } = useTranslation();
  const headingId = useId();
  const history = useLeadStatusHistory(leadId);
  const members = useMembers().data ?? [];
  const nameOf = (id: string | null) => members.find((m) => m.id === id)?.name ?? t("leads.history.someone");
  return (
    <section aria-labelledby={headingId} className="mt-4">
      <h2 id={headingId} className="mb-2 text-base font-semibold">
        {t("leads.history.title")}
      </h2>
      {history.isPending ? (
        <Skeleton className="h-16 w-full" />
      ) : history.isError ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-200">
          {t("leads.history.loadFailed")}{" "}
          <button type="button" className="underline" onClick={() => void history.refetch()}>
            {t("common.retry")}
          </button>
        </p>
      ) : (
        <ol className="flex flex-col gap-1.5 border-l-2 border-slate-200 pl-3 text-sm dark:border-slate-700">
          {history.data.map((change) => (
            <li key={change.id}>
              <span className="font-medium">
                {change.fromStatus
                  ? `${label(change.fromStatus)} → ${label(change.toStatus)}`
                  : t("leads.history.createdAs", { status: label(change.toStatus).toLowerCase() })}
              </span>{" "}
              <span className="text-slate-600 dark:text-slate-300">
                {t("leads.history.by", { name: nameOf(change.changedBy), date: formatDateTime(change.changedAt) })}
              </span>
              {change.reason && (
                <p className="text-slate-700 dark:text-slate-200">
                  {t("leads.history.reason", { reason: change.reason })}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
