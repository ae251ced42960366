import { taskPriorities, taskStatuses } from "../../../shared/schemas/task.ts";
import { Button } from "../../components/Button.tsx";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { choiceEdit, dateTimeEdit } from "../lists/cell-edits.tsx";
import { LinkedRecords } from "../activities/LinkedRecords.tsx";
import { TaskCompleteCheckbox } from "./TaskCompleteCheckbox.tsx";
import { TaskDependencies } from "./TaskDependencies.tsx";
import { TaskDue } from "./TaskDue.tsx";
import type { TaskRow } from "./tasks.api.ts";

/**
 * The task list's columns; headers sort by the API's indexed fields (status in its workflow order,
 * assignee by name). `onOpen` opens a task in the editor.
 */
export function taskColumns(onOpen: (task: TaskRow) => void): DataColumn<TaskRow>[] {
  return [
    {
      key: "title",
      header: "Title",
      // Narrow enough that the Done checkbox stays in view at 375 px.
      width: "15rem",
      cell: (t) => <span className={t.status === "completed" ? "line-through" : undefined}>{t.title}</span>,
      sortField: "title",
    },
    { key: "done", header: "Done", cell: (t) => <TaskCompleteCheckbox task={t} />, width: "4rem" },
    {
      key: "dueAt",
      header: "Due",
      cell: (t) => <TaskDue task={t} />,
      sortField: "dueAt",
      width: "12rem",
      edit: dateTimeEdit("dueAt", (t) => t.dueAt),
    },
    {
      key: "status",
      header: "Status",
      cell: (t) => labelOf(t.status),
      sortField: "status",
      width: "9rem",
      edit: choiceEdit("status", (t) => t.status, taskStatuses),
    },
    { key: "priority", header: "Priority", cell: (t) => labelOf(t.priority), sortField: "priority", width: "7rem" },
    { key: "assignee", header: "Assignee", cell: (t) => t.assignee?.name ?? "—", sortField: "assigneeId" },
    { key: "dependencies", header: "Dependencies", cell: (t) => <TaskDependencies task={t} /> },
    { key: "linked", header: "Related to", cell: (t) => <LinkedRecords row={t} /> },
    { key: "remindAt", header: "Reminder", cell: (t) => formatDateTime(t.remindAt), isHiddenByDefault: true },
    {
      key: "completedAt",
      header: "Completed",
      cell: (t) => formatDateTime(t.completedAt),
      sortField: "completedAt",
      isHiddenByDefault: true,
    },
    {
      key: "createdAt",
      header: "Created",
      cell: (t) => formatDateTime(t.createdAt),
      sortField: "createdAt",
      isHiddenByDefault: true,
    },
    {
      key: "updatedAt",
      header: "Updated",
      cell: (t) => formatDateTime(t.updatedAt),
      sortField: "updatedAt",
      isHiddenByDefault: true,
    },
    {
      key: "open",
      header: "Details",
      width: "6rem",
      cell: (t) => (
        <Button size="sm" variant="ghost" aria-label={`Open task “${t.title}”`} onClick={() => onOpen(t)}>
          Open
        </Button>
      ),
    },
  ];
}

export const taskFilterFields: FilterField[] = [
  { field: "title", label: "Title", kind: "text" },
  {
    field: "status",
    label: "Status",
    kind: "enum",
    options: taskStatuses.map((s) => ({ value: s, label: labelOf(s) })),
  },
  {
    field: "priority",
    label: "Priority",
    kind: "enum",
    options: taskPriorities.map((p) => ({ value: p, label: labelOf(p) })),
  },
  { field: "assigneeId", label: "Assignee", kind: "user" },
  { field: "contactId", label: "Contact", kind: "record", records: "contacts" },
  { field: "companyId", label: "Company", kind: "record", records: "companies" },
  { field: "dealId", label: "Deal", kind: "record", records: "deals" },
  { field: "dueAt", label: "Due", kind: "datetime" },
  { field: "remindAt", label: "Reminder", kind: "datetime" },
  { field: "completedAt", label: "Completed", kind: "datetime" },
  { field: "createdBy", label: "Created by", kind: "user" },
  { field: "createdAt", label: "Created", kind: "datetime" },
];
