import { useQueries } from "@tanstack/react-query";
import type { Company } from "../../../shared/schemas/company.ts";
import type { Contact } from "../../../shared/schemas/contact.ts";
import type { MergeRequest } from "../../../shared/schemas/merge.ts";
import { apiRequest } from "../../api/client.ts";
import { recordKeys } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { SkeletonRows } from "../../components/Feedback.tsx";
import { t } from "../../i18n/i18n.ts";
import { labelOf } from "../../lib/format.ts";
import type { DuplicateCollection } from "./duplicates.api.ts";
import { MergeDialog, type MergeCandidate, type MergeField } from "./MergeDialog.tsx";

/** A contact's mergeable fields, labelled in the current language. */
export const contactFields = (): MergeField[] => [
  { key: "firstName", label: t("duplicates.fields.firstName") },
  { key: "lastName", label: t("duplicates.fields.lastName") },
  { key: "email", label: t("duplicates.fields.email") },
  { key: "phone", label: t("duplicates.fields.phone") },
  { key: "jobTitle", label: t("duplicates.fields.jobTitle") },
  { key: "companyId", label: t("duplicates.fields.company") },
  { key: "ownerId", label: t("duplicates.fields.owner") },
  { key: "lifecycle", label: t("duplicates.fields.lifecycle") },
  { key: "source", label: t("duplicates.fields.source") },
];

/** A company's mergeable fields, labelled in the current language. */
export const companyFields = (): MergeField[] => [
  { key: "name", label: t("duplicates.fields.name") },
  { key: "domain", label: t("duplicates.fields.domain") },
  { key: "industry", label: t("duplicates.fields.industry") },
  { key: "phone", label: t("duplicates.fields.phone") },
  { key: "address", label: t("duplicates.fields.address") },
  { key: "employeeCount", label: t("duplicates.fields.employees") },
  { key: "annualRevenue", label: t("duplicates.fields.annualRevenue") },
  { key: "ownerId", label: t("duplicates.fields.owner") },
];

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === "" ? null : String(value);

function contactCandidate(contact: Wire<Contact>): MergeCandidate {
  return {
    id: contact.id,
    title: `${contact.firstName} ${contact.lastName}`.trim(),
    values: {
      firstName: text(contact.firstName),
      lastName: text(contact.lastName),
      email: text(contact.email),
      phone: text(contact.phone),
      jobTitle: text(contact.jobTitle),
      companyId: contact.companyId ? (contact.company?.name ?? contact.companyId) : null,
      ownerId: contact.ownerId ? (contact.owner?.name ?? contact.ownerId) : null,
      lifecycle: labelOf(contact.lifecycle),
      source: text(contact.source),
    },
  };
}

function companyCandidate(company: Wire<Company>): MergeCandidate {
  const address = company.address ? Object.values(company.address).filter(Boolean).join(", ") : "";
  return {
    id: company.id,
    title: company.name,
    values: {
      name: text(company.name),
      domain: text(company.domain),
      industry: text(company.industry),
      phone: text(company.phone),
      address: text(address),
      employeeCount: text(company.employeeCount),
      annualRevenue: text(company.annualRevenue),
      ownerId: company.ownerId ? (company.owner?.name ?? company.ownerId) : null,
    },
  };
}

/** The merge dialog for a group: reads each record whole (with its company and owner names) first. */
export function MergeGroupDialog({
  collection,
  ids,
  onClose,
  onMerge,
  isMerging,
  error,
}: {
  collection: DuplicateCollection;
  ids: string[];
  onClose: () => void;
  onMerge: (request: MergeRequest) => void;
  isMerging: boolean;
  error: string | null;
}) {
  const include = collection === "contacts" ? "company,owner" : "owner";
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: [...recordKeys.one(collection, id), include],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        apiRequest<Wire<Contact> | Wire<Company>>(`/${collection}/${id}`, { query: { include }, signal }),
    })),
  });
  if (results.some((r) => !r.data)) return <SkeletonRows rows={3} />;
  const records = results.map((r) =>
    collection === "contacts" ? contactCandidate(r.data as Wire<Contact>) : companyCandidate(r.data as Wire<Company>),
  );
  return (
    <MergeDialog
      open
      onOpenChange={(open) => !open && onClose()}
      noun={collection === "contacts" ? "contact" : "company"}
      records={records}
      fields={collection === "contacts" ? contactFields() : companyFields()}
      isMerging={isMerging}
      error={error}
      onMerge={onMerge}
    />
  );
}
