import { OwnerField } from "../records/OwnerField.tsx";
import { Link, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Company } from "../../../shared/schemas/company.ts";
import { useRecord, useRecordList } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { EmptyState } from "../../components/Feedback.tsx";
import { decimalFromInput, formatMoney, formatNumber } from "../../lib/format.ts";
import { RelatedDeals } from "../deals/RelatedDeals.tsx";
import { useCan } from "../auth/session.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { DeletedNotice, DeleteRecordButton } from "../records/DeleteRecordButton.tsx";
import { InlineField } from "../records/InlineField.tsx";
import { useRecordSave } from "../records/useRecordSave.ts";
import { followUpTabs } from "../records/record-tabs.tsx";
import { FieldList, RecordPage, RecordPageError, RecordPageSkeleton } from "../records/RecordPage.tsx";
import { countryName } from "../settings/workspace-options.ts";
import { CompanyForm } from "./CompanyForm.tsx";

type CompanyRecord = Wire<Company>;
type ContactRow = { id: string; firstName: string; lastName: string; email: string | null; jobTitle: string | null };

/** A company: fields edited in place, its contacts and deals, timeline and tasks. */
export function CompanyPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: "/app/companies/$id" });
  const company = useRecord<CompanyRecord>("companies", id, "owner");
  const related = { filters: [{ field: "companyId", op: "eq", value: id }], limit: 50 };
  const contacts = useRecordList<ContactRow>("contacts", { ...related, sort: "lastName" });
  const saveRecord = useRecordSave<CompanyRecord>("companies");
  const can = useCan();
  const [isEditing, setEditing] = useState(false);

  if (company.isPending) return <RecordPageSkeleton />;
  if (company.isError)
    return <RecordPageError collection="companies" error={company.error} onRetry={() => void company.refetch()} />;
  const record = company.data;
  const canEdit = !record.deletedAt && can("update", "company", record);
  const save =
    (field: string, toValue: (v: string) => unknown = (v) => (v === "" ? null : v)) =>
    (value: string) =>
      saveRecord(record, { [field]: toValue(value) });

  return (
    <>
      <RecordPage
        title={record.name}
        subtitle={[record.industry, record.domain].filter(Boolean).join(" · ") || undefined}
        notice={record.deletedAt ? <DeletedNotice collection="companies" id={id} /> : undefined}
        actions={
          !record.deletedAt && (
            <>
              {canEdit && <Button onClick={() => setEditing(true)}>{t("common.edit")}</Button>}
              <DeleteRecordButton collection="companies" id={id} name={record.name} listPath="/companies" />
            </>
          )
        }
        tabs={[
          {
            key: "details",
            label: t("companies.page.details"),
            content: (
              <FieldList>
                <InlineField
                  label={t("common.name")}
                  value={record.name}
                  display={record.name}
                  canEdit={canEdit}
                  onSave={save("name")}
                />
                <InlineField
                  label={t("companies.fields.domain")}
                  value={record.domain ?? ""}
                  display={record.domain ?? "—"}
                  canEdit={canEdit}
                  onSave={save("domain")}
                />
                <InlineField
                  label={t("companies.fields.industry")}
                  value={record.industry ?? ""}
                  display={record.industry ?? "—"}
                  canEdit={canEdit}
                  onSave={save("industry")}
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
                  label={t("companies.fields.employees")}
                  type="number"
                  value={record.employeeCount?.toString() ?? ""}
                  display={record.employeeCount === null ? "—" : formatNumber(record.employeeCount)}
                  canEdit={canEdit}
                  onSave={save("employeeCount", (v) => (v === "" ? null : Number(v)))}
                />
                <InlineField
                  label={t("companies.fields.annualRevenue")}
                  value={record.annualRevenue ?? ""}
                  display={formatMoney(record.annualRevenue)}
                  canEdit={canEdit}
                  onSave={save("annualRevenue", (v) => decimalFromInput(v) || null)}
                />
                <OwnerField owner={record.owner} canEdit={canEdit} onSave={save("ownerId")} />
                <div className="border-b border-slate-100 py-2 dark:border-slate-800">
                  <dt className="text-xs font-medium text-slate-600 uppercase dark:text-slate-400">
                    {t("companies.fields.address")}
                  </dt>
                  <dd>
                    {[record.address?.line1, record.address?.city, countryName(record.address?.country)]
                      .filter(Boolean)
                      .join(", ") || "—"}
                  </dd>
                </div>
              </FieldList>
            ),
          },
          {
            key: "related",
            label: t("companies.page.related"),
            content: (
              <div className="flex flex-col gap-4">
                <section aria-labelledby="company-contacts">
                  <h2 id="company-contacts" className="mb-1 font-semibold">
                    {t("companies.page.contacts")}
                  </h2>
                  {(contacts.data?.data.length ?? 0) === 0 ? (
                    <EmptyState title={t("companies.page.noContacts")} />
                  ) : (
                    <ul className="flex flex-col gap-1">
                      {contacts.data?.data.map((c) => (
                        <li key={c.id}>
                          <Link
                            to="/contacts/$id"
                            params={{ id: c.id }}
                            className="text-accent-700 underline dark:text-sky-300"
                          >
                            {contactName(c)}
                          </Link>{" "}
                          <span className="text-sm text-slate-600 dark:text-slate-300">
                            {[c.jobTitle, c.email].filter(Boolean).join(" · ")}
                          </span>
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
                <RelatedDeals field="companyId" id={id} recordNoun={t("companies.page.thisCompany")} />
              </div>
            ),
          },
          ...followUpTabs({ field: "companyId", id }, record),
        ]}
      />
      <Dialog open={isEditing} onOpenChange={setEditing} title={t("companies.page.editTitle")} wide>
        <CompanyForm
          company={record}
          onCancel={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            void company.refetch();
          }}
        />
      </Dialog>
    </>
  );
}
