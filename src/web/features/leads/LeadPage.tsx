import { Link, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { useRecord } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useCan } from "../auth/session.ts";
import { DeletedNotice, DeleteRecordButton } from "../records/DeleteRecordButton.tsx";
import { RecordPage, RecordPageError, RecordPageSkeleton } from "../records/RecordPage.tsx";
import { followUpTabs } from "../records/record-tabs.tsx";
import { ConvertLeadDialog } from "./ConvertLeadDialog.tsx";
import { LeadDetails } from "./LeadDetails.tsx";
import { LeadForm } from "./LeadForm.tsx";
import { leadValue } from "./leads.columns.tsx";
import { leadIncludes, type LeadRow } from "./leads.api.ts";
import { LeadStatusBadge } from "./LeadStatusBadge.tsx";
import { LeadStatusHistory } from "./LeadStatusHistory.tsx";
import { LeadStatusMenu } from "./LeadStatusMenu.tsx";

/** A lead: fields edited in place, status changes, conversion, status history, timeline and tasks. */
export function LeadPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: "/app/leads/$id" });
  const query = useRecord<LeadRow>("leads", id, leadIncludes);
  const can = useCan();
  const [isEditing, setEditing] = useState(false);
  const [isConverting, setConverting] = useState(false);
  if (query.isPending) return <RecordPageSkeleton />;
  if (query.isError)
    return <RecordPageError collection="leads" error={query.error} onRetry={() => void query.refetch()} />;
  const lead = query.data;
  const canEdit = can("update", "lead", { ownerId: lead.ownerId }) && !lead.deletedAt;
  const canConvert = canEdit && lead.status === "qualified" && can("create", "deal");
  const link = { field: "leadId", id: lead.id } as const;

  return (
    <>
      <RecordPage
        title={lead.title}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <LeadStatusBadge status={lead.status} />
            <span>{leadValue(lead)}</span>
            <span>{t("leads.page.score", { score: lead.score })}</span>
          </span>
        }
        actions={
          <>
            {canConvert && (
              <Button variant="primary" onClick={() => setConverting(true)}>
                {t("leads.page.convert")}
              </Button>
            )}
            {canEdit && <LeadStatusMenu lead={lead} />}
            {canEdit && <Button onClick={() => setEditing(true)}>{t("common.edit")}</Button>}
            {!lead.deletedAt && (
              <DeleteRecordButton collection="leads" id={lead.id} name={lead.title} listPath="/leads" />
            )}
          </>
        }
        notice={
          lead.deletedAt ? (
            <DeletedNotice collection="leads" id={lead.id} />
          ) : lead.status === "lost" ? (
            <p role="status" className="rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
              {lead.lostReason ? t("leads.page.lostWithReason", { reason: lead.lostReason }) : t("leads.page.lost")}
            </p>
          ) : lead.status === "converted" ? (
            <p
              role="status"
              className="rounded-md bg-green-50 p-3 text-green-900 dark:bg-green-950 dark:text-green-100"
            >
              {t("leads.page.converted", { date: formatDateTime(lead.convertedAt) })}{" "}
              {lead.dealId && (
                <Link to="/deals/$id" params={{ id: lead.dealId }} className="font-medium underline">
                  {t("leads.openDeal")}
                </Link>
              )}
            </p>
          ) : undefined
        }
        tabs={[
          {
            key: "details",
            label: t("leads.page.details"),
            content: (
              <>
                <LeadDetails lead={lead} canEdit={canEdit} />
                <LeadStatusHistory leadId={lead.id} />
              </>
            ),
          },
          ...followUpTabs(link, lead),
        ]}
      />
      <Dialog open={isEditing} onOpenChange={setEditing} title={t("leads.page.editTitle")} wide>
        <LeadForm
          lead={lead}
          onCancel={() => setEditing(false)}
          onDone={(saved) => {
            setEditing(false);
            toast.success(t("leads.page.saved", { title: saved.title }));
          }}
        />
      </Dialog>
      {canConvert && <ConvertLeadDialog lead={lead} open={isConverting} onOpenChange={setConverting} />}
    </>
  );
}
