import { taskPriorities, taskStatuses } from "../../../shared/schemas/task.ts";
import { Button } from "../../components/Button.tsx";
import type { DataColumn, FilterField } from "../../components/data-table/types.ts";
import { t } from "../../i18n/i18n.ts";
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
      header: t("tasks.columns.title"),
      // Narrow enough that the Done checkbox stays in view at 375 px.
      width: "15rem",
      cell: (task) => <span className={task.status === "completed" ? "line-through" : undefined}>{task.title}</span>,
      sortField: "title",
    },
    {
      key: "done",
      header: t("tasks.columns.done"),
      cell: (task) => <TaskCompleteCheckbox task={task} />,
      width: "4rem",
    },
    {
      key: "dueAt",
      header: t("tasks.columns.due"),
      cell: (task) => <TaskDue task={task} />,
      sortField: "dueAt",
      width: "12rem",
      edit: dateTimeEdit("dueAt", (task) => task.dueAt),
    },
    {
      key: "status",
      header: t("tasks.columns.status"),
      cell: (task) => labelOf(task.status),
      sortField: "status",
      width: "9rem",
      edit: choiceEdit("status", (task) => task.status, taskStatuses),
    },
    {
      key: "priority",
      header: t("tasks.columns.priority"),
      cell: (task) => labelOf(task.priority),
      sortField: "priority",
      width: "7rem",
    },
    {
      key: "assignee",
      header: t("tasks.columns.assignee"),
      cell: (task) => task.assignee?.name ?? "—",
      sortField: "assigneeId",
    },
    { key: "dependencies", header: t("tasks.columns.dependencies"), cell: (task) => <TaskDependencies task={task} /> },
    { key: "linked", header: t("tasks.columns.relatedTo"), cell: (task) => <LinkedRecords row={task} /> },
    {
      key: "remindAt",
      header: t("tasks.columns.reminder"),
      cell: (task) => formatDateTime(task.remindAt),
      isHiddenByDefault: true,
    },
    {
      key: "completedAt",
      header: t("tasks.columns.completed"),
      cell: (task) => formatDateTime(task.completedAt),
      sortField: "completedAt",
      isHiddenByDefault: true,
    },
    {
      key: "createdAt",
      header: t("tasks.columns.created"),
      cell: (task) => formatDateTime(task.createdAt),
      sortField: "createdAt",
      isHiddenByDefault: true,
    },
    {
      key: "updatedAt",
      header: t("tasks.columns.updated"),
      cell: (task) => formatDateTime(task.updatedAt),
      sortField: "updatedAt",
      isHiddenByDefault: true,
    },
    {
      key: "open",
      header: t("tasks.columns.details"),
      width: "6rem",
      cell: (task) => (
        <Button
          size="sm"
          variant="ghost"
          aria-label={t("tasks.columns.openLabel", { title: task.title })}
          onClick={() => onOpen(task)}
        >
          {t("tasks.columns.open")}
        </Button>
      ),
    },
  ];
}

/** The filters of the task list, in the current language. */
export const taskFilterFields = (): FilterField[] => [
  { field: "title", label: t("tasks.columns.title"), kind: "text" },
  {
    field: "status",
    label: t("tasks.columns.status"),
    kind: "enum",
    options: taskStatuses.map((s) => ({ value: s, label: labelOf(s) })),
  },
  {
    field: "priority",
    label: t("tasks.columns.priority"),
    kind: "enum",
    options: taskPriorities.map((p) => ({ value: p, label: labelOf(p) })),
  },
  { field: "assigneeId", label: t("tasks.columns.assignee"), kind: "user" },
  { field: "contactId", label: t("tasks.columns.contact"), kind: "record", records: "contacts" },
  { field: "companyId", label: t("tasks.columns.company"), kind: "record", records: "companies" },
  { field: "dealId", label: t("tasks.columns.deal"), kind: "record", records: "deals" },
  { field: "leadId", label: t("tasks.columns.lead"), kind: "record", records: "leads" },
  { field: "dueAt", label: t("tasks.columns.due"), kind: "datetime" },
  { field: "remindAt", label: t("tasks.columns.reminder"), kind: "datetime" },
  { field: "completedAt", label: t("tasks.columns.completed"), kind: "datetime" },
  { field: "createdBy", label: t("tasks.columns.createdBy"), kind: "user" },
  { field: "createdAt", label: t("tasks.columns.created"), kind: "datetime" },
];
