import { OwnerField } from "../records/OwnerField.tsx";
import { Link } from "@tanstack/react-router";
import { toast } from "sonner";
import type { UpdateDeal } from "../../../shared/schemas/deal.ts";
import { formatDate, formatDateTime, formatMoney } from "../../lib/format.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { FieldList } from "../records/RecordPage.tsx";
import { CompanyField } from "../companies/CompanyField.tsx";
import { InlineField } from "../records/InlineField.tsx";
import { useRecordSave } from "../records/useRecordSave.ts";
import { offeredStages, stageOutcome, usePipelines, type DealRow } from "./deals.api.ts";
import { ReadOnlyField } from "../records/ReadOnlyField.tsx";
import { RecordPicker } from "../records/RecordPicker.tsx";
import { tagsFromText } from "../records/related-options.ts";

const linkClass = "font-medium text-accent-700 hover:underline dark:text-sky-300";

/** The fields of a deal, each editable in place (If-Match on the version shown). */
export function DealDetails({ deal, canEdit }: { deal: DealRow; canEdit: boolean }) {
  const pipelines = usePipelines().data?.data ?? [];
  const pipeline = pipelines.find((p) => p.id === deal.pipelineId);

  const saveRecord = useRecordSave<DealRow, UpdateDeal>("deals", "deal");
  const save = (changes: UpdateDeal) => saveRecord(deal, changes);
  const saveStage = async (stageId: string) => {
    const saved = await save({ stageId });
    const outcome = stageOutcome(pipeline?.stages.find((s) => s.id === stageId));
    if (outcome) toast.success(`“${saved.name}” is ${outcome}.`);
  };
  const field = { canEdit };

  return (
    <FieldList>
      <InlineField {...field} label="Name" display={deal.name} value={deal.name} onSave={(v) => save({ name: v })} />
      <InlineField
        {...field}
        label="Value"
        display={formatMoney(deal.value, deal.currency)}
        value={deal.value}
        onSave={(v) => save({ value: v.trim() })}
      />
      <InlineField
        {...field}
        label="Currency"
        display={deal.currency}
        value={deal.currency}
        onSave={(v) => save({ currency: v.trim().toUpperCase() })}
      />
      <InlineField
        {...field}
        label="Pipeline"
        type="select"
        display={pipeline?.name ?? "—"}
        value={deal.pipelineId}
        options={pipelines.map((p) => ({ value: p.id, label: p.name }))}
        onSave={(v) => save({ pipelineId: v })}
      />
      <InlineField
        {...field}
        label="Stage"
        type="select"
        display={deal.stage?.name ?? pipeline?.stages.find((s) => s.id === deal.stageId)?.name ?? "—"}
        value={deal.stageId}
        options={offeredStages(pipeline, deal.stageId).map((s) => ({ value: s.id, label: s.label }))}
        onSave={saveStage}
      />
      <InlineField
        {...field}
        label="Probability (%)"
        type="number"
        display={`${deal.probability} %`}
        value={String(deal.probability)}
        onSave={(v) => save({ probability: Number(v) })}
      />
      <InlineField
        {...field}
        label="Expected close"
        type="date"
        display={formatDate(deal.expectedCloseDate)}
        value={deal.expectedCloseDate ?? ""}
        onSave={(v) => save({ expectedCloseDate: v || null })}
      />
      <ReadOnlyField label="Closed on">{formatDate(deal.actualCloseDate)}</ReadOnlyField>
      <CompanyField {...field} company={deal.company} onSave={(companyId) => save({ companyId })} />
      <InlineField
        {...field}
        label="Contact"
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
            label="Contact"
            noneLabel="No contact"
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
        label="Tags"
        display={deal.tags.join(", ") || "—"}
        value={deal.tags.join(", ")}
        onSave={(v) => save({ tags: tagsFromText(v) })}
      />
      {deal.leadId && (
        <ReadOnlyField label="From lead">
          <Link to="/leads/$id" params={{ id: deal.leadId }} className={linkClass}>
            Open the lead
          </Link>
        </ReadOnlyField>
      )}
      <ReadOnlyField label="Created">{formatDateTime(deal.createdAt)}</ReadOnlyField>
      <ReadOnlyField label="Updated">{formatDateTime(deal.updatedAt)}</ReadOnlyField>
    </FieldList>
  );
}
