import { dealStatuses } from "../../../shared/schemas/deal.ts";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { formatDate, formatDateTime, formatMoney, labelOf } from "../../lib/format.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { amountEdit, dateEdit, ownerEdit } from "../lists/cell-edits.tsx";
import { DealStatusBadge } from "./DealStatusBadge.tsx";
import { offeredStages, type DealRow, type PipelineRow } from "./deals.api.ts";

/**
 * The deals table. Headers sort by the API's indexed fields: stage in pipeline order, owner by
 * name; status, probability, company and contact do not sort. Value, stage (among the stages its
 * pipeline offers), expected close and owner are edited in their cells.
 */
export const dealColumns = (pipelines: readonly PipelineRow[]): DataColumn<DealRow>[] => [
  { key: "name", header: "Name", cell: (d) => d.name, sortField: "name" },
  {
    key: "value",
    header: "Value",
    cell: (d) => formatMoney(d.value, d.currency),
    sortField: "value",
    edit: amountEdit("value", (d) => d.value),
  },
  {
    key: "stage",
    header: "Stage",
    cell: (d) => d.stage?.name ?? "—",
    sortField: "stageId",
    edit: {
      input: "select",
      value: (d) => d.stageId,
      options: (d) =>
        offeredStages(
          pipelines.find((p) => p.id === d.pipelineId),
          d.stageId,
        ).map((stage) => ({ value: stage.id, label: stage.label })),
      toChanges: (stageId) => ({ stageId }),
    },
  },
  { key: "status", header: "Status", cell: (d) => <DealStatusBadge status={d.status} />, width: "7rem" },
  { key: "probability", header: "Probability", cell: (d) => `${d.probability} %`, width: "7rem" },
  {
    key: "expectedCloseDate",
    header: "Expected close",
    cell: (d) => formatDate(d.expectedCloseDate),
    sortField: "expectedCloseDate",
    edit: dateEdit("expectedCloseDate", (d) => d.expectedCloseDate),
  },
  { key: "company", header: "Company", cell: (d) => d.company?.name ?? "—" },
  { key: "contact", header: "Contact", cell: (d) => (d.contact ? contactName(d.contact) : "—") },
  { key: "owner", header: "Owner", cell: (d) => d.owner?.name ?? "—", sortField: "ownerId", edit: ownerEdit() },
  { key: "tags", header: "Tags", cell: (d) => d.tags.join(", ") || "—", isHiddenByDefault: true },
  {
    key: "createdAt",
    header: "Created",
    cell: (d) => formatDateTime(d.createdAt),
    sortField: "createdAt",
    isHiddenByDefault: true,
  },
  {
    key: "updatedAt",
    header: "Updated",
    cell: (d) => formatDateTime(d.updatedAt),
    sortField: "updatedAt",
    isHiddenByDefault: true,
  },
];

/** Filterable deal fields; pipelines and stages are offered by name. */
export function dealFilterFields(pipelines: readonly PipelineRow[]): FilterField[] {
  const isSeveral = pipelines.length > 1;
  return [
    { field: "name", label: "Name", kind: "text" },
    {
      field: "status",
      label: "Status",
      kind: "enum",
      options: dealStatuses.map((s) => ({ value: s, label: labelOf(s) })),
    },
    {
      field: "pipelineId",
      label: "Pipeline",
      kind: "enum",
      options: pipelines.map((p) => ({ value: p.id, label: p.name })),
    },
    {
      field: "stageId",
      label: "Stage",
      kind: "enum",
      options: pipelines.flatMap((p) =>
        p.stages.map((s) => ({ value: s.id, label: isSeveral ? `${p.name}: ${s.name}` : s.name })),
      ),
    },
    { field: "value", label: "Value", kind: "decimal" },
    { field: "currency", label: "Currency", kind: "text" },
    { field: "probability", label: "Probability", kind: "number" },
    { field: "expectedCloseDate", label: "Expected close", kind: "date" },
    { field: "actualCloseDate", label: "Closed on", kind: "date" },
    { field: "companyId", label: "Company", kind: "record", records: "companies" },
    { field: "contactId", label: "Contact", kind: "record", records: "contacts" },
    { field: "ownerId", label: "Owner", kind: "user" },
    { field: "tags", label: "Tags", kind: "tags" },
    { field: "createdAt", label: "Created", kind: "datetime" },
  ];
}
