import { useId, useMemo, useState } from "react";
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
const rolledUp: Partial<Record<RecordLink["field"], string>> = {
  companyId: "With the activities of its contacts and deals.",
  dealId: "With the activities of its contact.",
};

/** A record's activities, newest first, a page at a time, with "Log activity". */
export function Timeline({ link }: { link: RecordLink }) {
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
  const canLog = can("create", "activity");
  const logButton = canLog && (
    <Button variant="primary" size="sm" onClick={() => setLogging(true)}>
      Log activity
    </Button>
  );

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 id={headingId} className="text-lg font-semibold">
            Timeline
          </h2>
          {rolledUp[link.field] && <p className="text-sm text-slate-600 dark:text-slate-400">{rolledUp[link.field]}</p>}
        </div>
        {logButton}
      </div>
      {pages.isPending ? (
        <SkeletonRows rows={4} />
      ) : pages.isError ? (
        <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />
      ) : activities.length === 0 ? (
        <EmptyState title="No activities yet.">
          {canLog && <p>Log a call, e-mail, meeting or note to start the timeline.</p>}
        </EmptyState>
      ) : (
        <>
          <ol className="flex flex-col" aria-label="Activities, newest first">
            {activities.map((activity) => (
              <ActivityItem key={activity.id} activity={activity} />
            ))}
          </ol>
          {pages.hasNextPage && (
            <Button
              className="self-center"
              onClick={() => void pages.fetchNextPage()}
              disabled={pages.isFetchingNextPage}
            >
              {pages.isFetchingNextPage ? "Loading…" : "Load more"}
            </Button>
          )}
        </>
      )}
      {canLog && <LogActivityDialog link={link} open={isLogging} onOpenChange={setLogging} />}
    </section>
  );
}
