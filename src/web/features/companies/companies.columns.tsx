import type { Company } from "../../../shared/schemas/company.ts";
import type { Wire } from "../../api/wire.ts";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { t } from "../../i18n/i18n.ts";
import { formatDateTime, formatMoney, formatNumber } from "../../lib/format.ts";
import { ownerEdit, textEdit } from "../lists/cell-edits.tsx";

export type CompanyRow = Wire<Company>;

/** The companies table, its headers in the current language. */
export const companyColumns = (): DataColumn<CompanyRow>[] => [
  { key: "name", header: t("common.name"), cell: (c) => c.name, sortField: "name" },
  { key: "domain", header: t("companies.fields.domain"), cell: (c) => c.domain ?? "—" },
  {
    key: "industry",
    header: t("companies.fields.industry"),
    cell: (c) => c.industry ?? "—",
    edit: textEdit("industry", (c) => c.industry),
  },
  {
    key: "employees",
    header: t("companies.fields.employees"),
    cell: (c) => (c.employeeCount === null ? "—" : formatNumber(c.employeeCount)),
    sortField: "employeeCount",
  },
  {
    key: "revenue",
    header: t("companies.fields.annualRevenue"),
    cell: (c) => formatMoney(c.annualRevenue),
    isHiddenByDefault: true,
  },
  { key: "city", header: t("companies.fields.city"), cell: (c) => c.address?.city ?? "—", isHiddenByDefault: true },
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
  {
    key: "createdAt",
    header: t("common.created"),
    cell: (c) => formatDateTime(c.createdAt),
    sortField: "createdAt",
  },
];

/** The fields the companies list filters by, labelled in the current language. */
export const companyFilterFields = (): FilterField[] => [
  { field: "name", label: t("common.name"), kind: "text" },
  { field: "domain", label: t("companies.fields.domain"), kind: "text" },
  { field: "industry", label: t("companies.fields.industry"), kind: "text" },
  { field: "employeeCount", label: t("companies.fields.employees"), kind: "number" },
  { field: "annualRevenue", label: t("companies.fields.annualRevenue"), kind: "decimal" },
  { field: "ownerId", label: t("common.owner"), kind: "user" },
  { field: "tags", label: t("common.tags"), kind: "tags" },
  { field: "createdAt", label: t("common.created"), kind: "datetime" },
  { field: "lastActivityAt", label: t("common.lastActivity"), kind: "datetime" },
];
