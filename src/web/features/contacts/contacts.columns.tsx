import type { Contact } from "../../../shared/schemas/contact.ts";
import type { Wire } from "../../api/wire.ts";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { lifecycles } from "../../../shared/schemas/contact.ts";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { choiceEdit, ownerEdit, textEdit } from "../lists/cell-edits.tsx";

export type ContactRow = Wire<Contact>;

export const contactName = (c: Pick<ContactRow, "firstName" | "lastName">) =>
  [c.firstName, c.lastName].filter(Boolean).join(" ");

export const contactColumns: DataColumn<ContactRow>[] = [
  { key: "name", header: "Name", cell: contactName, sortField: "lastName" },
  { key: "email", header: "E-mail", cell: (c) => c.email ?? "—" },
  { key: "phone", header: "Phone", cell: (c) => c.phone ?? "—", edit: textEdit("phone", (c) => c.phone, "tel") },
  { key: "company", header: "Company", cell: (c) => c.company?.name ?? "—" },
  { key: "jobTitle", header: "Job title", cell: (c) => c.jobTitle ?? "—", isHiddenByDefault: true },
  {
    key: "lifecycle",
    header: "Lifecycle",
    cell: (c) => labelOf(c.lifecycle),
    sortField: "lifecycle",
    edit: choiceEdit("lifecycle", (c) => c.lifecycle, lifecycles),
  },
  { key: "owner", header: "Owner", cell: (c) => c.owner?.name ?? "—", sortField: "ownerId", edit: ownerEdit() },
  { key: "tags", header: "Tags", cell: (c) => c.tags.join(", ") || "—", isHiddenByDefault: true },
  { key: "createdAt", header: "Created", cell: (c) => formatDateTime(c.createdAt), sortField: "createdAt" },
  {
    key: "updatedAt",
    header: "Updated",
    cell: (c) => formatDateTime(c.updatedAt),
    sortField: "updatedAt",
    isHiddenByDefault: true,
  },
];

export const contactFilterFields: FilterField[] = [
  { field: "lastName", label: "Last name", kind: "text" },
  { field: "firstName", label: "First name", kind: "text" },
  { field: "email", label: "E-mail", kind: "text" },
  {
    field: "lifecycle",
    label: "Lifecycle",
    kind: "enum",
    options: [
      { value: "lead", label: "Lead" },
      { value: "customer", label: "Customer" },
    ],
  },
  { field: "companyId", label: "Company", kind: "record", records: "companies" },
  { field: "ownerId", label: "Owner", kind: "user" },
  { field: "source", label: "Source", kind: "text" },
  { field: "tags", label: "Tags", kind: "tags" },
  { field: "createdAt", label: "Created", kind: "datetime" },
];
