import { leadPriorities, leadStatuses } from "../../../shared/schemas/lead.ts";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { t } from "../../i18n/i18n.ts";
import { formatDateTime, formatMoney, labelOf } from "../../lib/format.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { choiceEdit, ownerEdit } from "../lists/cell-edits.tsx";
import { leadStatusLabel } from "./lead-status.ts";
import { LeadStatusBadge } from "./LeadStatusBadge.tsx";
import { primaryContactOf, type LeadRow } from "./leads.api.ts";

/** A lead's estimated value, when it has one. */
export const leadValue = (lead: Pick<LeadRow, "estimatedValue" | "currency">) =>
  lead.estimatedValue === null ? "—" : formatMoney(lead.estimatedValue, lead.currency ?? undefined);

/**
 * The leads table, its headers in the current language; headers sort by the API's indexed fields
 * (status in its workflow order, owner by name).
 */
export const leadColumns = (): DataColumn<LeadRow>[] => [
  { key: "title", header: t("leads.fields.title"), cell: (l) => l.title, sortField: "title" },
  {
    key: "status",
    header: t("common.status"),
    cell: (l) => <LeadStatusBadge status={l.status} />,
    sortField: "status",
  },
  {
    key: "priority",
    header: t("leads.fields.priority"),
    cell: (l) => labelOf(l.priority),
    sortField: "priority",
    edit: choiceEdit("priority", (l) => l.priority, leadPriorities),
  },
  { key: "estimatedValue", header: t("leads.fields.estimatedValue"), cell: leadValue, sortField: "estimatedValue" },
  { key: "score", header: t("leads.fields.score"), cell: (l) => l.score, sortField: "score", width: "6rem" },
  {
    key: "contact",
    header: t("leads.fields.primaryContact"),
    cell: (l) => {
      const contact = primaryContactOf(l);
      return contact ? contactName(contact) || (contact.email ?? "—") : "—";
    },
  },
  { key: "company", header: t("leads.fields.company"), cell: (l) => l.company?.name ?? "—" },
  {
    key: "owner",
    header: t("common.owner"),
    cell: (l) => l.owner?.name ?? "—",
    sortField: "ownerId",
    edit: ownerEdit(),
  },
  {
    key: "lastActivityAt",
    header: t("common.lastActivity"),
    cell: (l) => formatDateTime(l.lastActivityAt),
    sortField: "lastActivityAt",
    isHiddenByDefault: true,
  },
  { key: "source", header: t("leads.fields.source"), cell: (l) => l.source ?? "—", isHiddenByDefault: true },
  { key: "tags", header: t("common.tags"), cell: (l) => l.tags.join(", ") || "—", isHiddenByDefault: true },
  {
    key: "createdAt",
    header: t("common.created"),
    cell: (l) => formatDateTime(l.createdAt),
    sortField: "createdAt",
  },
  {
    key: "updatedAt",
    header: t("common.updated"),
    cell: (l) => formatDateTime(l.updatedAt),
    sortField: "updatedAt",
    isHiddenByDefault: true,
  },
];

/** The fields the leads list filters by, labelled in the current language. */
export const leadFilterFields = (): FilterField[] => [
  { field: "title", label: t("leads.fields.title"), kind: "text" },
  {
    field: "status",
    label: t("common.status"),
    kind: "enum",
    options: leadStatuses.map((s) => ({ value: s, label: leadStatusLabel(s) })),
  },
  {
    field: "priority",
    label: t("leads.fields.priority"),
    kind: "enum",
    options: leadPriorities.map((p) => ({ value: p, label: labelOf(p) })),
  },
  { field: "estimatedValue", label: t("leads.fields.estimatedValue"), kind: "decimal" },
  { field: "score", label: t("leads.fields.score"), kind: "number" },
  { field: "source", label: t("leads.fields.source"), kind: "text" },
  // A lead's contacts are links: the API matches any of them (is, or is any of), never "is empty".
  { field: "contactId", label: t("leads.fields.contact"), kind: "record", records: "contacts", operators: ["eq"] },
  { field: "companyId", label: t("leads.fields.company"), kind: "record", records: "companies" },
  { field: "ownerId", label: t("common.owner"), kind: "user" },
  { field: "lostReason", label: t("leads.fields.lostReason"), kind: "text" },
  { field: "tags", label: t("common.tags"), kind: "tags" },
  { field: "createdAt", label: t("common.created"), kind: "datetime" },
  { field: "lastActivityAt", label: t("common.lastActivity"), kind: "datetime" },
  { field: "convertedAt", label: t("leads.fields.convertedAt"), kind: "datetime" },
];
