import { activityDirections, activityTypes, type Activity } from "../../../shared/schemas/activity.ts";
import type { Wire } from "../../api/wire.ts";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { activityTypeLabels, formatDuration } from "./activity-types.ts";
import { ActivityTypeIcon } from "./ActivityTypeIcon.tsx";
import { LinkedRecords } from "./LinkedRecords.tsx";
import { MemberName } from "./MemberName.tsx";

export type ActivityRow = Wire<Activity>;

/** Only occurredAt and createdAt are sortable: the API sorts on indexed fields only. */
export const activityColumns: DataColumn<ActivityRow>[] = [
  { key: "subject", header: "Subject", cell: (a) => a.subject },
  {
    key: "type",
    header: "Type",
    cell: (a) => (
      <span className="inline-flex items-center gap-2">
        <ActivityTypeIcon type={a.type} />
        {activityTypeLabels[a.type]}
      </span>
    ),
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

export const activityFilterFields: FilterField[] = [
  {
    field: "type",
    label: "Type",
    kind: "enum",
    options: activityTypes.map((t) => ({ value: t, label: activityTypeLabels[t] })),
  },
  { field: "occurredAt", label: "Occurred", kind: "datetime" },
  { field: "createdBy", label: "Logged by", kind: "user" },
  {
    field: "direction",
    label: "Direction",
    kind: "enum",
    options: activityDirections.map((d) => ({ value: d, label: labelOf(d) })),
  },
  { field: "createdAt", label: "Logged", kind: "datetime" },
];
