import { useParams } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { useRecord } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { formatDate, formatMoney } from "../../lib/format.ts";
import { useCan } from "../auth/session.ts";
import { DeletedNotice, DeleteRecordButton } from "../records/DeleteRecordButton.tsx";
import { RecordPage, RecordPageError, RecordPageSkeleton } from "../records/RecordPage.tsx";
import { followUpTabs } from "../records/record-tabs.tsx";
import { DealDetails } from "./DealDetails.tsx";
import { DealForm } from "./DealForm.tsx";
import { DealStatusBadge } from "./DealStatusBadge.tsx";
import { dealIncludes, type DealRow } from "./deals.api.ts";

/** A deal: its fields edited in place, stage, related records, timeline, tasks and history. */
export function DealPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: "/app/deals/$id" });
  const query = useRecord<DealRow>("deals", id, dealIncludes);
  const can = useCan();
  const [isEditing, setEditing] = useState(false);
  if (query.isPending) return <RecordPageSkeleton />;
  if (query.isError)
    return <RecordPageError collection="deals" error={query.error} onRetry={() => void query.refetch()} />;
  const deal = query.data;
  const canEdit = can("update", "deal", { ownerId: deal.ownerId }) && !deal.deletedAt;
  const link = { field: "dealId", id: deal.id } as const;

  return (
    <>
      <RecordPage
        title={deal.name}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <DealStatusBadge status={deal.status} />
            <span>{formatMoney(deal.value, deal.currency)}</span>
            {deal.stage && <span>· {deal.stage.name}</span>}
          </span>
        }
        actions={
          <>
            {canEdit && <Button onClick={() => setEditing(true)}>{t("common.edit")}</Button>}
            {!deal.deletedAt && (
              <DeleteRecordButton collection="deals" id={deal.id} name={deal.name} listPath="/deals" />
            )}
          </>
        }
        notice={
          deal.deletedAt ? (
            <DeletedNotice collection="deals" id={deal.id} />
          ) : deal.status !== "open" ? (
            <p
              role="status"
              className={`rounded-md p-3 ${deal.status === "won" ? "bg-green-50 text-green-900 dark:bg-green-950 dark:text-green-100" : "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100"}`}
            >
              {deal.status === "won"
                ? t("deals.page.closedWon", { date: formatDate(deal.actualCloseDate) })
                : t("deals.page.closedLost", { date: formatDate(deal.actualCloseDate) })}
            </p>
          ) : undefined
        }
        tabs={[
          { key: "details", label: t("deals.page.details"), content: <DealDetails deal={deal} canEdit={canEdit} /> },
          ...followUpTabs(link, deal),
        ]}
      />
      <Dialog open={isEditing} onOpenChange={setEditing} title={t("deals.page.edit")} wide>
        <DealForm
          deal={deal}
          onCancel={() => setEditing(false)}
          onDone={(saved) => {
            setEditing(false);
            toast.success(t("deals.page.saved", { name: saved.name }));
          }}
        />
      </Dialog>
    </>
  );
}
