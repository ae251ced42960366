import type { Company } from "../../../shared/schemas/company.ts";
import type { Wire } from "../../api/wire.ts";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { formatDateTime, formatMoney, formatNumber } from "../../lib/format.ts";
import { ownerEdit, textEdit } from "../lists/cell-edits.tsx";

export type CompanyRow = Wire<Company>;

export const companyColumns: DataColumn<CompanyRow>[] = [
  { key: "name", header: "Name", cell: (c) => c.name, sortField: "name" },
  { key: "domain", header: "Domain", cell: (c) => c.domain ?? "—" },
  {
    key: "industry",
    header: "Industry",
    cell: (c) => c.industry ?? "—",
    edit: textEdit("industry", (c) => c.industry),
  },
  {
    key: "employees",
    header: "Employees",
    cell: (c) => (c.employeeCount === null ? "—" : formatNumber(c.employeeCount)),
    sortField: "employeeCount",
  },
  { key: "revenue", header: "Annual revenue", cell: (c) => formatMoney(c.annualRevenue), isHiddenByDefault: true },
  { key: "city", header: "City", cell: (c) => c.address?.city ?? "—", isHiddenByDefault: true },
  { key: "owner", header: "Owner", cell: (c) => c.owner?.name ?? "—", sortField: "ownerId", edit: ownerEdit() },
  { key: "createdAt", header: "Created", cell: (c) => formatDateTime(c.createdAt), sortField: "createdAt" },
];

export const companyFilterFields: FilterField[] = [
  { field: "name", label: "Name", kind: "text" },
  { field: "domain", label: "Domain", kind: "text" },
  { field: "industry", label: "Industry", kind: "text" },
  { field: "employeeCount", label: "Employees", kind: "number" },
  { field: "annualRevenue", label: "Annual revenue", kind: "decimal" },
  { field: "ownerId", label: "Owner", kind: "user" },
  { field: "tags", label: "Tags", kind: "tags" },
  { field: "createdAt", label: "Created", kind: "datetime" },
];
