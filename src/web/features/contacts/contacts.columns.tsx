import type { Contact } from "../../../shared/schemas/contact.ts";
import type { Wire } from "../../api/wire.ts";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { lifecycles } from "../../../shared/schemas/contact.ts";
import { t } from "../../i18n/i18n.ts";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { choiceEdit, ownerEdit, textEdit } from "../lists/cell-edits.tsx";

export type ContactRow = Wire<Contact>;

export const contactName = (c: Pick<ContactRow, "firstName" | "lastName">) =>
  [c.firstName, c.lastName].filter(Boolean).join(" ");

/** The contacts table, its headers in the current language. */
export const contactColumns = (): DataColumn<ContactRow>[] => [
  { key: "name", header: t("common.name"), cell: contactName, sortField: "lastName" },
  { key: "email", header: t("common.email"), cell: (c) => c.email ?? "—" },
  {
    key: "phone",
    header: t("common.phone"),
    cell: (c) => c.phone ?? "—",
    edit: textEdit("phone", (c) => c.phone, "tel"),
  },
  { key: "company", header: t("contacts.fields.company"), cell: (c) => c.company?.name ?? "—" },
  {
    key: "jobTitle",
    header: t("contacts.fields.jobTitle"),
    cell: (c) => c.jobTitle ?? "—",
    isHiddenByDefault: true,
  },
  {
    key: "lifecycle",
    header: t("contacts.fields.lifecycle"),
    cell: (c) => labelOf(c.lifecycle),
    sortField: "lifecycle",
    edit: choiceEdit("lifecycle", (c) => c.lifecycle, lifecycles),
  },
  {
    key: "owner",
    header: t("common.owner"),
    cell: (c) => c.owner?.name ?? "—",
    sortField: "ownerId",
    edit: ownerEdit(),
  },
  {
    key: "lastActivityAt",
    header: t("common.lastActivity"),
    cell: (c) => formatDateTime(c.lastActivityAt),
    sortField: "lastActivityAt",
  },
  { key: "tags", header: t("common.tags"), cell: (c) => c.tags.join(", ") || "—", isHiddenByDefault: true },
  {
    key: "createdAt",
    header: t("common.created"),
    cell: (c) => formatDateTime(c.createdAt),
    sortField: "createdAt",
  },
  {
    key: "updatedAt",
    header: t("common.updated"),
    cell: (c) => formatDateTime(c.updatedAt),
    sortField: "updatedAt",
    isHiddenByDefault: true,
  },
];

/** The fields the contacts list filters by, labelled in the current language. */
export const contactFilterFields = (): FilterField[] => [
  { field: "lastName", label: t("contacts.fields.lastName"), kind: "text" },
  { field: "firstName", label: t("contacts.fields.firstName"), kind: "text" },
  { field: "email", label: t("common.email"), kind: "text" },
  {
    field: "lifecycle",
    label: t("contacts.fields.lifecycle"),
    kind: "enum",
    options: lifecycles.map((l) => ({ value: l, label: labelOf(l) })),
  },
  { field: "companyId", label: t("contacts.fields.company"), kind: "record", records: "companies" },
  { field: "ownerId", label: t("common.owner"), kind: "user" },
  { field: "source", label: t("contacts.fields.source"), kind: "text" },
  { field: "tags", label: t("common.tags"), kind: "tags" },
  { field: "createdAt", label: t("common.created"), kind: "datetime" },
  { field: "lastActivityAt", label: t("common.lastActivity"), kind: "datetime" },
];
