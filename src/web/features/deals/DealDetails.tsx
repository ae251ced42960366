import { Link } from "@tanstack/react-router";
import { toast } from "sonner";
import type { UpdateDeal } from "../../../shared/schemas/deal.ts";
import { useRecordList } from "../../api/records.ts";
import { formatDate, formatDateTime, formatMoney } from "../../lib/format.ts";
import { contactName, type ContactRow } from "../contacts/contacts.columns.tsx";
import { FieldList } from "../records/RecordPage.tsx";
import { CompanyField } from "../companies/CompanyField.tsx";
import { InlineField } from "../records/InlineField.tsx";
import { useRecordSave } from "../records/useRecordSave.ts";
import { useMemberOptions } from "../users/users.api.ts";
import { stageOutcome, usePipelines, type DealRow } from "./deals.api.ts";
import { ReadOnlyField } from "../records/ReadOnlyField.tsx";
import { relatedOptions, tagsFromText } from "../records/related-options.ts";

const linkClass = "font-medium text-accent-700 hover:underline dark:text-sky-300";

/** The fields of a deal, each editable in place (If-Match on the version shown). */
export function DealDetails({ deal, canEdit }: { deal: DealRow; canEdit: boolean }) {
  const pipelines = usePipelines().data?.data ?? [];
  const pipeline = pipelines.find((p) => p.id === deal.pipelineId);
  const contacts = useRecordList<ContactRow>("contacts", { sort: "lastName", limit: 200 }, { enabled: canEdit });
  const members = useMemberOptions();

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
        options={(pipeline?.stages ?? []).map((s) => ({ value: s.id, label: s.name }))}
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
        type="select"
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
        options={relatedOptions(
          "No contact",
          (contacts.data?.data ?? []).map((c) => ({ value: c.id, label: contactName(c) || (c.email ?? c.id) })),
          deal.contact ? { value: deal.contact.id, label: contactName(deal.contact) } : null,
        )}
        onSave={(v) => save({ contactId: v || null })}
      />
      <InlineField
        {...field}
        label="Owner"
        type="select"
        display={deal.owner?.name ?? "—"}
        value={deal.ownerId ?? ""}
        options={relatedOptions(
          "Nobody",
          members,
          deal.owner ? { value: deal.owner.id, label: deal.owner.name } : null,
        )}
        onSave={(v) => save({ ownerId: v || null })}
      />
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
