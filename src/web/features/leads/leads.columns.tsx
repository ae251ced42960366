import { leadPriorities, leadStatuses } from "../../../shared/schemas/lead.ts";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { formatDateTime, formatMoney, labelOf } from "../../lib/format.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { choiceEdit, ownerEdit } from "../lists/cell-edits.tsx";
import { leadStatusLabels } from "./lead-status.ts";
import { LeadStatusBadge } from "./LeadStatusBadge.tsx";
import { primaryContactOf, type LeadRow } from "./leads.api.ts";

/** A lead's estimated value, when it has one. */
export const leadValue = (lead: Pick<LeadRow, "estimatedValue" | "currency">) =>
  lead.estimatedValue === null ? "—" : formatMoney(lead.estimatedValue, lead.currency ?? undefined);

/** The leads table; headers sort by the API's indexed fields (status in its workflow order, owner by name). */
export const leadColumns: DataColumn<LeadRow>[] = [
  { key: "title", header: "Title", cell: (l) => l.title, sortField: "title" },
  { key: "status", header: "Status", cell: (l) => <LeadStatusBadge status={l.status} />, sortField: "status" },
  {
    key: "priority",
    header: "Priority",
    cell: (l) => labelOf(l.priority),
    sortField: "priority",
    edit: choiceEdit("priority", (l) => l.priority, leadPriorities),
  },
  { key: "estimatedValue", header: "Estimated value", cell: leadValue, sortField: "estimatedValue" },
  { key: "score", header: "Score", cell: (l) => l.score, sortField: "score", width: "6rem" },
  {
    key: "contact",
    header: "Primary contact",
    cell: (l) => {
      const contact = primaryContactOf(l);
      return contact ? contactName(contact) || (contact.email ?? "—") : "—";
    },
  },
  { key: "company", header: "Company", cell: (l) => l.company?.name ?? "—" },
  { key: "owner", header: "Owner", cell: (l) => l.owner?.name ?? "—", sortField: "ownerId", edit: ownerEdit() },
  { key: "source", header: "Source", cell: (l) => l.source ?? "—", isHiddenByDefault: true },
  { key: "tags", header: "Tags", cell: (l) => l.tags.join(", ") || "—", isHiddenByDefault: true },
  { key: "createdAt", header: "Created", cell: (l) => formatDateTime(l.createdAt), sortField: "createdAt" },
  {
    key: "updatedAt",
    header: "Updated",
    cell: (l) => formatDateTime(l.updatedAt),
    sortField: "updatedAt",
    isHiddenByDefault: true,
  },
];

export const leadFilterFields: FilterField[] = [
  { field: "title", label: "Title", kind: "text" },
  {
    field: "status",
    label: "Status",
    kind: "enum",
    options: leadStatuses.map((s) => ({ value: s, label: leadStatusLabels[s] })),
  },
  {
    field: "priority",
    label: "Priority",
    kind: "enum",
    options: leadPriorities.map((p) => ({ value: p, label: labelOf(p) })),
  },
  { field: "estimatedValue", label: "Estimated value", kind: "decimal" },
  { field: "score", label: "Score", kind: "number" },
  { field: "source", label: "Source", kind: "text" },
  // A lead's contacts are links: the API matches any of them (is, or is any of), never "is empty".
  { field: "contactId", label: "Contact", kind: "record", records: "contacts", operators: ["eq"] },
  { field: "companyId", label: "Company", kind: "record", records: "companies" },
  { field: "ownerId", label: "Owner", kind: "user" },
  { field: "lostReason", label: "Lost reason", kind: "text" },
  { field: "tags", label: "Tags", kind: "tags" },
  { field: "createdAt", label: "Created", kind: "datetime" },
  { field: "convertedAt", label: "Converted", kind: "datetime" },
];
