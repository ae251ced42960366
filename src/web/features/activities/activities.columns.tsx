import { activityDirections, type Activity } from "../../../shared/schemas/activity.ts";
import type { ActivityTypeSetting } from "../../../shared/workspace-defaults.ts";
import type { Wire } from "../../api/wire.ts";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { t } from "../../i18n/i18n.ts";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { formatDuration, labelOfTypeSetting, useTypeLabel } from "./activity-types.ts";
import { ActivityTypeIcon } from "./ActivityTypeIcon.tsx";
import { LinkedRecords } from "./LinkedRecords.tsx";
import { MemberName } from "./MemberName.tsx";

export type ActivityRow = Wire<Activity>;

/** A type with its pictogram and the workspace's name for it. */
function ActivityTypeCell({ type }: { type: string }) {
  const labelOfType = useTypeLabel();
  return (
    <span className="inline-flex items-center gap-2">
      <ActivityTypeIcon type={type} />
      {labelOfType(type)}
    </span>
  );
}

/** Only occurredAt and createdAt are sortable: the API sorts on indexed fields only. */
export const activityColumns = (): DataColumn<ActivityRow>[] => [
  { key: "subject", header: t("activities.columns.subject"), cell: (a) => a.subject },
  {
    key: "type",
    header: t("activities.columns.type"),
    cell: (a) => <ActivityTypeCell type={a.type} />,
  },
  { key: "linked", header: t("activities.columns.linked"), cell: (a) => <LinkedRecords row={a} /> },
  {
    key: "occurredAt",
    header: t("activities.columns.occurred"),
    cell: (a) => formatDateTime(a.occurredAt),
    sortField: "occurredAt",
  },
  { key: "createdBy", header: t("activities.columns.loggedBy"), cell: (a) => <MemberName id={a.createdBy} /> },
  {
    key: "direction",
    header: t("activities.columns.direction"),
    cell: (a) => (a.direction ? labelOf(a.direction) : "—"),
    isHiddenByDefault: true,
  },
  {
    key: "duration",
    header: t("activities.columns.duration"),
    cell: (a) => formatDuration(a.durationMinutes) ?? "—",
    isHiddenByDefault: true,
  },
  { key: "outcome", header: t("activities.columns.outcome"), cell: (a) => a.outcome ?? "—", isHiddenByDefault: true },
  {
    key: "createdAt",
    header: t("activities.columns.logged"),
    cell: (a) => formatDateTime(a.createdAt),
    sortField: "createdAt",
    isHiddenByDefault: true,
  },
];

/** The filters of the activities list; its types are the workspace's. */
export const activityFilterFields = (types: readonly ActivityTypeSetting[]): FilterField[] => [
  {
    field: "type",
    label: t("activities.columns.type"),
    kind: "enum",
    options: types.map((type) => ({ value: type.key, label: labelOfTypeSetting(type) })),
  },
  { field: "occurredAt", label: t("activities.columns.occurred"), kind: "datetime" },
  { field: "contactId", label: t("activities.columns.contact"), kind: "record", records: "contacts" },
  { field: "companyId", label: t("activities.columns.company"), kind: "record", records: "companies" },
  { field: "dealId", label: t("activities.columns.deal"), kind: "record", records: "deals" },
  { field: "leadId", label: t("activities.columns.lead"), kind: "record", records: "leads" },
  { field: "createdBy", label: t("activities.columns.loggedBy"), kind: "user" },
  {
    field: "direction",
    label: t("activities.columns.direction"),
    kind: "enum",
    options: activityDirections.map((d) => ({ value: d, label: labelOf(d) })),
  },
  { field: "createdAt", label: t("activities.columns.logged"), kind: "datetime" },
];
