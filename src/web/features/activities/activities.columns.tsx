import { activityDirections, type Activity } from "../../../shared/schemas/activity.ts";
import type { ActivityTypeSetting } from "../../../shared/workspace-defaults.ts";
import type { Wire } from "../../api/wire.ts";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { formatDuration, useTypeLabel } from "./activity-types.ts";
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
export const activityColumns: DataColumn<ActivityRow>[] = [
  { key: "subject", header: "Subject", cell: (a) => a.subject },
  {
    key: "type",
    header: "Type",
    cell: (a) => <ActivityTypeCell type={a.type} />,
  },
  { key: "linked", header: "Linked to", cell: (a) => <LinkedRecords row={a} /> },
  { key: "occurredAt", header: "Occurred", cell: (a) => formatDateTime(a.occurredAt), sortField: "occurredAt" },
  { key: "createdBy", header: "Logged by", cell: (a) => <MemberName id={a.createdBy} /> },
  {
    key: "direction",
    header: "Direction",
    cell: (a) => (a.direction ? labelOf(a.direction) : "—"),
    isHiddenByDefault: true,
  },
  {
    key: "duration",
    header: "Duration",
    cell: (a) => formatDuration(a.durationMinutes) ?? "—",
    isHiddenByDefault: true,
  },
  { key: "outcome", header: "Outcome", cell: (a) => a.outcome ?? "—", isHiddenByDefault: true },
  {
    key: "createdAt",
    header: "Logged",
    cell: (a) => formatDateTime(a.createdAt),
    sortField: "createdAt",
    isHiddenByDefault: true,
  },
];

/** The filters of the activities list; its types are the workspace's. */
export const activityFilterFields = (types: readonly ActivityTypeSetting[]): FilterField[] => [
  {
    field: "type",
    label: "Type",
    kind: "enum",
    options: types.map((t) => ({ value: t.key, label: t.label })),
  },
  { field: "occurredAt", label: "Occurred", kind: "datetime" },
  { field: "contactId", label: "Contact", kind: "record", records: "contacts" },
  { field: "companyId", label: "Company", kind: "record", records: "companies" },
  { field: "dealId", label: "Deal", kind: "record", records: "deals" },
  { field: "createdBy", label: "Logged by", kind: "user" },
  {
    field: "direction",
    label: "Direction",
    kind: "enum",
    options: activityDirections.map((d) => ({ value: d, label: labelOf(d) })),
  },
  { field: "createdAt", label: "Logged", kind: "datetime" },
];
