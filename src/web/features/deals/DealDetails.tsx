import { OwnerField } from "../records/OwnerField.tsx";
import { Link } from "@tanstack/react-router";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { UpdateDeal } from "../../../shared/schemas/deal.ts";
import { decimalFromInput, formatDate, formatDateTime, formatMoney } from "../../lib/format.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { FieldList } from "../records/RecordPage.tsx";
import { CompanyField } from "../companies/CompanyField.tsx";
import { InlineField } from "../records/InlineField.tsx";
import { useRecordSave } from "../records/useRecordSave.ts";
import { offeredStages, stageOutcome, usePipelines, type DealRow } from "./deals.api.ts";
import { ReadOnlyField } from "../records/ReadOnlyField.tsx";
import { RecordPicker } from "../records/RecordPicker.tsx";
import { tagsFromText } from "../records/related-options.ts";
import { LostReasonDialog } from "../leads/LostReasonDialog.tsx";
import { LostReasonPicker } from "../leads/LostReasonPicker.tsx";
import { useLostReasons } from "../settings/workspace.api.ts";

const linkClass = "font-medium text-accent-700 hover:underline dark:text-sky-300";

/** The fields of a deal, each editable in place (If-Match on the version shown). */
export function DealDetails({ deal, canEdit }: { deal: DealRow; canEdit: boolean }) {
  const { t } = useTranslation();
  const pipelines = usePipelines().data?.data ?? [];
  const pipeline = pipelines.find((p) => p.id === deal.pipelineId);

  const saveRecord = useRecordSave<DealRow, UpdateDeal>("deals");
  const save = (changes: UpdateDeal) => saveRecord(deal, changes);
  const lostReasons = useLostReasons("deal");
  const saveStage = async (stageId: string, lostReason?: string | null) => {
    const saved = await save(lostReason ? { stageId, lostReason } : { stageId });
    const outcome = stageOutcome(pipeline?.stages.find((s) => s.id === stageId));
    if (outcome === "won") toast.success(t("deals.toast.won", { name: saved.name }));
    else if (outcome === "lost") toast.success(t("deals.toast.lost", { name: saved.name }));
  };
  // A move to a lost stage asks why first; the stage field waits for the answer (Cancel: no move).
  const [losingTo, setLosingTo] = useState<string | null>(null);
  const settleLosing = useRef<() => void>(() => undefined);
  const chooseStage = (stageId: string) => {
    if (!pipeline?.stages.find((s) => s.id === stageId)?.isLost || deal.status === "lost") return saveStage(stageId);
    setLosingTo(stageId);
    return new Promise<void>((resolve) => {
      settleLosing.current = () => {
        setLosingTo(null);
        resolve();
      };
    });
  };
  const field = { canEdit };

  return (
    <FieldList>
      <InlineField
        {...field}
        label={t("common.name")}
        display={deal.name}
        value={deal.name}
        onSave={(v) => save({ name: v })}
      />
      <InlineField
        {...field}
        label={t("deals.fields.value")}
        display={formatMoney(deal.value, deal.currency)}
        value={deal.value}
        onSave={(v) => save({ value: decimalFromInput(v) })}
      />
      <InlineField
        {...field}
        label={t("deals.fields.currency")}
        display={deal.currency}
        value={deal.currency}
        onSave={(v) => save({ currency: v.trim().toUpperCase() })}
      />
      <InlineField
        {...field}
        label={t("deals.fields.pipeline")}
        type="select"
        display={pipeline?.name ?? "—"}
        value={deal.pipelineId}
        options={pipelines.map((p) => ({ value: p.id, label: p.name }))}
        onSave={(v) => save({ pipelineId: v })}
      />
      <InlineField
        {...field}
        label={t("deals.fields.stage")}
        type="select"
        display={deal.stage?.name ?? pipeline?.stages.find((s) => s.id === deal.stageId)?.name ?? "—"}
        value={deal.stageId}
        options={offeredStages(pipeline, deal.stageId).map((s) => ({ value: s.id, label: s.label }))}
        onSave={chooseStage}
      />
      {deal.status === "lost" && (
        <InlineField
          {...field}
          label={t("deals.fields.lostReason")}
          display={deal.lostReason ?? "—"}
          value={deal.lostReason ?? ""}
          renderEditor={({ value, onChange }) => (
            <div className="flex min-w-0 flex-1 basis-60 flex-col gap-2">
              <LostReasonPicker
                reasons={lostReasons.reasons}
                value={value}
                onChange={onChange}
                isRequired={lostReasons.isRequired}
                autoFocus
              />
            </div>
          )}
          onSave={(v) => save({ lostReason: v.trim() || null })}
        />
      )}
      <LostReasonDialog
        kind="deal"
        recordName={losingTo ? deal.name : null}
        description={
          losingTo
            ? t("deals.lost.description", {
                name: deal.name,
                stage: pipeline?.stages.find((s) => s.id === losingTo)?.name ?? t("deals.lost.aLostStage"),
              })
            : undefined
        }
        onCancel={() => settleLosing.current()}
        onConfirm={async (lostReason) => {
          if (!losingTo) return;
          await saveStage(losingTo, lostReason);
          settleLosing.current();
        }}
      />
      <InlineField
        {...field}
        label={t("deals.fields.probabilityPercent")}
        type="number"
        display={`${deal.probability} %`}
        value={String(deal.probability)}
        onSave={(v) => save({ probability: Number(v) })}
      />
      <InlineField
        {...field}
        label={t("deals.fields.expectedClose")}
        type="date"
        display={formatDate(deal.expectedCloseDate)}
        value={deal.expectedCloseDate ?? ""}
        onSave={(v) => save({ expectedCloseDate: v || null })}
      />
      <ReadOnlyField label={t("deals.fields.closedOn")}>{formatDate(deal.actualCloseDate)}</ReadOnlyField>
      <CompanyField {...field} company={deal.company} onSave={(companyId) => save({ companyId })} />
      <InlineField
        {...field}
        label={t("deals.fields.contact")}
        display={
          deal.contact ? (
            <Link to="/contacts/$id" params={{ id: deal.contact.id }} className={linkClass}>
              {contactName(deal.contact)}
            </Link>
          ) : (
            "—"
          )
        }
        value={deal.contactId ?? ""}
        renderEditor={({ value, onChange }) => (
          <RecordPicker
            isBare
            autoFocus
            collection="contacts"
            label={t("deals.fields.contact")}
            noneLabel={t("deals.fields.noContact")}
            value={value}
            selected={deal.contact ? { id: deal.contact.id, label: contactName(deal.contact) } : null}
            onChange={onChange}
          />
        )}
        onSave={(v) => save({ contactId: v || null })}
      />
      <OwnerField owner={deal.owner} {...field} onSave={(v) => save({ ownerId: v || null })} />
      <InlineField
        {...field}
        label={t("common.tags")}
        display={deal.tags.join(", ") || "—"}
        value={deal.tags.join(", ")}
        onSave={(v) => save({ tags: tagsFromText(v) })}
      />
      {deal.leadId && (
        <ReadOnlyField label={t("deals.fields.fromLead")}>
          <Link to="/leads/$id" params={{ id: deal.leadId }} className={linkClass}>
            {t("deals.fields.openLead")}
          </Link>
        </ReadOnlyField>
      )}
      <ReadOnlyField label={t("common.created")}>{formatDateTime(deal.createdAt)}</ReadOnlyField>
      <ReadOnlyField label={t("common.updated")}>{formatDateTime(deal.updatedAt)}</ReadOnlyField>
    </FieldList>
  );
}
