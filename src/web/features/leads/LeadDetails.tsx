import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { leadPriorities, type UpdateLead } from "../../../shared/schemas/lead.ts";
import { decimalFromInput, formatDateTime, labelOf } from "../../lib/format.ts";
import { CompanyField } from "../companies/CompanyField.tsx";
import { InlineField } from "../records/InlineField.tsx";
import { OwnerField } from "../records/OwnerField.tsx";
import { ReadOnlyField } from "../records/ReadOnlyField.tsx";
import { FieldList } from "../records/RecordPage.tsx";
import { tagsFromText } from "../records/related-options.ts";
import { useRecordSave } from "../records/useRecordSave.ts";
import { useLostReasons } from "../settings/workspace.api.ts";
import { contactLinksOf, contactsBody, LeadContactsEditor } from "./LeadContactsEditor.tsx";
import { leadValue } from "./leads.columns.tsx";
import type { LeadRow } from "./leads.api.ts";
import { LeadStatusBadge } from "./LeadStatusBadge.tsx";
import { LostReasonPicker } from "./LostReasonPicker.tsx";

const linkClass = "font-medium text-accent-700 hover:underline dark:text-sky-300";

/**
 * The fields of a lead, each editable in place (If-Match on the version shown). Its contacts,
 * the primary one among them, are edited in the contacts editor.
 */
export function LeadDetails({ lead, canEdit }: { lead: LeadRow; canEdit: boolean }) {
  const { t } = useTranslation();
  const lostReasons = useLostReasons("lead").reasons;

  const saveRecord = useRecordSave<LeadRow, UpdateLead>("leads");
  const save = (changes: UpdateLead) => saveRecord(lead, changes);
  const field = { canEdit };

  return (
    <FieldList>
      <InlineField
        {...field}
        label={t("leads.fields.title")}
        display={lead.title}
        value={lead.title}
        onSave={(v) => save({ title: v })}
      />
      <ReadOnlyField label={t("common.status")}>
        <LeadStatusBadge status={lead.status} />
      </ReadOnlyField>
      <InlineField
        {...field}
        label={t("leads.fields.priority")}
        type="select"
        display={labelOf(lead.priority)}
        value={lead.priority}
        options={leadPriorities.map((p) => ({ value: p, label: labelOf(p) }))}
        onSave={(v) => save({ priority: v as LeadRow["priority"] })}
      />
      <ReadOnlyField label={t("leads.fields.score")}>{lead.score}</ReadOnlyField>
      <InlineField
        {...field}
        label={t("leads.fields.estimatedValue")}
        display={leadValue(lead)}
        value={lead.estimatedValue ?? ""}
        onSave={(v) => save({ estimatedValue: decimalFromInput(v) || null })}
      />
      <InlineField
        {...field}
        label={t("leads.fields.currency")}
        display={lead.currency ?? "—"}
        value={lead.currency ?? ""}
        onSave={(v) => save({ currency: v.trim().toUpperCase() || null })}
      />
      <InlineField
        {...field}
        label={t("leads.fields.source")}
        display={lead.source ?? "—"}
        value={lead.source ?? ""}
        onSave={(v) => save({ source: v.trim() || null })}
      />
      <CompanyField {...field} company={lead.company} onSave={(companyId) => save({ companyId })} />
      <OwnerField owner={lead.owner} {...field} onSave={(v) => save({ ownerId: v || null })} />
      <InlineField
        {...field}
        label={t("common.tags")}
        display={lead.tags.join(", ") || "—"}
        value={lead.tags.join(", ")}
        onSave={(v) => save({ tags: tagsFromText(v) })}
      />
      {lead.status === "lost" && (
        <InlineField
          {...field}
          label={t("leads.fields.lostReason")}
          display={lead.lostReason ?? "—"}
          value={lead.lostReason ?? ""}
          renderEditor={({ value, onChange }) => (
            <div className="flex min-w-0 flex-1 basis-60 flex-col gap-2">
              <LostReasonPicker reasons={lostReasons} value={value} onChange={onChange} isRequired autoFocus />
            </div>
          )}
          onSave={(v) => save({ lostReason: v })}
        />
      )}
      <ReadOnlyField label={t("leads.fields.contacts")}>
        <LeadContactsEditor
          links={contactLinksOf(lead)}
          canEdit={canEdit}
          onChange={(links) => save({ contacts: contactsBody(links) })}
        />
      </ReadOnlyField>
      {lead.dealId && (
        <ReadOnlyField label={t("leads.fields.deal")}>
          <Link to="/deals/$id" params={{ id: lead.dealId }} className={linkClass}>
            {t("leads.openDeal")}
          </Link>
          {lead.convertedAt && (
            <span className="ml-2 text-sm text-slate-600 dark:text-slate-300">
              {t("leads.details.convertedAt", { date: formatDateTime(lead.convertedAt) })}
            </span>
          )}
        </ReadOnlyField>
      )}
      <ReadOnlyField label={t("common.created")}>{formatDateTime(lead.createdAt)}</ReadOnlyField>
      <ReadOnlyField label={t("common.updated")}>{formatDateTime(lead.updatedAt)}</ReadOnlyField>
    </FieldList>
  );
}
