import { dealStatuses } from "../../../shared/schemas/deal.ts";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { t } from "../../i18n/i18n.ts";
import { formatDate, formatDateTime, formatMoney, labelOf } from "../../lib/format.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { amountEdit, dateEdit, ownerEdit } from "../lists/cell-edits.tsx";
import { DealStatusBadge } from "./DealStatusBadge.tsx";
import { offeredStages, type DealRow, type PipelineRow } from "./deals.api.ts";

/**
 * The stages a deal's Stage cell offers: its pipeline's (offeredStages) but the lost ones, and the
 * deal's own stage even when it is lost. A move to lost asks why first (the workspace may require
 * a reason), which the deal page and the board do; the cell has no room to ask.
 */
export function cellStages(pipeline: PipelineRow | undefined, stageId: string) {
  return offeredStages(pipeline, stageId).filter((stage) => !stage.isLost || stage.id === stageId);
}

/**
 * The deals table. Headers sort by the API's indexed fields: stage in pipeline order, owner by
 * name; status, probability, company and contact do not sort. Value, stage (among the stages its
 * pipeline offers, but lost ones), expected close and owner are edited in their cells. Headers are
 * in the interface's language when the columns are made.
 */
export const dealColumns = (pipelines: readonly PipelineRow[]): DataColumn<DealRow>[] => [
  { key: "name", header: t("common.name"), cell: (d) => d.name, sortField: "name" },
  {
    key: "value",
    header: t("deals.fields.value"),
    cell: (d) => formatMoney(d.value, d.currency),
    sortField: "value",
    edit: amountEdit("value", (d) => d.value),
  },
  {
    key: "stage",
    header: t("deals.fields.stage"),
    cell: (d) => d.stage?.name ?? "—",
    sortField: "stageId",
    edit: {
      input: "select",
      value: (d) => d.stageId,
      options: (d) =>
        cellStages(
          pipelines.find((p) => p.id === d.pipelineId),
          d.stageId,
        ).map((stage) => ({ value: stage.id, label: stage.label })),
      toChanges: (stageId) => ({ stageId }),
    },
  },
  { key: "status", header: t("common.status"), cell: (d) => <DealStatusBadge status={d.status} />, width: "7rem" },
  { key: "probability", header: t("deals.fields.probability"), cell: (d) => `${d.probability} %`, width: "7rem" },
  {
    key: "expectedCloseDate",
    header: t("deals.fields.expectedClose"),
    cell: (d) => formatDate(d.expectedCloseDate),
    sortField: "expectedCloseDate",
    edit: dateEdit("expectedCloseDate", (d) => d.expectedCloseDate),
  },
  { key: "company", header: t("deals.fields.company"), cell: (d) => d.company?.name ?? "—" },
  { key: "contact", header: t("deals.fields.contact"), cell: (d) => (d.contact ? contactName(d.contact) : "—") },
  {
    key: "owner",
    header: t("common.owner"),
    cell: (d) => d.owner?.name ?? "—",
    sortField: "ownerId",
    edit: ownerEdit(),
  },
  {
    key: "lastActivityAt",
    header: t("common.lastActivity"),
    cell: (d) => formatDateTime(d.lastActivityAt),
    sortField: "lastActivityAt",
    isHiddenByDefault: true,
  },
  { key: "tags", header: t("common.tags"), cell: (d) => d.tags.join(", ") || "—", isHiddenByDefault: true },
  {
    key: "createdAt",
    header: t("common.created"),
    cell: (d) => formatDateTime(d.createdAt),
    sortField: "createdAt",
    isHiddenByDefault: true,
  },
  {
    key: "updatedAt",
    header: t("common.updated"),
    cell: (d) => formatDateTime(d.updatedAt),
    sortField: "updatedAt",
    isHiddenByDefault: true,
  },
];

/** Filterable deal fields; pipelines and stages are offered by name. */
export function dealFilterFields(pipelines: readonly PipelineRow[]): FilterField[] {
  const isSeveral = pipelines.length > 1;
  return [
    { field: "name", label: t("common.name"), kind: "text" },
    {
      field: "status",
      label: t("common.status"),
      kind: "enum",
      options: dealStatuses.map((s) => ({ value: s, label: labelOf(s) })),
    },
    {
      field: "pipelineId",
      label: t("deals.fields.pipeline"),
      kind: "enum",
      options: pipelines.map((p) => ({ value: p.id, label: p.name })),
    },
    {
      field: "stageId",
      label: t("deals.fields.stage"),
      kind: "enum",
      options: pipelines.flatMap((p) =>
        p.stages.map((s) => ({ value: s.id, label: isSeveral ? `${p.name}: ${s.name}` : s.name })),
      ),
    },
    { field: "value", label: t("deals.fields.value"), kind: "decimal" },
    { field: "currency", label: t("deals.fields.currency"), kind: "text" },
    { field: "probability", label: t("deals.fields.probability"), kind: "number" },
    { field: "expectedCloseDate", label: t("deals.fields.expectedClose"), kind: "date" },
    { field: "actualCloseDate", label: t("deals.fields.closedOn"), kind: "date" },
    { field: "companyId", label: t("deals.fields.company"), kind: "record", records: "companies" },
    { field: "contactId", label: t("deals.fields.contact"), kind: "record", records: "contacts" },
    { field: "ownerId", label: t("common.owner"), kind: "user" },
    { field: "tags", label: t("common.tags"), kind: "tags" },
    { field: "createdAt", label: t("common.created"), kind: "datetime" },
    { field: "lastActivityAt", label: t("common.lastActivity"), kind: "datetime" },
  ];
}
