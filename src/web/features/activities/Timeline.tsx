import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Activity } from "../../../shared/schemas/activity.ts";
import { useRecordPages, type ListParams } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { Button } from "../../components/Button.tsx";
import { EmptyState, ErrorMessage, SkeletonRows } from "../../components/Feedback.tsx";
import { useCan } from "../auth/session.ts";
import { ActivityItem } from "./ActivityItem.tsx";
import { LogActivityDialog } from "./LogActivityDialog.tsx";

/** The record a timeline or task panel belongs to: activities and tasks link to these four. */
export type RecordLink = { field: "contactId" | "companyId" | "leadId" | "dealId"; id: string };

const pageSize = 20;

/**
 * The filter of a record's timeline: a company's rolls up its contacts' and deals' activities, a
 * deal's its contact's (the API's `aboutCompanyId` and `aboutDealId`).
 */
const timelineFilter: Record<RecordLink["field"], string> = {
  contactId: "contactId",
  leadId: "leadId",
  companyId: "aboutCompanyId",
  dealId: "aboutDealId",
};

/**
 * A record's activities, newest first, a page at a time, with "Log activity". A deleted record's
 * timeline is read-only: nothing is logged on it or deleted from it until it is restored.
 */
export function Timeline({ link, isRecordDeleted = false }: { link: RecordLink; isRecordDeleted?: boolean }) {
  const { t } = useTranslation();
  const can = useCan();
  const headingId = useId();
  const [isLogging, setLogging] = useState(false);
  const params = useMemo<ListParams>(
    () => ({
      filters: [{ field: timelineFilter[link.field], op: "eq", value: link.id }],
      sort: "-occurredAt",
      limit: pageSize,
    }),
    [link.field, link.id],
  );
  const pages = useRecordPages<Wire<Activity>>("activities", params);
  const activities = pages.data?.pages.flatMap((page) => page.data) ?? [];
  const canLog = can("create", "activity") && !isRecordDeleted;
  // A company's timeline rolls up its contacts' and deals' activities, a deal's its contact's.
  const rolledUp =
    link.field === "companyId"
      ? t("activities.timeline.rolledUpCompany")
      : link.field === "dealId"
        ? t("activities.timeline.rolledUpDeal")
        : null;
  const logButton = canLog ? (
    <Button variant="primary" size="sm" onClick={() => setLogging(true)}>
      {t("activities.timeline.logActivity")}
    </Button>
  ) : (
    isRecordDeleted &&
    can("create", "activity") && (
      <p className="text-sm text-slate-600 dark:text-slate-400">{t("activities.timeline.restoreToLog")}</p>
    )
  );

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 id={headingId} className="text-lg font-semibold">
            {t("activities.timeline.title")}
          </h2>
          {rolledUp && <p className="text-sm text-slate-600 dark:text-slate-400">{rolledUp}</p>}
        </div>
        {logButton}
      </div>
      {pages.isPending ? (
        <SkeletonRows rows={4} />
      ) : pages.isError ? (
        <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />
      ) : activities.length === 0 ? (
        <EmptyState title={t("activities.timeline.empty")}>
          {canLog && <p>{t("activities.timeline.emptyHint")}</p>}
        </EmptyState>
      ) : (
        <>
          <ol className="flex flex-col" aria-label={t("activities.timeline.listLabel")}>
            {activities.map((activity) => (
              <ActivityItem key={activity.id} activity={activity} isReadOnly={isRecordDeleted} />
            ))}
          </ol>
          {pages.hasNextPage && (
            <Button
              className="self-center"
              onClick={() => void pages.fetchNextPage()}
              disabled={pages.isFetchingNextPage}
            >
              {pages.isFetchingNextPage ? t("common.loading") : t("common.loadMore")}
            </Button>
          )}
        </>
      )}
      {canLog && <LogActivityDialog link={link} open={isLogging} onOpenChange={setLogging} />}
    </section>
  );
}
