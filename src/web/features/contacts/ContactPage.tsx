import { OwnerField } from "../records/OwnerField.tsx";
import { Link, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { lifecycles, type Contact } from "../../../shared/schemas/contact.ts";
import { useRecord } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { RelatedDeals } from "../deals/RelatedDeals.tsx";
import { useCan } from "../auth/session.ts";
import { DeletedNotice, DeleteRecordButton } from "../records/DeleteRecordButton.tsx";
import { InlineField } from "../records/InlineField.tsx";
import { useRecordSave } from "../records/useRecordSave.ts";
import { followUpTabs } from "../records/record-tabs.tsx";
import { FieldList, RecordPage, RecordPageError, RecordPageSkeleton } from "../records/RecordPage.tsx";
import { ContactForm } from "./ContactForm.tsx";
import { contactName } from "./contacts.columns.tsx";

type ContactRecord = Wire<Contact>;

/** A contact: fields edited in place, its company and deals, timeline and tasks. */
export function ContactPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: "/app/contacts/$id" });
  const contact = useRecord<ContactRecord>("contacts", id, "company,owner");
  const saveRecord = useRecordSave<ContactRecord>("contacts");
  const can = useCan();
  const [isEditing, setEditing] = useState(false);

  if (contact.isPending) return <RecordPageSkeleton />;
  if (contact.isError)
    return <RecordPageError collection="contacts" error={contact.error} onRetry={() => void contact.refetch()} />;
  const record = contact.data;
  const canEdit = !record.deletedAt && can("update", "contact", record);
  const save = (field: keyof Contact) => (value: string) =>
    saveRecord(record, { [field]: value === "" ? null : value });

  return (
    <>
      <RecordPage
        title={contactName(record)}
        subtitle={[record.jobTitle, record.company?.name].filter(Boolean).join(" · ") || undefined}
        notice={record.deletedAt ? <DeletedNotice collection="contacts" id={id} /> : undefined}
        actions={
          !record.deletedAt && (
            <>
              {canEdit && <Button onClick={() => setEditing(true)}>{t("common.edit")}</Button>}
              <DeleteRecordButton collection="contacts" id={id} name={contactName(record)} listPath="/contacts" />
            </>
          )
        }
        tabs={[
          {
            key: "details",
            label: t("contacts.page.details"),
            content: (
              <FieldList>
                <InlineField
                  label={t("contacts.fields.firstName")}
                  value={record.firstName}
                  display={record.firstName}
                  canEdit={canEdit}
                  onSave={save("firstName")}
                />
                <InlineField
                  label={t("contacts.fields.lastName")}
                  value={record.lastName}
                  display={record.lastName || "—"}
                  canEdit={canEdit}
                  onSave={save("lastName")}
                />
                <InlineField
                  label={t("common.email")}
                  type="email"
                  value={record.email ?? ""}
                  display={
                    record.email ? (
                      <a className="underline" href={`mailto:${record.email}`}>
                        {record.email}
                      </a>
                    ) : (
                      "—"
                    )
                  }
                  canEdit={canEdit}
                  onSave={save("email")}
                />
                <InlineField
                  label={t("common.phone")}
                  type="tel"
                  value={record.phone ?? ""}
                  display={record.phone ?? "—"}
                  canEdit={canEdit}
                  onSave={save("phone")}
                />
                <InlineField
                  label={t("contacts.fields.jobTitle")}
                  value={record.jobTitle ?? ""}
                  display={record.jobTitle ?? "—"}
                  canEdit={canEdit}
                  onSave={save("jobTitle")}
                />
                <InlineField
                  label={t("contacts.fields.lifecycle")}
                  type="select"
                  options={lifecycles.map((l) => ({ value: l, label: labelOf(l) }))}
                  value={record.lifecycle}
                  display={labelOf(record.lifecycle)}
                  canEdit={canEdit}
                  onSave={save("lifecycle")}
                />
                <OwnerField
                  owner={record.owner}
                  canEdit={canEdit && can("update", "contact")}
                  onSave={save("ownerId")}
                />
                <InlineField
                  label={t("contacts.fields.source")}
                  value={record.source ?? ""}
                  display={record.source ?? "—"}
                  canEdit={canEdit}
                  onSave={save("source")}
                />
                <div className="border-b border-slate-100 py-2 dark:border-slate-800">
                  <dt className="text-xs font-medium text-slate-600 uppercase dark:text-slate-400">
                    {t("common.created")}
                  </dt>
                  <dd>{formatDateTime(record.createdAt)}</dd>
                </div>
                <div className="border-b border-slate-100 py-2 dark:border-slate-800">
                  <dt className="text-xs font-medium text-slate-600 uppercase dark:text-slate-400">
                    {t("common.tags")}
                  </dt>
                  <dd>{record.tags.join(", ") || "—"}</dd>
                </div>
              </FieldList>
            ),
          },
          {
            key: "related",
            label: t("contacts.page.related"),
            content: (
              <div className="flex flex-col gap-4">
                <section aria-labelledby="contact-company">
                  <h2 id="contact-company" className="mb-1 font-semibold">
                    {t("contacts.fields.company")}
                  </h2>
                  {record.company ? (
                    <Link
                      to="/companies/$id"
                      params={{ id: record.company.id }}
                      className="text-accent-700 underline dark:text-sky-300"
                    >
                      {record.company.name}
                    </Link>
                  ) : (
                    <p className="text-slate-600 dark:text-slate-300">{t("contacts.page.noCompany")}</p>
                  )}
                </section>
                <RelatedDeals field="contactId" id={id} recordNoun={t("contacts.page.thisContact")} />
              </div>
            ),
          },
          ...followUpTabs({ field: "contactId", id }, record),
        ]}
      />
      <Dialog open={isEditing} onOpenChange={setEditing} title={t("contacts.page.editTitle")} wide>
        <ContactForm
          contact={record}
          onCancel={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            void contact.refetch();
          }}
        />
      </Dialog>
    </>
  );
}
