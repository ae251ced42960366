import { OwnerField } from "../records/OwnerField.tsx";
import { Link } from "@tanstack/react-router";
import { leadPriorities, type UpdateLead } from "../../../shared/schemas/lead.ts";
import { decimalFromInput, formatDateTime, labelOf } from "../../lib/format.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { ReadOnlyField } from "../records/ReadOnlyField.tsx";
import { RecordPicker } from "../records/RecordPicker.tsx";
import { tagsFromText } from "../records/related-options.ts";
import { CompanyField } from "../companies/CompanyField.tsx";
import { InlineField } from "../records/InlineField.tsx";
import { useRecordSave } from "../records/useRecordSave.ts";
import { FieldList } from "../records/RecordPage.tsx";
import { leadValue } from "./leads.columns.tsx";
import { primaryContactOf, type LeadRow } from "./leads.api.ts";
import { LeadStatusBadge } from "./LeadStatusBadge.tsx";
import { useLostReasons } from "../settings/workspace.api.ts";
import { LostReasonPicker } from "./LostReasonPicker.tsx";
import { contactLinksOf, contactsBody, LeadContactsEditor } from "./LeadContactsEditor.tsx";

const linkClass = "font-medium text-accent-700 hover:underline dark:text-sky-300";

/** The fields of a lead, each editable in place (If-Match on the version shown). */
export function LeadDetails({ lead, canEdit }: { lead: LeadRow; canEdit: boolean }) {
  const primary = primaryContactOf(lead);
  const lostReasons = useLostReasons("lead").reasons;

  const saveRecord = useRecordSave<LeadRow, UpdateLead>("leads", "lead");
  const save = (changes: UpdateLead) => saveRecord(lead, changes);
  /** A new primary contact keeps the lead's other contacts. */
  const savePrimary = (contactId: string) => {
    const others = lead.contacts
      .filter((c) => !c.isPrimary && c.contactId !== contactId)
      .map((c) => ({ contactId: c.contactId, isPrimary: false }));
    return save({ contacts: contactId ? [{ contactId, isPrimary: true }, ...others] : others });
  };
  const field = { canEdit };

  return (
    <FieldList>
      <InlineField
        {...field}
        label="Title"
        display={lead.title}
        value={lead.title}
        onSave={(v) => save({ title: v })}
      />
      <ReadOnlyField label="Status">
        <LeadStatusBadge status={lead.status} />
      </ReadOnlyField>
      <InlineField
        {...field}
        label="Priority"
        type="select"
        display={labelOf(lead.priority)}
        value={lead.priority}
        options={leadPriorities.map((p) => ({ value: p, label: labelOf(p) }))}
        onSave={(v) => save({ priority: v as LeadRow["priority"] })}
      />
      <ReadOnlyField label="Score">{lead.score}</ReadOnlyField>
      <InlineField
        {...field}
        label="Estimated value"
        display={leadValue(lead)}
        value={lead.estimatedValue ?? ""}
        onSave={(v) => save({ estimatedValue: decimalFromInput(v) || null })}
      />
      <InlineField
        {...field}
        label="Currency"
        display={lead.currency ?? "—"}
        value={lead.currency ?? ""}
        onSave={(v) => save({ currency: v.trim().toUpperCase() || null })}
      />
      <InlineField
        {...field}
        label="Source"
        display={lead.source ?? "—"}
        value={lead.source ?? ""}
        onSave={(v) => save({ source: v.trim() || null })}
      />
      <CompanyField {...field} company={lead.company} onSave={(companyId) => save({ companyId })} />
      <InlineField
        {...field}
        label="Primary contact"
        display={
          primary ? (
            <Link to="/contacts/$id" params={{ id: primary.id }} className={linkClass}>
              {contactName(primary) || primary.email}
            </Link>
          ) : (
            "—"
          )
        }
        value={primary?.id ?? ""}
        renderEditor={({ value, onChange }) => (
          <RecordPicker
            isBare
            autoFocus
            collection="contacts"
            label="Primary contact"
            noneLabel="No contact"
            value={value}
            selected={primary ? { id: primary.id, label: contactName(primary) || (primary.email ?? "") } : null}
            onChange={onChange}
          />
        )}
        onSave={savePrimary}
      />
      <OwnerField owner={lead.owner} {...field} onSave={(v) => save({ ownerId: v || null })} />
      <InlineField
        {...field}
        label="Tags"
        display={lead.tags.join(", ") || "—"}
        value={lead.tags.join(", ")}
        onSave={(v) => save({ tags: tagsFromText(v) })}
      />
      {lead.status === "lost" && (
        <InlineField
          {...field}
          label="Lost reason"
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
      <ReadOnlyField label="Contacts">
        <LeadContactsEditor
          links={contactLinksOf(lead)}
          canEdit={canEdit}
          onChange={(links) => save({ contacts: contactsBody(links) })}
        />
      </ReadOnlyField>
      {lead.dealId && (
        <ReadOnlyField label="Deal">
          <Link to="/deals/$id" params={{ id: lead.dealId }} className={linkClass}>
            Open the deal
          </Link>
          {lead.convertedAt && (
            <span className="ml-2 text-sm text-slate-600 dark:text-slate-300">
              converted {formatDateTime(lead.convertedAt)}
            </span>
          )}
        </ReadOnlyField>
      )}
      <ReadOnlyField label="Created">{formatDateTime(lead.createdAt)}</ReadOnlyField>
      <ReadOnlyField label="Updated">{formatDateTime(lead.updatedAt)}</ReadOnlyField>
    </FieldList>
  );
}
